"""A trained tiny run in seconds, for tests of the stages that consume runs (generate, eval, act).

from tinyweb.model.sample_run import tiny_run
run_dir = tiny_run(tmp_path, [("a bakery page", "<html>...</html>"), ...])
loaded = tinyweb.model.load.load_run(run_dir)
"""

from __future__ import annotations

import json
from pathlib import Path

from tinyweb.data.formats import get_format


def write_prompt_files(
    workspace: Path,
    examples: list[tuple[str, str]],
    format_name: str = "tinyweb",
    task: str = "page",
    val_count: int = 1,
) -> Path:
    """prompts/(act/)train.jsonl + val.jsonl + format.json from (label, completion) pairs; the prompts dir."""
    prompt_format = get_format(format_name)
    directory = Path(workspace) / "prompts" if task == "page" else Path(workspace) / "prompts" / task
    directory.mkdir(parents=True, exist_ok=True)
    records = []
    for index, (label, completion) in enumerate(examples):
        record = {"id": f"ex{index}", "url": f"sample://{index}", "label": label, "topic": None, "task": task}
        record.update(prompt_format.record(label, completion))
        records.append(record)
    val = records[:val_count] if len(records) > val_count else []
    for name, subset in (("train", records), ("val", val)):
        with (directory / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            for record in subset:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    (directory / "format.json").write_text(json.dumps({"format": format_name}) + "\n", encoding="utf-8")
    return directory


def tiny_run(
    workspace: Path,
    examples: list[tuple[str, str]],
    run: str = "tiny",
    task: str = "page",
    max_steps: int = 2,
    format_name: str = "tinyweb",
    **options,
) -> Path:
    """Write prompts for the examples, train a micro tiny model for max_steps; the run directory."""
    from tinyweb.model.options import TrainOptions
    from tinyweb.model.train import train

    write_prompt_files(workspace, examples, format_name=format_name, task=task)
    settings = {"tiny_size": "micro", "vocab_size": 512, "batch_size": 2, "max_seq_len": 512, "device": "cpu"}
    settings.update(options)
    opts = TrainOptions(workspace=Path(workspace), init="tiny", run=run, task=task, max_steps=max_steps, **settings)
    return train(opts).run_dir
