"""A local test website (127.0.0.1 only) for crawler tests: a linked site and hostile routes.

Routes are functions of the request handler; every request is counted per path so tests
can assert that nothing was fetched twice.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from tinyweb.localserver import serve_in_thread

FIXTURES = Path(__file__).parent / "fixtures"


def html_page(title: str, links: list[str], body: str = "") -> bytes:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>body{{font-family:sans-serif;color:#223}} h1{{color:#a33}}</style></head>"
        f"<body><h1>{title}</h1><p>{body or title}</p><ul>{anchors}</ul></body></html>"
    ).encode()


class Site:
    def __init__(self):
        self.routes: dict[str, callable] = {}
        self.hits: Counter = Counter()
        self.lock = threading.Lock()

    def page(self, path: str, title: str, links: list[str], body: str = "") -> None:
        content = html_page(title, links, body)
        self.routes[path] = lambda h: h.reply(200, "text/html; charset=utf-8", content)

    def raw(self, path: str, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
        self.routes[path] = lambda h: h.reply(status, content_type, body, headers)


class Handler(http.server.BaseHTTPRequestHandler):
    site: Site

    def log_message(self, *args) -> None:
        pass

    def reply(self, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self) -> None:
        with self.site.lock:
            self.site.hits[self.path] += 1
        route = self.site.routes.get(self.path)
        if route is None:
            self.reply(404, "text/html", b"<h1>not found</h1>")
        else:
            route(self)


@contextmanager
def serve(site: Site):
    with serve_in_thread(type("SiteHandler", (Handler,), {"site": site})) as base:
        yield base


def linked_site(pages: int) -> Site:
    """Pages /p0.html ... each linking to the next two and back to the first."""
    site = Site()
    for n in range(pages):
        links = [f"/p{m}.html" for m in (n + 1, n + 2) if m < pages] + ["/p0.html"]
        site.page(f"/p{n}.html", f"Page {n}", links, body=f"This is page number {n} of the test site.")
    return site


def corpus_site() -> Site:
    """The real corpus pages of tests/fixtures/corpus as /c0.html, /c1.html ..., linked in a ring."""
    site = Site()
    pages = sorted((FIXTURES / "corpus").glob("*.html"))
    for n, path in enumerate(pages):
        link = f'<p><a href="/c{(n + 1) % len(pages)}.html">next page</a></p></body>'.encode()
        body = path.read_bytes().replace(b"</body>", link, 1)
        site.raw(f"/c{n}.html", 200, "text/html", body)
    return site


def slow(seconds: float):
    def route(handler) -> None:
        time.sleep(seconds)
        handler.reply(200, "text/html", b"<html><body>late</body></html>")

    return route


def flaky(failures: int, status: int, then: bytes, headers: dict | None = None):
    """Fails `failures` times with `status`, then serves `then`."""
    state = {"left": failures}

    def route(handler) -> None:
        if state["left"] > 0:
            state["left"] -= 1
            handler.reply(status, "text/html", b"busy", headers)
        else:
            handler.reply(200, "text/html; charset=utf-8", then)

    return route
