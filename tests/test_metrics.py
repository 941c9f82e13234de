"""Eval metrics on hand-made page pairs with known answers, plus the pieces on their own."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tinyweb.evaluate.color import ciede2000, color_similarity
from tinyweb.evaluate.image import screenshot_similarity, ssim
from tinyweb.evaluate.metrics import VISUAL_METRICS, block_scores, match_blocks, page_metrics, summarise
from tinyweb.evaluate.render import RenderedPage, TextBlock
from tinyweb.evaluate.structure import structure_stats
from tinyweb.generate import standalone_page

CSS = """
.bakery-page { margin: 0; font-family: sans-serif; background: #fffaf0; }
.bakery-nav { display: flex; gap: 24px; padding: 16px 32px; background: #5a3e2b; }
.bakery-nav-link { color: #ffffff; text-decoration: none; }
.bakery-heading { color: #5a3e2b; font-size: 40px; margin: 32px; }
.bakery-text { color: #333333; margin: 0 32px 16px; line-height: 1.5; }
"""
BODY = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bakery</title>
<link rel="stylesheet" href="framework.css"></head><body class="bakery-page"{body_style}>
<nav class="bakery-nav"><a class="bakery-nav-link" href="/">Home</a><a class="bakery-nav-link" href="/menu">Menu</a>
<a class="bakery-nav-link" href="/order">Order</a></nav>
<h1 class="bakery-heading"{heading_style}>Fresh bread every morning</h1>
<p class="bakery-text">Sourdough, rye and croissants baked before sunrise in our wood-fired oven.</p>
<p class="bakery-text">Open Tuesday to Sunday, 7am to 2pm. Closed on Mondays.</p>
</body></html>"""


def page(body_style: str = "", heading_style: str = "") -> str:
    return standalone_page(BODY.format(body_style=body_style, heading_style=heading_style), CSS)


REFERENCE = page()
PAGES = {
    "identical": REFERENCE,
    "blank": standalone_page("", CSS),
    "recoloured": page(heading_style=' style="color: #c0392b"'),
    "shifted": page(body_style=' style="padding-top: 200px"'),
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, RenderedPage]:
    from tinyweb.evaluate.render import render_pages

    names = ["reference", *PAGES]
    pages = render_pages([REFERENCE, *PAGES.values()])
    return dict(zip(names, pages, strict=True))


def test_identical_pages_score_one(rendered):
    figures = page_metrics(rendered["reference"], rendered["identical"], PAGES["identical"])
    assert figures["valid"]
    for name in (*VISUAL_METRICS, "score"):
        assert figures[name] == pytest.approx(1.0), name
    assert figures["matched"] == figures["reference_blocks"] == 6


def test_blank_page_scores_low(rendered):
    figures = page_metrics(rendered["reference"], rendered["blank"], PAGES["blank"])
    assert not figures["valid"] and not figures["validity"]["nonempty"]
    assert figures["score"] < 0.2
    # the block metrics alone (ignoring validity) are zero too: nothing to match
    blocks = block_scores(rendered["reference"], rendered["blank"])
    assert (blocks.block_match, blocks.text, blocks.position, blocks.color) == (0, 0, 0, 0)
    # and so is SSIM: the background both pages share does not count as agreement
    assert screenshot_similarity(rendered["reference"].png, rendered["blank"].png) < 0.3


def test_colour_change_moves_only_colour(rendered):
    figures = page_metrics(rendered["reference"], rendered["recoloured"], PAGES["recoloured"])
    assert figures["valid"]
    for name in ("block_match", "text", "position"):
        assert figures[name] == pytest.approx(1.0), name
    assert figures["color"] < 0.95
    # whole-image similarity sees a few recoloured glyphs, no more
    assert figures["ssim"] > 0.95


def test_shift_moves_position_not_text(rendered):
    figures = page_metrics(rendered["reference"], rendered["shifted"], PAGES["shifted"])
    assert figures["text"] == pytest.approx(1.0) and figures["color"] == pytest.approx(1.0)
    assert figures["position"] < 0.95
    assert figures["ssim"] < 0.95


def test_rendered_blocks_have_boxes_and_colours(rendered):
    heading = next(b for b in rendered["reference"].blocks if b.text == "Fresh bread every morning")
    assert heading.color == (0x5A, 0x3E, 0x2B)
    assert heading.w > 100 and heading.h > 30 and heading.y > 32
    recoloured = next(b for b in rendered["recoloured"].blocks if b.text == heading.text)
    assert recoloured.color == (0xC0, 0x39, 0x2B)


def test_summary_averages_pages(rendered):
    pages = [page_metrics(rendered["reference"], rendered[name], PAGES[name]) for name in ("identical", "blank")]
    summary = summarise(pages)
    assert summary["pages"] == 2 and summary["valid"] == 0.5
    assert summary["score"] == pytest.approx((1.0 + pages[1]["score"]) / 2)
    assert summary["tags"] == pytest.approx((pages[0]["structure"]["tags"] + 0) / 2)


# ---- the pieces, without a browser -------------------------------------------------------


def block(text: str, x: float = 0, y: float = 0, color=(0, 0, 0)) -> TextBlock:
    return TextBlock(text, x, y, 100, 20, color)


def test_matching_pairs_similar_texts_and_drops_unrelated():
    reference = [block("Opening hours"), block("Our menu"), block("Contact us")]
    generated = [block("Our menus"), block("zzzzzzzzzz"), block("Opening hours")]
    pairs = {(i, j) for i, j, _ in match_blocks(reference, generated)}
    assert pairs == {(0, 2), (1, 0)}


def test_block_scores_known_values():
    reference = RenderedPage(png=b"x", blocks=[block("Hello", 0, 0), block("World", 0, 100)], width=1000, height=1000)
    generated = RenderedPage(png=b"x", blocks=[block("Hello", 0, 100)], width=1000, height=1000)
    scores = block_scores(reference, generated)
    assert scores.matched == 1
    assert scores.block_match == pytest.approx(2 / 3)  # matched area 2 blocks of 3
    assert scores.text == pytest.approx(1.0)
    assert scores.position == pytest.approx(0.9)  # centre moved by 100/1000 of the height
    assert scores.color == pytest.approx(1.0)


def test_ciede2000_reference_values():
    # Sharma, Wu and Dalal (2005) test data
    pairs = [
        ([50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425),
        ([50, -1.3802, -84.2814], [50, 0, -82.7485], 1.0000),
        ([50, 2.5, 0], [73, 25, -18], 27.1492),
        ([2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514], 0.9082),
    ]
    for lab1, lab2, expected in pairs:
        assert float(ciede2000(lab1, lab2)) == pytest.approx(expected, abs=1e-4)
    assert float(color_similarity((10, 20, 30), (10, 20, 30))) == 1.0
    assert float(color_similarity((0, 0, 0), (255, 255, 255))) == 0.0


def png_of(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_ssim_identical_one_noise_low():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (64, 64)).astype(float)
    assert ssim(image, image) == pytest.approx(1.0)
    assert ssim(image, rng.integers(0, 256, (64, 64)).astype(float)) < 0.1
    page_png = png_of(np.where(np.indices((400, 320))[0] % 40 < 20, 0, 255))
    white_png = png_of(np.full((400, 320), 255))
    assert screenshot_similarity(page_png, page_png) == pytest.approx(1.0)
    assert screenshot_similarity(page_png, white_png) < 0.5


def test_structure_stats():
    html = "<html><body><div><p>a<b>x</b></p></div><ul><li>1</li></ul><!-- c --></body></html>"
    assert structure_stats(html) == {"tags": 5, "depth": 3, "unique_tags": 5}
    assert structure_stats("") == {"tags": 0, "depth": 0, "unique_tags": 0}
