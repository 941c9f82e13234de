"""`tinyweb eval`: val pages generated, rendered and scored; the report is a real web page."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.test_generate import tiny_workspace
from tinyweb.cli import app
from tinyweb.evaluate.metrics import VISUAL_METRICS
from tinyweb.generate.sample import SamplingOptions


@pytest.fixture(scope="module")
def workspace() -> Path:
    return tiny_workspace()


@pytest.fixture(scope="module")
def evaluated(workspace, tmp_path_factory):
    from tinyweb.evaluate.pipeline import EvalOptions, evaluate_pages

    phases: list[str] = []
    options = EvalOptions(
        workspace=workspace,
        runs=(Path("tiny"),),
        report_dir=tmp_path_factory.mktemp("report"),
        sampling=SamplingOptions(max_new_tokens=160, temperature=0),
    )
    report = evaluate_pages(options, lambda phase, done, total: phases.append(phase))
    return report, phases


def test_eval_scores_run_and_baseline(evaluated):
    report, phases = evaluated
    assert [s.kind for s in report.systems] == ["run", "baseline"]
    assert {"generate tiny", "generate tiny (before training)", "render", "score"} <= set(phases)
    metrics = json.loads(report.metrics_path.read_text(encoding="utf-8"))
    assert len(metrics["pages"]) == 3 and [s["slug"] for s in metrics["systems"]] == ["tiny", "tiny-before-training"]
    for system in metrics["systems"]:
        summary = system["summary"]
        assert summary["pages"] == 3
        for name in ("valid", *VISUAL_METRICS, "score", "tags", "depth", "unique_tags", "tokens_per_s"):
            assert summary[name] is not None, name
    page = metrics["pages"][0]
    assert page["label"] == "a bakery page" and page["reference"]["blocks"] == 2
    assert page["reference"]["structure"] == {"tags": 2, "depth": 1, "unique_tags": 2}
    for result in page["results"]:
        assert (report.report_dir / result["screenshot"]).is_file()
        assert (report.report_dir / result["html"]).is_file()
        assert set(result["validity"]) == {"parses", "renders", "nonempty", "valid"}


def test_generated_pages_are_all_valid_and_training_helps(evaluated):
    report, _ = evaluated
    trained, baseline = report.systems
    assert trained.summary["valid"] == 1.0  # every generated output renders as a page after repair
    assert trained.summary["score"] > baseline.summary["score"]
    assert trained.summary["text"] > baseline.summary["text"]


def test_report_renders_its_images_and_tables(evaluated):
    from tinyweb.browser import BrowserOptions, BrowserPool

    report, _ = evaluated

    async def inspect() -> dict:
        async with BrowserPool(BrowserOptions(pages=1, javascript=True, network="same-host")) as pool:
            async with pool.page() as page:
                await page.goto(report.index_path.resolve().as_uri(), wait_until="load")
                return await page.evaluate(
                    """() => ({
                        images: [...document.images].map(i => [i.getAttribute('src'), i.complete, i.naturalWidth]),
                        tables: [...document.querySelectorAll('table')].map(t => [t.rows.length, t.offsetHeight]),
                        title: document.title,
                    })"""
                )

    seen = asyncio.run(inspect())
    assert seen["title"] == "tinyweb eval: tiny"
    assert len(seen["images"]) == 3 * 3  # reference + run + baseline for each of the 3 pages
    for src, complete, width in seen["images"]:
        assert complete and width > 0, src
    summary, *per_page = seen["tables"]
    assert summary[0] == 1 + 2 + 1  # header, run, baseline, reference pages
    assert len(per_page) == 3 and all(rows == 3 and height > 0 for rows, height in per_page)


def test_eval_cli_compare(workspace, tmp_path):
    report_dir = tmp_path / "cmp"
    args = ["eval", "-w", str(workspace), "--compare", "tiny", "tiny-short", "--report", str(report_dir)]
    result = CliRunner().invoke(app, [*args, "--limit", "2", "--max-new-tokens", "60", "--no-baseline"])
    assert result.exit_code == 0, result.output
    metrics = json.loads((report_dir / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["name"] == "tiny vs tiny-short"
    assert [s["name"] for s in metrics["systems"]] == ["tiny", "tiny-short"]
    assert len(metrics["pages"]) == 2 and len(metrics["pages"][0]["results"]) == 2
    assert "tiny-short" in (report_dir / "index.html").read_text(encoding="utf-8")


def test_eval_cli_errors(workspace, tmp_path):
    result = CliRunner().invoke(app, ["eval", "-w", str(tmp_path)])
    assert result.exit_code == 1 and "no workspace" in result.output
    result = CliRunner().invoke(app, ["eval", "-w", str(workspace), "--run", "missing"])
    assert result.exit_code == 1 and "no run at missing" in result.output
    result = CliRunner().invoke(app, ["eval", "-w", str(workspace), "--limit", "0"])
    assert result.exit_code == 1 and "--limit" in result.output
    result = CliRunner().invoke(app, ["eval", "-w", str(workspace), "--task", "nope"])
    assert result.exit_code == 1 and "--task" in result.output
    result = CliRunner().invoke(app, ["eval", "-w", str(workspace), "--task", "act"])  # dispatched to the act stage
    assert result.exit_code == 1 and "no act validation tasks" in result.output
    assert "Traceback" not in result.output


def test_eval_help():
    result = CliRunner().invoke(app, ["eval", "--help"])
    assert result.exit_code == 0 and "--compare" in result.output and "--no-baseline" in result.output
