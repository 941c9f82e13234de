"""The diff, inheritance, alias, shorthand, pseudo-element and cleaning rules, in real Chromium."""

from __future__ import annotations

import functools
import re

from selectolax.lexbor import LexborHTMLParser

from tests.conftest import capture_html

PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Rules</title>
<meta name="description" content="A page that exercises the capture rules">
<style>
  .red { color: red; border: 1px solid; }
  .half { width: 50%; }
  .box { margin: 10px 20px; padding: 4px 8px 4px 8px; }
  .star::before { content: "\\2605  "; color: gold; }
  .clear::after { content: ""; display: table; clear: both; }
  h2.plain { }
  #gone { display: none; }
</style>
<script>document.title = "changed";</script>
</head>
<body>
  <!-- a comment -->
  <div class="red" id="r"><p>inherits red</p></div>
  <div class="half">half</div>
  <div>plain</div>
  <h2 class="plain">default heading</h2>
  <div class="box" onclick="alert(1)" data-x="1">box</div>
  <span class="star">starred</span>
  <div class="clear">cleared</div>
  <div id="gone">secret text</div>
  <a href="/about" title="About" class="link">about</a>
</body></html>"""


@functools.cache
def styled() -> tuple[dict, LexborHTMLParser]:
    result = capture_html(PAGE)
    return result, LexborHTMLParser(result["html"])


def style_of(tree: LexborHTMLParser, text: str) -> str:
    for node in tree.css("body *"):
        if node.text(deep=False).strip() == text:
            return node.attributes.get("style") or ""
    raise AssertionError(f"no element with text {text!r}")


def test_page_metadata_and_cleaning():
    result, tree = styled()
    html = result["html"]
    assert result["title"] == "Rules"
    assert result["description"] == "A page that exercises the capture rules"
    assert result["lang"] == "en"
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html and "<!--" not in html
    assert "class=" not in html and " id=" not in html
    assert "onclick" not in html and "data-x" not in html and "title=" not in html
    assert "secret text" not in html
    assert tree.css_first("title").text() == "Rules"


def test_inherited_value_is_written_once_on_the_ancestor():
    _, tree = styled()
    red = style_of(tree, "")  # the .red div has only an element child
    assert "color: red" in red or "color: #f00" in red or "color:#f00" in red.replace(" ", "")
    assert style_of(tree, "inherits red") == ""


def test_current_color_aliases_are_dropped():
    _, tree = styled()
    red = [n for n in tree.css("div") if n.css_first("p")][0].attributes["style"]
    assert "border-top-color" not in red and "border-color" not in red
    assert "border-width: 1px" in red and "border-style: solid" in red


def test_authored_width_is_kept_as_authored_and_auto_is_not_written():
    _, tree = styled()
    assert "width: 50%" in style_of(tree, "half")
    assert style_of(tree, "plain") == ""
    assert style_of(tree, "default heading") == ""


def test_shorthands_are_collapsed():
    _, tree = styled()
    box = style_of(tree, "box")
    assert "margin: 10px 20px" in box
    assert "padding: 4px 8px" in box
    assert "margin-top" not in box


def test_pseudo_elements_become_real_elements():
    _, tree = styled()
    first = tree.css_first("span > span")
    assert first is not None and first.text().startswith("\u2605")
    assert "color: #ffd700" in first.attributes["style"] or "gold" in first.attributes["style"]
    cleared = [n for n in tree.css("div") if n.text(deep=False).strip() == "cleared"][0]
    after = cleared.css("span")[-1]
    assert "display: table" in after.attributes["style"] and "clear: both" in after.attributes["style"]


def test_links_are_absolute_and_only_useful_attributes_stay():
    result, tree = styled()
    link = tree.css_first("a")
    assert link.attributes == {"href": link.attributes["href"]}
    assert re.match(r"^(about:blank|https?://|file:)", link.attributes["href"]) or link.attributes["href"].endswith(
        "/about"
    )


def test_stats_count_elements_and_declarations():
    result, tree = styled()
    stats = result["stats"]
    assert stats["elements"] == len(tree.css("html, html *")) - len(tree.css("head, head *"))
    assert stats["unresolved"] == 0
    assert stats["hidden_removed"] >= 1
    assert stats["pseudo_elements"] == 2
    written = sum(
        len([d for d in n.attributes.get("style", "").split(";") if d.strip()]) for n in tree.css("body, body *, html")
    )
    assert stats["declarations"] == written


def test_precise_numbers_and_clamped_boxes_survive():
    result = capture_html(
        "<!DOCTYPE html><body><div style='width:83.33333333%'>a</div>"
        "<p style='display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden'>b</p>"
        "<div style='line-height:1.42857143'>c</div></body>"
    )
    tree = LexborHTMLParser(result["html"])
    assert "width: 83.333336%" in style_of(tree, "a")  # not rounded to 83.3333 %
    assert "display: -webkit-box" in style_of(tree, "b")
    assert "line-height: 1.4285715" in style_of(tree, "c")  # a factor, not pixels


def test_naive_baseline_keeps_many_more_declarations():
    naive = capture_html(PAGE, naive=True)["stats"]
    ours = styled()[0]["stats"]
    assert naive["declarations"] > 5 * ours["declarations"]
    assert naive["repair_rounds"] == 0
