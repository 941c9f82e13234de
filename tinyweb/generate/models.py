"""What generates: a trained run, a plain Hugging Face model, or a run's baseline (before training).

A Generator bundles what sampling needs: model, tokenizer, the prompt format the model was
trained with (so the prompt is exactly the training prompt), the framework.css pages are
wrapped with, and the longest sequence the model saw in training.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tinyweb.errors import TinywebError

RUN_JSON = "run.json"


@dataclass
class Generator:
    name: str
    """Shown in reports: the run name, a model id, or "NAME (before training)"."""
    kind: str
    """run, model or baseline."""
    model: object
    tokenizer: object
    prompt_format: object
    """A tinyweb.data.formats.PromptFormat."""
    framework_css: str = ""
    max_length: int | None = None
    """Prompt + page tokens at most (the run's max_seq_len)."""
    info: dict = field(default_factory=dict)
    """run.json, or {} for a plain model."""
    run_dir: Path | None = None

    def prompt(self, label: str) -> str:
        return self.prompt_format.prompt(label, self.tokenizer)

    def stop_strings(self) -> list[str]:
        return self.prompt_format.stop_strings(self.tokenizer)


def _read_info(run_json: Path) -> dict:
    import json

    try:
        info = json.loads(run_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def find_run_dir(run: str | Path | None, workspace: Path, task: str = "page") -> Path:
    """--run as a path (as given, or inside the workspace: runs/NAME) or a name under WORKSPACE/runs/;
    without one, the newest finished run of the task."""
    if run is not None:
        for candidate in (Path(run), Path(workspace) / str(run), Path(workspace) / "runs" / str(run)):
            if (candidate / RUN_JSON).is_file():
                found_task = _read_info(candidate / RUN_JSON).get("task", "page")
                if found_task != task:
                    raise TinywebError(f"run {candidate} was trained for the {found_task} task, not {task}")
                return candidate
        raise TinywebError(f"no run at {run} (no run.json there or in {Path(workspace) / 'runs'}): train one first")
    runs_dir = Path(workspace) / "runs"
    found = []
    for run_json in runs_dir.glob(f"*/{RUN_JSON}") if runs_dir.is_dir() else []:
        info = _read_info(run_json)
        if info.get("task", "page") == task and info.get("status", "done") == "done":
            found.append((run_json.stat().st_mtime, run_json.parent))
    if not found:
        raise TinywebError(
            f"no finished {task} run in {runs_dir}: train one with `tinyweb train --init tiny`, "
            "or pass --run PATH or --model ID_OR_PATH"
        )
    return max(found)[1]


def load_run_generator(run_dir: Path, device: str | None = None) -> Generator:
    from tinyweb.model.load import load_run

    loaded = load_run(Path(run_dir), device=device)
    return Generator(
        name=loaded.info.get("name") or Path(run_dir).name,
        kind="run",
        model=loaded.model,
        tokenizer=loaded.tokenizer,
        prompt_format=loaded.prompt_format,
        framework_css=loaded.framework_css,
        max_length=loaded.info.get("max_seq_len"),
        info=loaded.info,
        run_dir=Path(run_dir),
    )


def load_model_generator(model_id: str, framework_css: str = "", device: str | None = None) -> Generator:
    """A plain causal LM (hub id or local path): chat format when its tokenizer has a template."""
    if (Path(model_id) / RUN_JSON).is_file():
        return load_run_generator(Path(model_id), device)
    from tinyweb.data.formats import get_format
    from tinyweb.model.build import load_base_model, load_base_tokenizer, pick_device, quiet_transformers

    quiet_transformers()
    tokenizer = load_base_tokenizer(model_id)
    model = load_base_model(model_id, "none", pick_device(device))
    model.eval()
    format_name = "chat" if getattr(tokenizer, "chat_template", None) else "tinyweb"
    return Generator(
        name=model_id,
        kind="model",
        model=model,
        tokenizer=tokenizer,
        prompt_format=get_format(format_name),
        framework_css=framework_css,
        max_length=getattr(model.config, "max_position_embeddings", None),
    )


def load_baseline(trained: Generator, device: str | None = None) -> Generator:
    """The same run before training: the tiny model as initialised (same config and seed), or the
    base model without its adapter. Prompt format, tokenizer and CSS are the run's; the trained
    model itself is not needed (it may already be unloaded)."""
    info = trained.info
    if trained.kind != "run":
        raise TinywebError("a baseline needs a trained run (--run), not a plain --model")
    options = info.get("options") or {}
    if info.get("init") == "tiny":
        from tinyweb.model.build import pick_device
        from tinyweb.model.tiny import build_tiny_model

        model = build_tiny_model(
            trained.tokenizer,
            options.get("tiny_size", "small"),
            info.get("max_seq_len") or options.get("max_seq_len", 1024),
            seed=options.get("seed", 0),
        )
        model.to(pick_device(device).torch_device)
    elif info.get("base_model"):
        from tinyweb.model.build import load_base_model, pick_device

        model = load_base_model(info["base_model"], info.get("quant") or "none", pick_device(device))
    else:
        raise TinywebError(f"run {trained.name}: run.json names neither init tiny nor a base_model")
    model.eval()
    return Generator(
        name=f"{trained.name} (before training)",
        kind="baseline",
        model=model,
        tokenizer=trained.tokenizer,
        prompt_format=trained.prompt_format,
        framework_css=trained.framework_css,
        max_length=trained.max_length,
        info=info,
        run_dir=trained.run_dir,
    )
