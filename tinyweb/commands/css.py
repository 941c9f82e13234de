"""Commands: topics, build-css."""

from __future__ import annotations

COMMANDS: list = []
