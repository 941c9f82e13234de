"""Evaluate generated pages: render (JS off, no network), Design2Code-style metrics, an HTML report.

render.py     screenshots and DOM text blocks
metrics.py    block match, text, position, colour, SSIM, score; summaries
color.py      CIEDE2000;  image.py  SSIM;  structure.py  validity and structure statistics
pipeline.py   `tinyweb eval` (EvalOptions, evaluate_pages)
report.py     metrics.json and index.html
"""
