from __future__ import annotations

import asyncio
import http.server
from pathlib import Path

import pytest

from tinyweb.localserver import serve_in_thread

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def capture_html(html: str, **capture_args) -> dict:
    """Run the in-page capture on an HTML string in a real Chromium (JS off, network off)."""
    from tinyweb.browser import BrowserOptions, BrowserPool
    from tinyweb.capture import STYLES_JS

    async def go():
        async with BrowserPool(BrowserOptions(pages=1, network="none")) as pool:
            async with pool.page() as page:
                await page.set_content(html)
                return await page.evaluate(STYLES_JS, {"mode": "capture", **capture_args})

    return asyncio.run(go())


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder, plus a few misbehaving routes for error tests."""

    routes: dict = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        route = self.routes.get(self.path)
        if route is None:
            return super().do_GET()
        status, content_type, body, delay = route
        if delay:
            import time

            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.end_headers()
            self.wfile.write(body[:20])
            self.wfile.flush()
            time.sleep(delay)
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def local_server(tmp_path):
    """An HTTP server on 127.0.0.1 serving tmp_path; returns (base_url, routes dict, folder)."""
    routes: dict = {}
    handler = type("TestHandler", (Handler,), {"routes": routes})

    def factory(*args, **kwargs):
        return handler(*args, directory=str(tmp_path), **kwargs)

    with serve_in_thread(factory) as base:
        yield base, routes, tmp_path
