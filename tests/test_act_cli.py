"""`tinyweb act` through the CLI: help, a real run, --execute navigating a local page, clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from tinyweb.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "act"


def test_help():
    result = runner.invoke(app, ["act", "--help"])
    assert result.exit_code == 0 and "--execute" in result.output and "--run" in result.output


def test_execute_clicks_a_link_and_the_page_changes(local_server, tmp_path):
    base, _, folder = local_server
    for name in ("shop.html", "about.html"):
        shutil.copy(FIXTURES / name, folder / name)
    out = tmp_path / "shots"
    result = runner.invoke(app, ["act", f"{base}/shop.html", "click the About us link", "--execute", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "about.html (navigated)" in result.output
    before, after = (out / "before.png").read_bytes(), (out / "after.png").read_bytes()
    assert before.startswith(b"\x89PNG") and after.startswith(b"\x89PNG") and before != after


def test_json_output_on_a_file():
    result = runner.invoke(app, ["act", str(FIXTURES / "shop.html"), "click the Sign up button", "--json"])
    assert result.exit_code == 0, result.output
    action = json.loads(result.stdout)
    assert action["action"] == "click" and action["text"] == "Sign up" and len(action["box_1000"]) == 4


def test_errors_are_one_line(tmp_path):
    for args in (
        ["act", str(tmp_path / "missing.png"), "click x"],
        ["act", str(FIXTURES / "shop.html"), "click the Zebra button"],
        ["act", str(FIXTURES / "shop.html"), "click x", "--viewport", "big"],
        ["act", str(FIXTURES / "shop.html"), "click x", "--run", str(tmp_path / "nope")],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)
        assert "error:" in result.output and "Traceback" not in result.output
