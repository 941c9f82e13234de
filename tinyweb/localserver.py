"""HTTP servers on 127.0.0.1 in a background thread: the demo's site, and tests' servers."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class QuietFileHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve_in_thread(handler: Callable) -> Iterator[str]:
    """Serve with a request-handler factory on a free port; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_directory(folder: Path) -> Iterator[str]:
    """Serve a folder's files; yields the base URL."""

    def handler(*args, **kwargs):
        return QuietFileHandler(*args, directory=str(folder), **kwargs)

    with serve_in_thread(handler) as base:
        yield base
