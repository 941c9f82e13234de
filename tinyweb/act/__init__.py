"""Act: read a screen (OCR of a screenshot, or a page's DOM) and answer an instruction with an action.

screen (items with 0-1000 boxes) <- ocr | dom (via live); instruction + ground (the baseline);
layout (llama2d prompt) + model (a run decides); execute (Playwright); tasks + evaluate (click accuracy).
"""
