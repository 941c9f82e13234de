"""Commands: generate."""

from __future__ import annotations

COMMANDS: list = []
