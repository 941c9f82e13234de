"""The run directory: runs/NAME/ with run.json, tokenizer/, model/ or adapter/, framework.css, checkpoints/.

run.json keys (CONTRACTS.md): name, task, init, base_model, quant, format, max_seq_len, pos2d,
options, data {train_sha256, ...}, metrics {"epochs": [...], "final": {...}}, plus status
("training" | "done"), tinyweb_version, started_at / finished_at.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from tinyweb import __version__
from tinyweb.model.options import TrainError, TrainOptions
from tinyweb.workspace import file_sha256

RUN_JSON = "run.json"


def read_format(prompts_dir: Path) -> dict:
    """prompts/format.json (written by `tinyweb prompts`); the tinyweb format when it is missing."""
    path = Path(prompts_dir) / "format.json"
    if not path.is_file():
        return {"format": "tinyweb"}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TrainError(f"{path}: malformed JSON ({exc.msg})") from None


def read_run_json(run_dir: Path) -> dict:
    path = Path(run_dir) / RUN_JSON
    if not path.is_file():
        raise TrainError(f"no run at {run_dir} (no run.json): train one with `tinyweb train`")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TrainError(f"{path}: malformed JSON ({exc.msg})") from None


def write_run_json(run_dir: Path, info: dict) -> Path:
    path = Path(run_dir) / RUN_JSON
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(info, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def check_run_dir(options: TrainOptions) -> None:
    """A new run must not overwrite a finished one; --resume needs one to continue."""
    run_dir = options.run_dir
    exists = (run_dir / RUN_JSON).is_file()
    if options.resume and not exists:
        raise TrainError(f"--resume: no run {options.run_name!r} at {run_dir} to continue")
    if exists and not options.resume:
        raise TrainError(
            f"run {options.run_name!r} already exists at {run_dir}: pass --resume to continue it, "
            "or --run NAME for a new one"
        )


def initial_run_info(options: TrainOptions, prompt_format: dict, data: dict) -> dict:
    return {
        "name": options.run_name,
        "task": options.task,
        "init": options.init,
        "base_model": options.base_model,
        "quant": None if options.init else options.quant,
        "format": prompt_format.get("format", "tinyweb"),
        "format_options": prompt_format,
        "max_seq_len": options.max_seq_len,
        "pos2d": options.pos2d,
        "options": options.as_dict(),
        "data": data,
        "metrics": {"epochs": [], "final": {}},
        "status": "training",
        "tinyweb_version": __version__,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def data_info(options: TrainOptions, train_count: int, val_count: int, train_tokens: int) -> dict:
    val = options.val_path
    return {
        "train_file": str(options.train_path),
        "train_sha256": file_sha256(str(options.train_path)),
        "val_file": str(val) if val.is_file() else None,
        "val_sha256": file_sha256(str(val)) if val.is_file() else None,
        "train_examples": train_count,
        "val_examples": val_count,
        "train_tokens": train_tokens,
    }


def copy_framework_css(workspace: Path, run_dir: Path) -> bool:
    source = Path(workspace) / "framework.css"
    if source.is_file():
        shutil.copyfile(source, Path(run_dir) / "framework.css")
        return True
    (Path(run_dir) / "framework.css").write_text("", encoding="utf-8")
    return False
