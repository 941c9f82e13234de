"""Screens from images by OCR: a small registry of engines, each giving words with pixel boxes."""

from __future__ import annotations

import functools
import statistics
from collections.abc import Callable

from tinyweb.act.screen import Item, Screen, image_size
from tinyweb.errors import MissingDependency, TinywebError, require

PixelWord = tuple[str, tuple[float, float, float, float], int]
"""(word, pixel box x0 y0 x1 y1, line index)."""

GAP_SPLIT = 2.4
"""Split an OCR line between two characters whose centres are this many median steps apart.

rapidocr's English recognition drops spaces in bold or tight text ("writingsphotos"); the
character columns still show the gap.
"""


@functools.lru_cache(maxsize=1)
def _rapidocr():
    module = require("rapidocr_onnxruntime", "ocr")
    return module.RapidOCR()


def rapidocr_words(image: bytes) -> list[PixelWord]:
    """Words from rapidocr-onnxruntime (PP-OCRv4, models in the wheel): lines split into words."""
    result, _ = _rapidocr()(image, use_cls=False, return_word_box=True)  # screens are upright
    words: list[PixelWord] = []
    for line_index, entry in enumerate(result or []):
        quad, text, _score = entry[0], entry[1], entry[2]
        char_boxes = entry[3] if len(entry) > 3 else None
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        line_box = (min(xs), min(ys), max(xs), max(ys))
        if char_boxes and len(char_boxes) == len(text):
            spans = _split_by_chars(text, char_boxes, line_box)
        else:
            spans = _split_evenly(text, line_box)
        words.extend((word, box, line_index) for word, box in spans)
    return words


def _split_by_chars(text: str, char_boxes: list, line_box: tuple) -> list[tuple[str, tuple]]:
    x_ranges = [(min(p[0] for p in b), max(p[0] for p in b)) for b in char_boxes]
    centers = [(a + b) / 2 for a, b in x_ranges]
    steps = [centers[i + 1] - centers[i] for i in range(len(centers) - 1) if text[i] != " " and text[i + 1] != " "]
    median = statistics.median(steps) if steps else 0.0
    words: list[tuple[str, tuple]] = []
    current: list[int] = []

    def flush() -> None:
        if current:
            word = "".join(text[i] for i in current)
            x0 = min(x_ranges[i][0] for i in current)
            x1 = max(x_ranges[i][1] for i in current)
            words.append((word, (x0, line_box[1], max(x1, x0 + 1), line_box[3])))
            current.clear()

    for i, char in enumerate(text):
        if char.isspace():
            flush()
            continue
        if current and median > 0 and centers[i] - centers[current[-1]] > GAP_SPLIT * median:
            flush()
        current.append(i)
    flush()
    return words


def _split_evenly(text: str, line_box: tuple) -> list[tuple[str, tuple]]:
    x0, y0, x1, y1 = line_box
    per_char = (x1 - x0) / max(1, len(text))
    words, start = [], 0
    for word in text.split(" "):
        if word:
            words.append((word, (x0 + start * per_char, y0, x0 + (start + len(word)) * per_char, y1)))
        start += len(word) + 1
    return words


def tesseract_words(image: bytes) -> list[PixelWord]:
    """Words from Tesseract (apt-get install tesseract-ocr; pip install pytesseract): slower, better English."""
    import io
    import shutil

    try:
        import pytesseract
    except ImportError:
        raise MissingDependency(TESSERACT_HINT) from None
    if shutil.which("tesseract") is None:
        raise MissingDependency(TESSERACT_HINT)
    from PIL import Image

    with Image.open(io.BytesIO(image)) as picture:
        data = pytesseract.image_to_data(picture.convert("RGB"), output_type=pytesseract.Output.DICT)
    words: list[PixelWord] = []
    lines: dict[tuple, int] = {}
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word or float(data["conf"][i]) < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        line = lines.setdefault(key, len(lines))
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        words.append((word, (x, y, x + w, y + h), line))
    return words


TESSERACT_HINT = (
    "--engine tesseract needs `apt-get install tesseract-ocr` and `pip install pytesseract` (or use --engine rapidocr)"
)
ENGINES: dict[str, Callable[[bytes], list[PixelWord]]] = {
    "rapidocr": rapidocr_words,
    "tesseract": tesseract_words,
}


def ocr_screen(image: bytes, engine: str = "rapidocr", url: str | None = None) -> Screen:
    """Read a screenshot (PNG/JPEG bytes) into a Screen of words."""
    if engine not in ENGINES:
        raise TinywebError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    width, height = image_size(image)
    screen = Screen(width, height, [], f"ocr:{engine}", image, url)
    for text, box, line in ENGINES[engine](image):
        screen.items.append(Item(text, screen.normalise(box), "word", line))
    return screen
