"""The semantic CSS framework: normalisation, mining, naming, conversion and its rendering."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from tinyweb.capture.embed import EmbedOptions, embed
from tinyweb.cli import app
from tinyweb.css.base import choose_base, rebase
from tinyweb.css.framework import BuildCssOptions, build_css
from tinyweb.css.mine import mine_classes
from tinyweb.css.naming import class_names
from tinyweb.css.parse import parse_style, style_atoms
from tinyweb.css.roles import element_role
from tinyweb.errors import TinywebError
from tinyweb.store import PageRecord, PageStore

DEMO_SITE = Path(__file__).parent.parent / "tinyweb" / "demo_site"
runner = CliRunner()


def test_equal_styles_normalise_to_equal_declarations():
    assert parse_style("color: rgb(255, 0, 0); margin: 0px 0px 0px 0px") == [("color", "#ff0000"), ("margin", "0")]
    assert parse_style("color: #F00") == parse_style("color: rgb(255,0,0)") == [("color", "#ff0000")]
    assert parse_style("color: rgba(0, 0, 0, 0.5)") == [("color", "rgba(0,0,0,0.5)")]
    assert parse_style("padding: 1px 2px 1px 2px") == [("padding", "1px 2px")]
    longhands = "margin-top: 0px; margin-right: 4px; margin-bottom: 0px; margin-left: 4px"
    assert parse_style(longhands) == parse_style("margin: 0 4px") == [("margin", "0 4px")]
    side = "border-top-width: 1px; border-top-style: solid; border-top-color: #000"
    assert parse_style(side) == [("border-top", "1px solid #000000")]
    # cssutils would drop the unit inside calc() (invalid CSS); the value is kept as written.
    assert parse_style("width: calc(50% - 0px)") == [("width", "calc(50% - 0px)")]
    # Declarations cssutils cannot validate are kept, not lost.
    assert parse_style("color: RGBA(0,0,0,0.5); x-new: f(1;2)") == [("color", "rgba(0,0,0,0.5)"), ("x-new", "f(1;2)")]


def test_overlapping_declarations_stay_together_in_one_atom():
    atoms = style_atoms("border: 1px solid red; border-top-color: blue; color: red; padding: 0; padding-left: 3px")
    assert "border: 1px solid #ff0000; border-top-color: #0000ff" in atoms
    assert "padding: 0; padding-left: 3px" in atoms
    assert "color: #ff0000" in atoms and len(atoms) == 3
    assert style_atoms("color: red; margin: 0") == style_atoms("margin: 0px; color: #ff0000")


def test_base_rules_take_common_tag_declarations_and_others_revert():
    tag_elements = Counter({"td": 10, "p": 10})
    tag_atoms = Counter({("td", "vertical-align: middle"): 9, ("td", "color: #ff0000"): 3, ("p", "margin: 0"): 5})
    base = choose_base(tag_elements, tag_atoms, cost=lambda atom: len(atom) / 3, min_elements=3)
    assert base == {"td": ("vertical-align: middle",)}
    assert rebase(base["td"], ("color: #ff0000", "vertical-align: middle")) == ("color: #ff0000",)
    assert rebase(base["td"], ("color: #ff0000",)) == ("color: #ff0000", "vertical-align: revert")
    # An element's own declaration on the same property keeps winning: the revert goes first, in one atom.
    border_base = ("border: 0 none",)
    assert rebase(border_base, ("border-top: 1px solid #000000",)) == ("border: revert; border-top: 1px solid #000000",)


def test_mining_makes_shared_sets_classes_and_leaves_rare_ones_inline():
    card = frozenset({"padding: 16px", "border-radius: 8px", "background-color: #ffffff"})
    link = frozenset({"color: #c8553d", "text-decoration: none"})
    rare = frozenset({"color: #123456", "letter-spacing: 3px"})
    sets = Counter({card: 10, link: 20, rare: 1, card | {"margin: 0 auto"}: 5})
    mined = mine_classes(sets, cost=lambda atom: len(atom) / 3, min_support=3, max_classes=50)
    assert card in mined.classes and link in mined.classes
    assert not any(cls <= rare for cls in mined.classes)
    assert mined.covers[rare].classes == () and set(mined.covers[rare].remainder) == rare
    # The card with a margin uses the card class and keeps the margin inline (or in a class of its own).
    wide_card = mined.covers[card | {"margin: 0 auto"}]
    served = set().union(*(mined.classes[i] for i in wide_card.classes)) | set(wide_card.remainder)
    assert served == card | {"margin: 0 auto"}
    assert mined.usage[mined.classes.index(link)] == 20


def test_roles_and_names_come_from_tag_context_and_topic():
    assert element_role("a", ["li", "ul", "nav", "body"], set()) == "nav-link"
    assert element_role("h2", ["section"], set()) == "heading"
    assert element_role("div", ["main"], {"box-shadow", "padding"}) == "card"
    assert element_role("input", ["form"], set(), "submit") == "form-button"
    topics = [Counter({"football": 9, "bakery": 1}), Counter({"bakery": 2, "football": 2}), Counter({"football": 5})]
    roles = [Counter({"nav-link": 9}), Counter({"heading": 4}), Counter({"nav-link": 5})]
    assert class_names(topics, roles, usage=[10, 4, 5]) == [
        "football-nav-link",
        "common-heading",
        "football-nav-link-2",
    ]


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory) -> Path:
    """The bundled sample site captured from files (10 pages, three topics)."""
    workspace = tmp_path_factory.mktemp("css") / "ws"
    summary = embed(EmbedOptions(inputs=(str(DEMO_SITE),), workspace=workspace, network="same-host"))
    assert len(summary.ok) == 10 and not summary.failed
    return workspace


def test_topics_small_corpus_fallback_labels_each_site(demo_workspace: Path):
    result = runner.invoke(app, ["topics", "-w", str(demo_workspace)])
    assert result.exit_code == 0, result.output
    topics = json.loads((demo_workspace / "topics.json").read_text())
    assert topics["backend"] == "kmeans"
    by_site: dict[str, set[str]] = {}
    for url, label in topics["pages"].items():
        site = url.split("demo_site/")[1].split("/")[0] if "/" in url.split("demo_site/")[1] else "index"
        by_site.setdefault(site, set()).add(label)
    # Each sample site's pages share one label, and the three sites get three different labels.
    for site in ("bakery", "football", "photo"):
        assert len(by_site[site]) == 1, by_site
    assert len({next(iter(by_site[s])) for s in ("bakery", "football", "photo")}) == 3
    assert all(t["label"].isalpha() and t["label"].islower() for t in topics["topics"])
    with PageStore(demo_workspace / "pages.db") as store:
        assert all(p.topic for p in store.pages(status="ok"))


def test_topics_with_bertopic_and_the_offline_embedding_model(demo_workspace: Path, tmp_path: Path):
    from tinyweb.css.topics import TopicsOptions, find_topics

    copy = tmp_path / "ws"
    copy.mkdir()
    (copy / "pages.db").write_bytes((demo_workspace / "pages.db").read_bytes())
    result = find_topics(TopicsOptions(workspace=copy, backend="bertopic", min_topic_size=2))
    assert result.backend == "bertopic" and len(result.pages) == 10
    assert 2 <= len(result.topics) <= 5
    assert len({t.label for t in result.topics}) == len(result.topics)


def test_build_css_renders_like_the_styled_pages_and_is_stable(demo_workspace: Path):
    runner.invoke(app, ["topics", "-w", str(demo_workspace)])
    result = runner.invoke(app, ["build-css", "-w", str(demo_workspace)])
    assert result.exit_code == 0, result.output
    assert "token compression" in result.output
    first_css = (demo_workspace / "framework.css").read_text()
    framework = json.loads((demo_workspace / "framework.json").read_text())
    labels = {t["label"] for t in json.loads((demo_workspace / "topics.json").read_text())["topics"]}
    assert framework and all(entry["topic"] in labels | {"common"} for entry in framework.values())
    assert any(entry["topic"] in labels for entry in framework.values())
    with PageStore(demo_workspace / "pages.db") as store:
        pages = store.pages(status="ok")
    for page in pages:
        assert page.semantic_fidelity == 1.0, (page.url, page.semantic_fidelity)
        assert len(page.semantic_html) < len(page.styled_html)
        tree = LexborHTMLParser(page.semantic_html)
        assert tree.css_first('link[href="framework.css"]') is not None
        used = {name for node in tree.css("[class]") for name in node.attrs["class"].split()}
        assert used <= set(framework)
    summary = build_css(BuildCssOptions(workspace=demo_workspace, verify=False))
    assert (demo_workspace / "framework.css").read_text() == first_css
    assert summary.compression.median_token_ratio > 1.5
    assert summary.coverage > 0.8


OVERLAPPING = """<!DOCTYPE html><html><body style="margin: 0px">
{cards}
</body></html>"""
CARD = (
    '<div style="border: 4px solid rgb(200, 0, 0); border-top-color: rgb(0, 0, 200); padding: 10px; '
    'margin: 6px; background-color: rgb(240, 240, 200)">'
    '<p style="color: rgb(0, 100, 0); margin: 0px">card {i}</p></div>'
    '<div style="border: 4px solid rgb(200, 0, 0); padding: 10px; padding-left: 30px; margin: 6px">'
    '<p style="color: rgb(0, 100, 0); margin: 0px; font-weight: 700">other {i}</p></div>'
)


def test_overlapping_shorthands_and_longhands_render_like_inline(tmp_path: Path):
    """Inline styles where a longhand overrides part of a shorthand keep their meaning as classes."""
    workspace = tmp_path / "ws"
    workspace.mkdir()
    html = OVERLAPPING.format(cards="".join(CARD.format(i=i) for i in range(6)))
    with PageStore(workspace / "pages.db") as store:
        store.save(PageRecord(url="file:///overlap.html", source="file", styled_html=html, text="cards"))
    summary = build_css(BuildCssOptions(workspace=workspace, min_support=2))
    assert summary.classes >= 2
    assert summary.median_fidelity == 1.0
    css = (workspace / "framework.css").read_text()
    # The shorthand and the longhand that overrides part of it travel together, in their order.
    assert any("border: 4px solid #c80000; border-top-color: #0000c8" in line for line in css.splitlines())
    assert any("padding: 10px; padding-left: 30px" in line for line in css.splitlines())
    with PageStore(workspace / "pages.db") as store:
        semantic = store.pages(status="ok")[0].semantic_html
    assert "style=" not in semantic.split("<body", 1)[1].split(">", 1)[1]


def test_build_css_without_workspace_fails_in_one_line(tmp_path: Path):
    result = runner.invoke(app, ["build-css", "-w", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "no workspace" in result.output
    with pytest.raises(TinywebError, match="--min-support"):
        BuildCssOptions(workspace=tmp_path, min_support=1)
