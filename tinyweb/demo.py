"""`tinyweb demo`: the pipeline, offline, on the sample site bundled with the package."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tinyweb.capture.embed import EmbedOptions, EmbedSummary, PageCallback, embed

DEMO_SITE = Path(__file__).with_name("demo_site")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve_directory(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) in a background thread; yields the base URL."""

    def handler(*args, **kwargs):
        return _QuietHandler(*args, directory=str(folder), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def demo_paths() -> list[str]:
    """The sample site's pages, relative to its root."""
    return sorted(p.relative_to(DEMO_SITE).as_posix() for p in DEMO_SITE.rglob("*.html"))


@dataclass(frozen=True)
class DemoOptions:
    workspace: Path = Path("demo-workspace")
    """Where the demo writes pages.db and the styled pages."""


def capture_demo_site(options: DemoOptions, on_page: PageCallback | None = None, on_start=None) -> EmbedSummary:
    """Serve the sample site and capture every page with verification."""
    with serve_directory(DEMO_SITE) as base:
        urls = tuple(f"{base}/{path}" for path in demo_paths())
        return embed(
            EmbedOptions(
                inputs=urls,
                workspace=options.workspace,
                out_dir=Path(options.workspace) / "styled",
                verify=True,
                network="same-host",
                force=True,
            ),
            on_page=on_page,
            on_start=on_start,
        )
