"""Checkpoints: trainable weights + optimizer + scheduler + RNG + position, so a run resumes exactly.

runs/NAME/checkpoints/step-000123/ holds state.pt (weights that train, optimizer, scheduler)
and position.json (step, epoch, batch within the epoch, RNG states are in rng.pt). Only
trainable parameters are saved for LoRA runs, so a checkpoint is adapter-sized.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from tinyweb.errors import TinywebError


@dataclass
class Position:
    step: int = 0
    """Optimizer steps done."""
    epoch: int = 0
    """Epoch in progress (0-based)."""
    batch: int = 0
    """Micro-batches of that epoch already consumed."""
    epochs_done: list | None = None
    """Per-epoch metrics so far."""


def _trainable_state(model) -> dict:
    return {name: p.detach().cpu().clone() for name, p in model.named_parameters() if p.requires_grad}


def save_checkpoint(directory: Path, model, optimizer, scheduler, position: Position, keep: int) -> Path:
    import numpy
    import torch

    directory = Path(directory)
    target = directory / f"step-{position.step:06d}"
    tmp = directory / f".tmp-step-{position.step:06d}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    torch.save(
        {"model": _trainable_state(model), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()},
        tmp / "state.pt",
    )
    rng = {"python": random.getstate(), "numpy": numpy.random.get_state(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        rng["cuda"] = torch.cuda.get_rng_state_all()
    torch.save(rng, tmp / "rng.pt")
    (tmp / "position.json").write_text(json.dumps(asdict(position), indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)  # a checkpoint exists whole or not at all
    for old in list_checkpoints(directory)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return target


def list_checkpoints(directory: Path) -> list[Path]:
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("step-*") if (p / "position.json").is_file())


def load_checkpoint(path: Path, model, optimizer, scheduler) -> Position:
    """Restore a checkpoint into model/optimizer/scheduler and the RNGs; the position to continue from."""
    import numpy
    import torch

    path = Path(path)
    state = torch.load(path / "state.pt", map_location="cpu", weights_only=False)
    trainable = dict(model.named_parameters())
    missing = [name for name in state["model"] if name not in trainable]
    if missing:
        raise TinywebError(f"checkpoint {path} does not match this model (e.g. {missing[0]}): train a new --run")
    with torch.no_grad():
        for name, value in state["model"].items():
            trainable[name].copy_(value.to(trainable[name].device, trainable[name].dtype))
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    rng = torch.load(path / "rng.pt", map_location="cpu", weights_only=False)
    random.setstate(rng["python"])
    numpy.random.set_state(rng["numpy"])
    torch.set_rng_state(rng["torch"])
    if "cuda" in rng and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(rng["cuda"])
    return Position(**json.loads((path / "position.json").read_text(encoding="utf-8")))
