"""`tinyweb demo` end to end on the bundled sample site (the reduced --quick run)."""

from __future__ import annotations

import json
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from tinyweb.cli import app
from tinyweb.demo import DEMO_SITE

runner = CliRunner()


def test_quick_demo_runs_every_stage_on_the_sample_site(tmp_path: Path):
    workspace = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "-w", str(workspace), "--quick"])
    assert result.exit_code == 0, result.output
    site_pages = list(DEMO_SITE.rglob("*.html"))
    styled = sorted((workspace / "styled").glob("*.html"))
    assert len(styled) == len(site_pages)
    for path in styled:
        tree = LexborHTMLParser(path.read_text())
        assert not tree.css("script, link, style, [class]")
    # Every stage left its artifact behind.
    topics = json.loads((workspace / "topics.json").read_text())
    assert len(topics["topics"]) >= 2
    assert (workspace / "framework.css").read_text().count("{") > 10
    assert (workspace / "prompts" / "train.jsonl").stat().st_size > 0
    run = json.loads((workspace / "runs" / "demo" / "run.json").read_text())
    assert run["init"] == "tiny"
    generated = sorted((workspace / "generated").glob("*.html"))
    assert len(generated) == 2 and all(p.with_suffix(".png").is_file() for p in generated)
    assert (workspace / "reports" / "demo" / "index.html").is_file()
    action = json.loads((workspace / "act.json").read_text())
    assert action["action"] == "click" and action["text"] == "Fixtures"
    again = runner.invoke(app, ["demo", "-w", str(workspace), "--quick"])
    assert again.exit_code == 0, again.output  # a second demo starts afresh
