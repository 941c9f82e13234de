"""`tinyweb demo` end to end on the bundled sample site."""

from __future__ import annotations

from pathlib import Path

from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from tinyweb.cli import app
from tinyweb.demo import DEMO_SITE

runner = CliRunner()


def test_demo_crawls_and_captures_the_whole_sample_site(tmp_path: Path):
    result = runner.invoke(app, ["demo", "-w", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    site_pages = list(DEMO_SITE.rglob("*.html"))
    styled = sorted((tmp_path / "demo" / "styled").glob("*.html"))
    assert len(styled) == len(site_pages)
    assert any(p.name == "127.0.0.1-bakery-menu.html" for p in styled)
    for path in styled:
        tree = LexborHTMLParser(path.read_text())
        assert not tree.css("script, link, style, [class]")
        assert tree.css_first("title") is not None
    again = runner.invoke(app, ["demo", "-w", str(tmp_path / "demo")])
    assert again.exit_code == 0, again.output  # a second demo starts afresh
    assert len(list((tmp_path / "demo" / "styled").glob("*.html"))) == len(site_pages)
