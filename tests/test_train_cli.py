"""`tinyweb prompts` and `tinyweb train` through the CLI: help, real runs, dry run, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tinyweb.cli import app
from tinyweb.store import PageRecord, PageStore

runner = CliRunner()


def page(n: int, topic: str) -> PageRecord:
    body = f'<h1 class="{topic}-heading">{topic} page {n}</h1>' + "".join(
        f'<p class="{topic}-text">Paragraph {i} about {topic} number {n} with its own words w{n}x{i}.</p>'
        for i in range(4)
    )
    html = f'<!DOCTYPE html><html lang="en"><head><title>{topic}</title></head><body>{body}</body></html>'
    return PageRecord(
        url=f"https://{topic}.example/{n}.html", source="crawl", title=f"{topic.title()} {n} | Site", topic=topic,
        semantic_html=html,
    )  # fmt: skip


@pytest.fixture
def workspace(tmp_path) -> Path:
    with PageStore(tmp_path / "pages.db") as store:
        for n in range(6):
            store.save(page(n, ["bakery", "football"][n % 2]))
    (tmp_path / "framework.css").write_text(".bakery-heading{font-weight:700}", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("command", ["prompts", "train"])
def test_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "--workspace" in result.output


def test_prompts_then_train_tiny(workspace):
    result = runner.invoke(app, ["prompts", "-w", str(workspace), "--val-fraction", "0.2"])
    assert result.exit_code == 0, result.output
    assert "train" in result.output and "label: a content page for a bakery website" in result.output
    assert (workspace / "prompts" / "train.jsonl").is_file() and (workspace / "prompts.json").is_file()
    args = ["train", "-w", str(workspace), "--tiny-size", "micro", "--vocab-size", "400", "--max-steps", "3"]
    result = runner.invoke(app, [*args, "--batch-size", "2", "--max-seq-len", "256", "--pos2d"])
    assert result.exit_code == 0, result.output
    info = json.loads((workspace / "runs" / "tiny" / "run.json").read_text())
    assert info["init"] == "tiny" and info["pos2d"] is True and info["status"] == "done"
    assert info["metrics"]["final"]["step"] == 3
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "already exists" in again.output and "--resume" in again.output
    assert "Traceback" not in again.output


def test_train_dry_run_tiny(workspace):
    result = runner.invoke(app, ["train", "-w", str(workspace), "--dry-run", "--max-seq-len", "512"])
    assert result.exit_code == 0, result.output
    assert "estimated peak memory" in result.output and "trainable parameters" in result.output
    assert not (workspace / "runs").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "--lora-r", "0", "--base-model", "x"], "--lora-r must be > 0"),
        (["train", "--quant", "2bit", "--base-model", "x"], "--quant must be one of"),
        (["train", "--base-model", "x", "--init", "tiny"], "exactly one of"),
        (["train", "--base-model", "nobody/no-such-model"], "unknown base model"),
        (["train"], "no prompt file"),
        (["prompts", "--format", "xml"], "--format must be one of"),
        (["prompts"], "no workspace"),
    ],
)
def test_errors_are_one_red_line(tmp_path, monkeypatch, args, message):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = runner.invoke(app, [*args, "-w", str(tmp_path / "ws")])
    assert result.exit_code == 1 and message in result.output.replace("\n", " "), result.output
    assert "Traceback" not in result.output


def test_train_malformed_jsonl_names_file_and_line(tmp_path):
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "train.jsonl").write_text('{"prompt": "a", "completion": "b"}\n{oops\n')
    result = runner.invoke(app, ["train", "-w", str(tmp_path), "--tiny-size", "micro"])
    assert result.exit_code == 1 and "train.jsonl:2: malformed JSON" in result.output.replace("\n", "")
