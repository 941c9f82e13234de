"""HTML repair: broken model output becomes a safe, complete, renderable document."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from tinyweb.generate import repair_html, standalone_page
from tinyweb.generate.repair import close_raw_text

CSS = ".bakery-text { color: #333; }\n.bakery-heading { color: #5a3e2b; }"
GOOD = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Boulangerie</title>'
    '<link rel="stylesheet" href="framework.css"></head><body class="bakery-page">'
    '<h1 class="bakery-heading">Pain frais</h1><p class="bakery-text" style="margin: 0">Tous les matins.</p>'
    "<ul><li>Baguette</li><li>Croissant</li></ul></body></html>"
)
BROKEN = {
    "truncated mid-tag": '<html><body><div class="bakery-text"><p>Fresh bread <spa',
    "truncated mid-attribute": '<html><body><p>Menu</p><div class="bakery-te',
    "unclosed elements": "<body><div><ul><li>one<li>two<p>para<b>bold",
    "garbage": "<<>> &&& </div></p> %% <//> <a <b <c",
    "empty": "",
    "whitespace": "  \n\t ",
    "control characters": "\x00\x01<p>\x07text\x1b</p>",
    "unclosed title": '<html><head><title><body class="bakery-page"><p>Swallowed by the title?</p>',
    "stray text after the page": "<html><body><p>page</p></body></html>\n[TINY-WEB-DEV-TITLE]\nnext page",
    "scripts and handlers": (
        '<body onload="steal()"><script>alert(1)</script><a href="javascript:alert(1)">x</a>'
        '<a href=" JaVa\tScript:alert(1)">y</a><img src="x.png" onerror="alert(1)"><iframe src="//evil"></iframe>'
        '<form action="javascript:1"><button formaction="javascript:2">go</button></form>'
        '<div onclick="x()" class="bakery-text">kept</div><!-- secret comment --></body>'
    ),
    "svg script": '<svg><script>alert(1)</script><a xlink:href="javascript:1"><text>t</text></a></svg>',
    "meta refresh and base": (
        '<head><meta http-equiv="refresh" content="0;url=//evil"><base href="//evil/"></head><p>x</p>'
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_input_gives_a_complete_document(name):
    page = standalone_page(BROKEN[name], CSS)
    assert page.startswith("<!DOCTYPE html>\n<html lang=")
    tree = LexborHTMLParser(page)
    assert tree.head is not None and tree.body is not None
    assert tree.head.css_first("style").text().strip() == CSS
    assert tree.css_first("link") is None and tree.css_first("script") is None
    assert standalone_page(page, CSS) == page, "repair must be idempotent"


def test_open_elements_are_closed_and_truncated_tags_dropped():
    body = repair_html(BROKEN["truncated mid-tag"]).body_html
    assert body == '<div class="bakery-text"><p>Fresh bread </p></div>'
    assert repair_html(BROKEN["truncated mid-attribute"]).body_html == "<p>Menu</p>"
    unclosed = repair_html(BROKEN["unclosed elements"]).body_html
    assert unclosed == "<div><ul><li>one</li><li>two<p>para<b>bold</b></p></li></ul></div>"


def test_unsafe_parts_are_dropped():
    page = standalone_page(BROKEN["scripts and handlers"], CSS)
    lower = page.lower()
    for needle in ("script", "onload", "onerror", "onclick", "iframe", "alert", "steal", "secret comment"):
        assert needle not in lower, needle
    assert '<div class="bakery-text">kept</div>' in page
    assert '<img src="x.png">' in page
    svg = standalone_page(BROKEN["svg script"], CSS)
    assert "alert" not in svg and "javascript" not in svg and "<text>t</text>" in svg
    meta = standalone_page(BROKEN["meta refresh and base"], CSS)
    assert "refresh" not in meta and "<base" not in meta and "<p>x</p>" in meta


def test_unclosed_raw_text_element_does_not_swallow_the_page():
    assert close_raw_text("<title>a<p>b") == "<title>a</title><p>b"
    assert close_raw_text("<title>a</title><textarea>b") == "<title>a</title><textarea>b</textarea>"
    page = repair_html(BROKEN["unclosed title"])
    assert page.body_html == "<p>Swallowed by the title?</p>"
    assert page.body_attributes == (("class", "bakery-page"),)


def test_text_after_the_page_is_dropped():
    assert repair_html(BROKEN["stray text after the page"]).body_html == "<p>page</p>"


def test_good_page_keeps_lang_title_classes_and_inline_styles():
    page = standalone_page(GOOD, CSS)
    assert '<html lang="fr">' in page and "<title>Boulangerie</title>" in page
    assert '<body class="bakery-page">' in page
    assert '<p class="bakery-text" style="margin: 0">Tous les matins.</p>' in page
    assert "<title>Boulangerie</title>" in standalone_page(GOOD, CSS, title="A bakery")
    assert "<title>A bakery</title>" in standalone_page("<p>x</p>", CSS, title="A bakery")


def test_css_cannot_close_its_style_element():
    page = standalone_page("<p>x</p>", "p { color: red }</style><script>alert(1)</script>")
    tree = LexborHTMLParser(page)
    assert tree.css_first("script") is None and len(tree.head.css("style")) == 1


def test_every_prefix_of_a_page_repairs_to_a_stable_document():
    for end in range(0, len(GOOD) + 1, 3):
        page = standalone_page(GOOD[:end], CSS)
        assert standalone_page(page, CSS) == page, end


def test_repaired_pages_render_in_chromium():
    from tinyweb.evaluate.render import render_pages
    from tinyweb.evaluate.structure import validity

    pages = [standalone_page(html, CSS) for html in BROKEN.values()]
    rendered = render_pages(pages)
    for name, html, shot in zip(BROKEN, pages, rendered, strict=True):
        checks = validity(html, shot)
        assert checks["renders"], name
        assert checks["valid"] == (name not in ("empty", "whitespace")), name
