"""Commands: act."""

from __future__ import annotations

COMMANDS: list = []
