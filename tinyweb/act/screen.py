"""A screen as the agent reads it: items (text, box, kind) with boxes normalised to 0-1000.

Screens come from an image by OCR (tinyweb.act.ocr) or from a page's DOM through Playwright
(tinyweb.act.dom). Both give the same structure, so grounding, prompts and evaluation do not
care where the words came from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tinyweb.errors import TinywebError

KINDS = ("word", "link", "button", "field", "checkbox", "select")
"""word: a word of visible text; the others are interactive elements named by their accessible name."""
INTERACTIVE = KINDS[1:]
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp")


@dataclass(frozen=True)
class Item:
    text: str
    """The word, or the element's accessible name."""
    box: tuple[float, float, float, float]
    """x0, y0, x1, y1 normalised to 0-1000 of the screen's width and height."""
    kind: str = "word"
    """One of KINDS."""
    line: int = -1
    """Words: index of the text line they belong to (-1 for elements)."""

    @property
    def center(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2

    @property
    def interactive(self) -> bool:
        return self.kind in INTERACTIVE


@dataclass
class Screen:
    width: int
    """Screenshot (or viewport) width in pixels."""
    height: int
    """Screenshot (or viewport) height in pixels."""
    items: list[Item] = field(default_factory=list)
    source: str = "dom"
    """Where the items came from: 'dom' or 'ocr:<engine>'."""
    image: bytes | None = None
    """The screenshot as PNG bytes, when there is one."""
    url: str | None = None

    @property
    def words(self) -> list[Item]:
        return [item for item in self.items if item.kind == "word"]

    @property
    def elements(self) -> list[Item]:
        return [item for item in self.items if item.interactive]

    def to_pixels(self, box: tuple[float, ...]) -> list[int]:
        """A 0-1000 box (or point) in this screen's pixels."""
        scale = [self.width, self.height] * (len(box) // 2)
        return [round(value * size / 1000) for value, size in zip(box, scale, strict=True)]

    def normalise(self, box: tuple[float, ...]) -> tuple[float, ...]:
        """A pixel box (or point) in 0-1000 of this screen."""
        scale = [self.width, self.height] * (len(box) // 2)
        return tuple(min(1000.0, max(0.0, value * 1000 / size)) for value, size in zip(box, scale, strict=True))

    def to_dict(self) -> dict:
        return {
            "width": self.width,
            "height": self.height,
            "source": self.source,
            "url": self.url,
            "items": [
                {"text": i.text, "box": [round(v, 1) for v in i.box], "kind": i.kind, "line": i.line}
                for i in self.items
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Screen:
        items = [Item(d["text"], tuple(d["box"]), d.get("kind", "word"), d.get("line", -1)) for d in data["items"]]
        return cls(data["width"], data["height"], items, data.get("source", "dom"), None, data.get("url"))


def group_lines(words: list[tuple[str, tuple[float, float, float, float]]]) -> list[int]:
    """Line index of each pixel-boxed word given in reading (DOM) order.

    A word continues the previous word's line when it sits on the same baseline and starts
    just after it; anything else (a wrap, a new block, another column) starts a new line.
    """
    lines: list[int] = []
    line = -1
    prev = None
    for _, box in words:
        height = max(1.0, box[3] - box[1])
        if prev is not None:
            same_row = abs((box[1] + box[3]) / 2 - (prev[1] + prev[3]) / 2) < 0.4 * height
            gap = box[0] - prev[2]
            if same_row and -0.5 * height <= gap < 1.5 * height:
                lines.append(line)
                prev = box
                continue
        line += 1
        lines.append(line)
        prev = box
    return lines


def is_image_path(target: str) -> bool:
    return "://" not in target and Path(target).suffix.lower() in IMAGE_SUFFIXES


def image_size(data: bytes) -> tuple[int, int]:
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except UnidentifiedImageError:
        raise TinywebError("not an image tinyweb can read (use PNG or JPEG)") from None


def load_screen_json(path: Path) -> Screen:
    """A screen saved with `Screen.to_dict()` as JSON."""
    try:
        return Screen.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as exc:
        raise TinywebError(f"cannot read screen {path}: {exc}") from None


def read_screen(target: str, options=None) -> Screen:
    """Read SCREENSHOT (OCR), URL or HTML FILE (DOM + screenshot; OCR with options.ocr_pages) into a Screen."""
    import asyncio

    from tinyweb.act.live import ScreenOptions, open_page, target_kind
    from tinyweb.act.ocr import ocr_screen

    options = options or ScreenOptions()
    if target_kind(target) == "image":
        return ocr_screen(Path(target).read_bytes(), options.engine)

    async def go() -> Screen:
        from tinyweb.act.dom import dom_screen

        async with open_page(target, options) as page:
            return await dom_screen(page)

    screen = asyncio.run(go())
    if options.ocr_pages:
        return ocr_screen(screen.image, options.engine, screen.url)
    return screen
