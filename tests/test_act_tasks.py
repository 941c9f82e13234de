"""Grounding prompts from captured pages (prompts/act/*.jsonl) and their evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinyweb.act.evaluate import evaluate_act
from tinyweb.data.act_tasks import write_act_prompts
from tinyweb.store import PageRecord, PageStore
from tinyweb.workspace import Workspace

SHOP = (Path(__file__).parent / "fixtures" / "act" / "shop.html").read_text(encoding="utf-8")
VARIANTS = [
    ("Corner Bakery", "Our Menu", "Sign up"),
    ("Harbour Bakery", "Price list", "Register"),
    ("Hill Bakery", "Breads", "Join now"),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("act-ws")
    Workspace.create(root)
    with PageStore(root / "pages.db") as store:
        for index, (title, menu, button) in enumerate(VARIANTS):
            html = SHOP.replace("Corner Bakery", title).replace("Our Menu", menu).replace("Sign up", button)
            store.save(PageRecord(url=f"https://bakery{index}.example/", source="file", title=title, styled_html=html))
    summary = write_act_prompts(root, val_fraction=0.34, seed=1)
    assert summary["rendered"] == 3 and summary["val_pages"] == 1 and summary["train"] > 0 and summary["val"] > 0
    return root


def test_records_follow_the_contract(workspace):
    rows = [json.loads(line) for line in (workspace / "prompts/act/train.jsonl").read_text().splitlines()]
    kinds = {row["kind"] for row in rows}
    assert {"click", "type"} <= kinds and kinds & {"text2box", "box2text"}
    for row in rows:
        assert row["task"] == "act" and row["text"] == row["prompt"] + row["completion"]
        assert {"id", "url", "label", "topic", "prompt", "completion", "words", "target_box_1000"} <= set(row)
        for start, end, x, y in row["words"]:
            word = row["prompt"][start:end]
            assert word and " " not in word and 0 <= x <= 1000 and 0 <= y <= 1000
        if row["kind"] == "click":
            answer = json.loads(row["completion"])
            box, point = answer["box_1000"], answer["point_1000"]
            assert answer["action"] == "click" and box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]
            assert row["label"] in row["prompt"] and "[SCREEN]" in row["prompt"]
    meta = json.loads((workspace / "prompts/act/format.json").read_text())
    assert meta["format"] == "tinyweb" and meta["task"] == "act"
    train_urls = {row["url"] for row in rows}
    val_urls = {json.loads(line)["url"] for line in (workspace / "prompts/act/val.jsonl").read_text().splitlines()}
    assert not train_urls & val_urls  # validation pages are held out whole


def test_baseline_click_accuracy_on_val(workspace):
    result = evaluate_act(workspace)
    assert result["tasks"] > 0 and result["run"] is None
    assert result["baseline_click_accuracy"] >= 0.9


@pytest.fixture(scope="module")
def tiny_act_run(tmp_path_factory) -> Path:
    pytest.importorskip("torch")
    from tinyweb.model.sample_run import tiny_run

    answer = '{"action": "click", "point_1000": [10, 10], "box_1000": [0, 0, 20, 20], "text": "Go"}'
    examples = [("click Go\n[SCREEN] words at x,y of 0-1000\n10,10 Go", answer)] * 4
    return tiny_run(tmp_path_factory.mktemp("run-ws"), examples, run="act", task="act", max_steps=1)


def test_run_output_is_an_action_or_reported_invalid(workspace, tiny_act_run):
    from typer.testing import CliRunner

    from tinyweb.cli import app

    report = workspace / "reports" / "act"
    result = evaluate_act(workspace, run=tiny_act_run, limit=2, report_dir=report)  # the eval command's call
    assert result["run_hits"] + result["run_invalid"] <= result["tasks"] == 2
    for example in json.loads((report / "metrics.json").read_text())["invalid_examples"]:
        assert example["error"].startswith("the model")
    shop = str(Path(__file__).parent / "fixtures" / "act" / "shop.html")
    cli = CliRunner().invoke(app, ["act", shop, "click Contact us", "--run", str(tiny_act_run), "--json"])
    assert cli.exit_code in (0, 1), cli.output
    if cli.exit_code == 1:  # an untrained model: its output is reported, not guessed
        assert "error: the model" in cli.output
    else:
        assert json.loads(cli.stdout)["action"] in ("click", "type", "scroll")


def test_run_with_pos2d_generates(tiny_act_run, tmp_path):
    import shutil

    import torch

    from tinyweb.act.model import InvalidAction, RunActor
    from tinyweb.act.screen import Item, Screen
    from tinyweb.model.load import load_run
    from tinyweb.model.pos2d import enable_pos2d, save_pos2d

    run_dir = tmp_path / "act-pos2d"
    shutil.copytree(tiny_act_run, run_dir)
    model = load_run(run_dir).model
    with torch.no_grad():
        enable_pos2d(model).gate.fill_(0.1)
    save_pos2d(model, run_dir)
    actor = RunActor(run_dir, pos2d=True)
    assert actor.pos2d
    screen = Screen(1280, 800, [Item("Go", (0, 0, 20, 20), "word", 0)])
    try:
        actor.act(screen, "click Go")
    except InvalidAction:
        pass
    with pytest.raises(Exception, match="pos2d"):
        RunActor(tiny_act_run, pos2d=True)
