"""Commands: eval."""

from __future__ import annotations

COMMANDS: list = []
