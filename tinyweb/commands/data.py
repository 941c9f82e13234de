"""Commands: prompts."""

from __future__ import annotations

COMMANDS: list = []
