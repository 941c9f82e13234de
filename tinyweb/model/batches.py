"""Training batches: read prompt JSONL, tokenize with the prompt masked, group by length, pad.

Masking: the prompt and the completion are tokenized separately (the prompt exactly as
generation will tokenize it), concatenated, and the eos id is appended; labels are the
input ids with every prompt token (and every pad) set to -100, so the loss covers the
completion and its end only.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from pathlib import Path

from tinyweb.errors import TinywebError

IGNORE_INDEX = -100


class DataError(TinywebError):
    pass


def read_jsonl(path: Path, required: tuple[str, ...] = ("prompt", "completion")) -> list[dict]:
    """Records of a JSONL file; a clear error naming the file and line of the first bad one."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"no prompt file {path}: run `tinyweb prompts` first")
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{number}: malformed JSON ({exc.msg} at column {exc.colno})") from None
            if not isinstance(record, dict):
                raise DataError(f"{path}:{number}: expected a JSON object, got {type(record).__name__}")
            missing = [key for key in required if not isinstance(record.get(key), str)]
            if missing:
                raise DataError(f"{path}:{number}: missing string field(s) {', '.join(missing)}")
            records.append(record)
    return records


@dataclass(frozen=True)
class Example:
    input_ids: list[int]
    labels: list[int]
    truncated: bool = False
    positions: list | None = None
    """--pos2d: (x, y) per prompt token (from an act record's "words"), None otherwise."""
    position_mask: list | None = None
    """--pos2d: which prompt tokens are screen words."""

    def __len__(self) -> int:
        return len(self.input_ids)

    @property
    def trained_tokens(self) -> int:
        return sum(1 for label in self.labels if label != IGNORE_INDEX)


def encode_example(tokenizer, prompt: str, completion: str, max_len: int) -> Example | None:
    """input_ids = prompt + completion + eos, labels with the prompt masked; None if the prompt alone is too long."""
    prompt_ids = tokenizer(prompt)["input_ids"]
    completion_ids = tokenizer(completion, add_special_tokens=False)["input_ids"]
    if tokenizer.eos_token_id is not None:
        completion_ids = [*completion_ids, tokenizer.eos_token_id]
    if len(prompt_ids) >= max_len:
        return None
    room = max_len - len(prompt_ids)
    truncated = len(completion_ids) > room
    completion_ids = completion_ids[:room]
    return Example(
        input_ids=prompt_ids + completion_ids,
        labels=[IGNORE_INDEX] * len(prompt_ids) + completion_ids,
        truncated=truncated,
    )


@dataclass
class EncodedSet:
    examples: list[Example]
    dropped: int = 0
    truncated: int = 0

    @property
    def tokens(self) -> int:
        return sum(len(e) for e in self.examples)


def encode_records(tokenizer, records: list[dict], max_len: int, pos2d: bool = False) -> EncodedSet:
    encoded = EncodedSet(examples=[])
    for record in records:
        example = encode_example(tokenizer, record["prompt"], record["completion"], max_len)
        if example is None:
            encoded.dropped += 1
            continue
        if pos2d:
            from tinyweb.model.pos2d import prompt_positions

            xy, mask = prompt_positions(tokenizer, record["prompt"], record.get("words") or [])
            example = replace(example, positions=xy, position_mask=mask)
        encoded.truncated += int(example.truncated)
        encoded.examples.append(example)
    return encoded


def length_grouped_batches(lengths: list[int], batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    """Batches of indices of similar length (less padding), in a deterministic order per (seed, epoch).

    As HF's LengthGroupedSampler: shuffle, sort within mega-batches of 50 batches by length, cut into
    batches, shuffle the batches.
    """
    rng = random.Random(seed * 100_003 + epoch)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    mega = batch_size * 50
    batches = []
    for start in range(0, len(order), mega):
        chunk = sorted(order[start : start + mega], key=lambda i: -lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def sequential_batches(count: int, batch_size: int) -> list[list[int]]:
    return [list(range(i, min(i + batch_size, count))) for i in range(0, count, batch_size)]


def collate(examples: list[Example], pad_id: int):
    """Right-padded tensors: input_ids, attention_mask, labels (pads masked) (+ positions, position_mask)."""
    import torch

    width = max(len(e) for e in examples)
    input_ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE_INDEX, dtype=torch.long)
    attention = torch.zeros((len(examples), width), dtype=torch.long)
    for row, example in enumerate(examples):
        n = len(example)
        input_ids[row, :n] = torch.tensor(example.input_ids)
        labels[row, :n] = torch.tensor(example.labels)
        attention[row, :n] = 1
    batch = {"input_ids": input_ids, "attention_mask": attention, "labels": labels}
    if any(e.positions is not None for e in examples):
        xy = torch.zeros((len(examples), width, 2), dtype=torch.float32)
        mask = torch.zeros((len(examples), width), dtype=torch.bool)
        for row, example in enumerate(examples):
            n = len(example.positions or [])
            if n:
                xy[row, :n] = torch.tensor(example.positions, dtype=torch.float32)
                mask[row, :n] = torch.tensor(example.position_mask, dtype=torch.bool)
        batch["positions"], batch["position_mask"] = xy, mask
    return batch
