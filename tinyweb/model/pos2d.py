"""llama2d-style 2D positional encoding: a gated (x, y) encoding added to screen tokens' input embeddings.

Each screen token carries its word's midpoint (x, y) in 0-1000; prompt and generated tokens
carry none. The encoding is random Fourier features of (x, y) (a frozen Gaussian projection,
then sin and cos) scaled by a learnable per-channel gate that starts at zero, so a model with
pos2d attached computes exactly what it did before until the gate trains.

Where it is added: llama2d adds it to q and k after RoPE in every attention layer. tinyweb adds
it once, to the input embeddings, through a forward hook on the embedding module. That one hook
does not depend on the attention implementation (eager, sdpa, flash, transformers' attention
registry, which changes between releases), works unchanged under PEFT/LoRA wrappers and
merged or tiny models, and makes generation right by construction: with a KV cache only the
prefill pass sees the prompt's positions; each generated token is embedded alone and gets none.

Use:
    pos2d = enable_pos2d(model)                       # after get_peft_model: the gate stays trainable
    batch = encode_with_positions(tokenizer, [text], [spans])
    with positions(model, batch["positions"], batch["position_mask"]):
        loss = model(input_ids=batch["input_ids"], ...).loss
    save_pos2d(model, run_dir); load_pos2d(model, run_dir)  # runs/NAME/pos2d.pt
"""

from __future__ import annotations

import bisect
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

from tinyweb.errors import TinywebError

FILENAME = "pos2d.pt"
ATTRIBUTE = "tinyweb_pos2d"


@dataclass(frozen=True)
class Pos2dConfig:
    sigma: float = 8.0
    """Standard deviation of the Gaussian frequencies (coordinates scaled to 0-1): higher = finer detail."""
    seed: int = 0
    """Seed of the frozen projection (saved, so a reloaded run gets the same features)."""

    def __post_init__(self):
        if self.sigma <= 0:
            raise TinywebError("--pos2d-sigma must be > 0")


class Pos2d(nn.Module):
    """Gated random Fourier features of (x, y), sized to the model's hidden size."""

    def __init__(self, hidden_size: int, config: Pos2dConfig = Pos2dConfig()):
        super().__init__()
        if hidden_size % 2:
            raise TinywebError(f"pos2d needs an even hidden size, not {hidden_size}")
        self.config = config
        self.hidden_size = hidden_size
        generator = torch.Generator().manual_seed(config.seed)
        projection = torch.randn(2, hidden_size // 2, generator=generator) * config.sigma
        self.register_buffer("projection", projection, persistent=False)
        self.gate = nn.Parameter(torch.zeros(hidden_size))
        self._positions: torch.Tensor | None = None
        self._mask: torch.Tensor | None = None

    def features(self, xy: torch.Tensor) -> torch.Tensor:
        """(..., 2) coordinates in 0-1000 -> (..., hidden) features in [-1, 1]."""
        angles = 2 * torch.pi * (xy.float() / 1000.0) @ self.projection
        return torch.cat([angles.sin(), angles.cos()], dim=-1)

    def encode(self, xy: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.gate * self.features(xy) * mask.unsqueeze(-1).float()

    def hook(self, module, inputs, output: torch.Tensor) -> torch.Tensor:
        positions, mask = self._positions, self._mask
        if positions is None or output.dim() != 3:
            return output
        length = positions.shape[1]
        if output.shape[0] != positions.shape[0] or output.shape[1] < length:
            return output  # a decoding step (one new token): generated tokens carry no position
        encoding = self.encode(positions.to(output.device), mask.to(output.device)).to(output.dtype)
        if output.shape[1] == length:
            return output + encoding
        return torch.cat([output[:, :length] + encoding, output[:, length:]], dim=1)


def get_pos2d(model) -> Pos2d | None:
    return getattr(_base(model), ATTRIBUTE, None)


def _base(model):
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def enable_pos2d(model, config: Pos2dConfig = Pos2dConfig()) -> Pos2d:
    """Attach pos2d to a (PEFT-wrapped or plain) causal LM; idempotent. The gate is trainable."""
    existing = get_pos2d(model)
    if existing is not None:
        existing.gate.requires_grad_(True)
        return existing
    embeddings = model.get_input_embeddings()
    module = Pos2d(embeddings.embedding_dim, config).to(embeddings.weight.device)
    _base(model).add_module(ATTRIBUTE, module)
    module._handle = embeddings.register_forward_hook(module.hook)
    module.gate.requires_grad_(True)
    return module


def disable_pos2d(model) -> None:
    module = get_pos2d(model)
    if module is not None:
        module._handle.remove()
        delattr(_base(model), ATTRIBUTE)


@contextmanager
def positions(model, xy: torch.Tensor, mask: torch.Tensor):
    """Within the block, forward passes add pos2d to the first xy.shape[1] tokens where mask is true."""
    module = get_pos2d(model)
    if module is None:
        raise TinywebError("this model has no pos2d: train with --pos2d, or act without it")
    module._positions, module._mask = xy, mask.bool()
    try:
        yield module
    finally:
        module._positions = module._mask = None


def save_pos2d(model, run_dir: Path) -> Path:
    module = get_pos2d(model)
    if module is None:
        raise TinywebError("no pos2d on this model to save")
    path = Path(run_dir) / FILENAME
    state = {"config": asdict(module.config), "hidden_size": module.hidden_size, "gate": module.gate.detach().cpu()}
    torch.save(state, path)
    return path


def load_pos2d(model, run_dir: Path) -> Pos2d | None:
    """Attach the run's saved pos2d (runs/NAME/pos2d.pt) to the model; None when the run has none."""
    path = Path(run_dir) / FILENAME
    if not path.is_file():
        return None
    state = torch.load(path, map_location="cpu", weights_only=True)
    module = enable_pos2d(model, Pos2dConfig(**state["config"]))
    if state["hidden_size"] != module.hidden_size:
        raise TinywebError(f"{path} is for hidden size {state['hidden_size']}, the model has {module.hidden_size}")
    with torch.no_grad():
        module.gate.copy_(state["gate"].to(module.gate.device))
    return module


# ---- tokens -> positions ------------------------------------------------------------------


def token_positions(offsets: list[tuple[int, int]], spans: list) -> tuple[list[tuple[float, float]], list[bool]]:
    """Each token's (x, y) from the word span its characters fall in; (0, 0) and False for the others.

    offsets: the tokenizer's offset mapping; spans: (char start, char end, x, y) sorted by start.
    """
    starts = [span[0] for span in spans]
    xy, mask = [], []
    for start, end in offsets:
        found = None
        if end > start:
            index = bisect.bisect_right(starts, start) - 1
            if index >= 0 and spans[index][0] <= start < spans[index][1]:
                found = spans[index]
            elif index + 1 < len(spans) and start < spans[index + 1][0] < end:
                found = spans[index + 1]  # a token that starts with the space before a word
        xy.append((found[2], found[3]) if found else (0.0, 0.0))
        mask.append(found is not None)
    return xy, mask


def encode_with_positions(tokenizer, texts: list[str], spans: list[list], **kwargs) -> dict:
    """Tokenize texts (right-padded) with pos2d inputs: positions (B, L, 2) and position_mask (B, L)."""
    encoded = tokenizer(texts, return_offsets_mapping=True, padding=True, return_tensors="pt", **kwargs)
    offsets = encoded.pop("offset_mapping").tolist()
    xy, mask = zip(
        *(token_positions([tuple(o) for o in row], s) for row, s in zip(offsets, spans, strict=True)), strict=True
    )
    encoded["positions"] = torch.tensor(xy, dtype=torch.float32)
    encoded["position_mask"] = torch.tensor(mask, dtype=torch.bool) & encoded["attention_mask"].bool()
    return dict(encoded)


def prompt_positions(tokenizer, prompt: str, words: list) -> tuple[list[tuple[float, float]], list[bool]]:
    """Positions of `tokenizer(prompt)`'s tokens from an act record's "words" ([start, end, x, y] in the prompt).

    For training batches: the prompt tokens get these, completion and pad tokens (0, 0) and False.
    """
    encoded = tokenizer(prompt, return_offsets_mapping=True)
    return token_positions([tuple(o) for o in encoded["offset_mapping"]], sorted(tuple(w) for w in words))
