"""What every command shares: the workspace option and the one-red-line failure."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

WorkspaceOpt = Annotated[
    Path,
    typer.Option(
        "--workspace", "-w", help="Workspace directory (pages.db and every artifact).", envvar="TINYWEB_WORKSPACE"
    ),
]


def fail(message: str) -> None:
    """Print one red line on stderr and exit 1."""
    from tinyweb.console import error_line

    error_line(message)
    raise typer.Exit(1)


def quiet_library_logs() -> None:
    """Silence warnings users cannot act on (bitsandbytes asks for a hub kernel the CPU path does not need)."""
    import logging

    logging.getLogger("bitsandbytes.backends.cpu.ops").setLevel(logging.ERROR)
