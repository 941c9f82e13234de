"""--extra: external instruction data in Alpaca form (instruction / input / output), e.g. html_alpaca-style sets.

A file is a JSON list of objects, or JSON Lines (one object a line). Errors name the file
and the record (its index in a list, its line in JSONL) and what is wrong with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tinyweb.errors import TinywebError


class ExtraDataError(TinywebError):
    pass


@dataclass(frozen=True)
class AlpacaRecord:
    instruction: str
    input: str
    output: str
    source: str
    """file:record, for the record's id and for errors."""


def _check(raw, where: str) -> AlpacaRecord:
    if not isinstance(raw, dict):
        raise ExtraDataError(f"{where}: expected an object with instruction/input/output, got {type(raw).__name__}")
    for key in ("instruction", "output"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ExtraDataError(f"{where}: missing or empty {key!r} (Alpaca records need instruction and output)")
    if raw.get("input") is not None and not isinstance(raw["input"], str):
        raise ExtraDataError(f"{where}: 'input' must be a string")
    return AlpacaRecord(raw["instruction"], raw.get("input") or "", raw["output"], where)


def read_alpaca(path: Path) -> list[AlpacaRecord]:
    path = Path(path)
    if not path.is_file():
        raise ExtraDataError(f"--extra {path}: no such file")
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ExtraDataError(f"{path}:{exc.lineno}: malformed JSON ({exc.msg} at column {exc.colno})") from None
        return [_check(item, f"{path}: record {index}") for index, item in enumerate(items)]
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ExtraDataError(f"{path}:{number}: malformed JSON ({exc.msg} at column {exc.colno})") from None
        records.append(_check(item, f"{path}:{number}"))
    return records
