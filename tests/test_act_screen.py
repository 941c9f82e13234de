"""Screens: the DOM path reads words and named elements; OCR finds the same words near their DOM boxes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tinyweb.act.ground import normalise
from tinyweb.act.screen import Item, Screen, group_lines

SHOP = Path(__file__).parent / "fixtures" / "act" / "shop.html"


def dom_and_ocr(path: Path) -> tuple[Screen, Screen]:
    from tinyweb.act.dom import dom_screen
    from tinyweb.act.live import ScreenOptions, open_page
    from tinyweb.act.ocr import ocr_screen

    async def go():
        async with open_page(str(path), ScreenOptions()) as page:
            return await dom_screen(page)

    dom = asyncio.run(go())
    return dom, ocr_screen(dom.image)


@pytest.fixture(scope="module")
def shop_screens() -> tuple[Screen, Screen]:
    return dom_and_ocr(SHOP)


def test_dom_screen_has_words_and_named_elements(shop_screens):
    dom, _ = shop_screens
    assert (dom.width, dom.height) == (1280, 800) and dom.source == "dom" and dom.image.startswith(b"\x89PNG")
    assert "Fresh" in [w.text for w in dom.words]
    named = {(e.text, e.kind) for e in dom.elements}
    assert {("Contact us", "link"), ("Sign up", "button"), ("Email address", "field")} <= named
    assert ("Your name", "field") in named  # no <label>: named after the nearest text on its left
    assert all(0 <= v <= 1000 for item in dom.items for v in item.box)
    heading = [w for w in dom.words if w.text in ("Fresh", "bread", "every", "morning")]
    assert len({w.line for w in heading}) == 1


def test_ocr_finds_known_words_near_their_dom_boxes(shop_screens):
    dom, ocr = shop_screens
    assert ocr.source == "ocr:rapidocr" and (ocr.width, ocr.height) == (1280, 800)
    for word in ("Fresh", "morning", "Sourdough", "Croissants", "Contact", "Email"):
        truth = next(w for w in dom.words if w.text == word)
        near = [
            w
            for w in ocr.words
            if normalise(word) in normalise(w.text)
            and abs(w.center[1] - truth.center[1]) < 15
            and w.box[0] - 15 < truth.center[0] < w.box[2] + 15
        ]
        assert near, f"OCR did not find {word!r} near {truth.box}"


def test_group_lines_splits_rows_and_gaps():
    words = [("a", (0, 0, 10, 10)), ("b", (12, 0, 20, 10)), ("c", (100, 0, 110, 10)), ("d", (0, 20, 10, 30))]
    assert group_lines(words) == [0, 0, 1, 2]


def test_screen_round_trips_through_dict():
    screen = Screen(1280, 800, [Item("Hi", (1.0, 2.0, 3.0, 4.0), "word", 0), Item("Go", (5, 6, 7, 8), "button")])
    again = Screen.from_dict(screen.to_dict())
    assert again.items == screen.items and again.to_pixels((500, 500)) == [640, 400]
