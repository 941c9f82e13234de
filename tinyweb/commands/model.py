"""Commands: train."""

from __future__ import annotations

COMMANDS: list = []
