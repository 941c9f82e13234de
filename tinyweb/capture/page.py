"""Capture one page in a pooled browser page: load, inline styles, optionally verify."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tinyweb.capture import STYLES_JS
from tinyweb.capture.fidelity import compare_screenshots, diff_png
from tinyweb.capture.sources import HTML_TYPES, Source
from tinyweb.store import PageRecord

MAX_SCREENSHOT_HEIGHT = 16384
UNREACHABLE_MARKERS = (
    "ERR_NAME_NOT_RESOLVED",
    "ERR_CONNECTION",
    "ERR_ADDRESS_UNREACHABLE",
    "ERR_INTERNET_DISCONNECTED",
    "ERR_TIMED_OUT",
    "ERR_EMPTY_RESPONSE",
    "ERR_SSL",
    "ERR_CERT",
)


@dataclass(frozen=True)
class CaptureOptions:
    verify: bool = False
    """Render original and styled page and measure pixel fidelity."""
    timeout_s: float = 30.0
    """Seconds a page may take to load."""
    diff_dir: Path | None = None
    """Where to save diff images of verified pages that are not pixel-identical."""
    naive: bool = False
    """Plain computed-style diff instead of tinyweb's capture: the baseline benchmarks compare with."""


class CaptureFailed(Exception):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Prefetched:
    """A document already fetched (by the crawler): served to the browser from memory."""

    body: bytes
    content_type: str = "text/html"


async def capture_page(
    page, source: Source, options: CaptureOptions, prefetched: Prefetched | None = None
) -> tuple[PageRecord, bytes | None]:
    """Capture one source; returns the record and, if verified and not identical, a diff PNG.

    With `prefetched` (the document as a crawler fetched it) the browser is served those
    bytes instead of fetching the page again. Failures come back as a record with status
    'error', never as an exception.
    """
    try:
        if prefetched is None:
            return await _capture(page, source, options, None)
        return await _capture_prefetched(page, source, options, prefetched)
    except CaptureFailed as exc:
        return PageRecord(url=source.url, source=source.kind, status="error", error_kind=exc.kind, error=str(exc)), None
    except Exception as exc:  # Playwright errors: classify into one clear line
        await probe_renderer(page)
        kind, message = classify_error(exc, page, options.timeout_s)
        return PageRecord(url=source.url, source=source.kind, status="error", error_kind=kind, error=message), None


async def probe_renderer(page) -> None:
    """After an error, find out whether the renderer died (its crash event may come late)."""
    try:
        await page.evaluate("1")
    except Exception as exc:
        if "crashed" in str(exc).lower() or "closed" in str(exc).lower():
            page._tinyweb_crashed = True


def classify_error(exc: Exception, page, timeout_s: float) -> tuple[str, str]:
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if getattr(page, "_tinyweb_crashed", False) or "Target crashed" in first_line or "Page crashed" in first_line:
        return "crash", "the renderer crashed on this page"
    if type(exc).__name__ == "TimeoutError":
        return "timeout", f"timed out after {timeout_s:g}s loading the page"
    if "Download is starting" in first_line:
        return "not-html", "not an HTML page (the server sent a download)"
    code = next((w for w in first_line.split() if w.startswith("net::")), None)
    if code and any(marker in code for marker in UNREACHABLE_MARKERS):
        return "unreachable", f"host unreachable ({code})"
    if code:
        return "unreachable", f"the browser could not load the page ({code})"
    return "render", first_line


async def _capture_prefetched(page, source: Source, options: CaptureOptions, prefetched: Prefetched):
    def is_document(url: str) -> bool:
        return url == source.url

    async def serve(route) -> None:
        await route.fulfill(status=200, body=prefetched.body, headers={"content-type": prefetched.content_type})

    await page.route(is_document, serve)
    try:
        return await _capture(page, source, options, prefetched.body)
    finally:
        await page.unroute(is_document, serve)


async def _capture(page, source: Source, options: CaptureOptions, prefetched: bytes | None):
    timeout_ms = options.timeout_s * 1000
    started = time.perf_counter()
    with FailedStylesheets(page) as failed_sheets:
        response = await page.goto(source.url, wait_until="load", timeout=timeout_ms)
    raw = prefetched if prefetched is not None else await _raw_bytes(source, response)
    load_ms = _ms_since(started)

    original_png = await full_page_screenshot(page) if options.verify else None
    started = time.perf_counter()
    result = await page.evaluate(
        STYLES_JS, {"mode": "capture", "failedSheets": failed_sheets.urls, "naive": options.naive}
    )
    capture_ms = _ms_since(started)

    record = PageRecord(
        url=source.url,
        source=source.kind,
        title=result["title"],
        description=result["description"],
        lang=result["lang"],
        charset=result["charset"],
        raw_html=_decode(raw, result["charset"]),
        styled_html=result["html"],
        text=result["text"],
        elements=result["stats"]["elements"],
        declarations=result["stats"]["declarations"],
        load_ms=load_ms,
        capture_ms=capture_ms,
        stats=result["stats"],
    )
    diff = None
    if options.verify:
        started = time.perf_counter()
        await page.set_content(result["html"], wait_until="load", timeout=timeout_ms)
        styled_png = await full_page_screenshot(page)
        fidelity, differs = compare_screenshots(original_png, styled_png)
        record.fidelity = fidelity.identical
        record.size_match = fidelity.size_match
        record.stats["original_size"] = fidelity.original_size
        record.stats["styled_size"] = fidelity.styled_size
        if options.diff_dir is not None and fidelity.identical < 1.0:
            diff = diff_png(original_png, differs)
        record.verify_ms = _ms_since(started)
    return record, diff


class FailedStylesheets:
    """Stylesheet URLs that failed or were blocked while the page loaded.

    The capture cannot read a cross-origin sheet's rules; knowing it never loaded lets it
    skip that sheet instead of assuming it could set any property.
    """

    def __init__(self, page):
        self.page = page
        self.urls: list[str] = []

    def _failed(self, request) -> None:
        if request.resource_type == "stylesheet":
            self.urls.append(request.url)

    def _response(self, response) -> None:
        if response.request.resource_type == "stylesheet" and response.status >= 400:
            self.urls.append(response.url)

    def __enter__(self) -> FailedStylesheets:
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        return self

    def __exit__(self, *exc) -> None:
        self.page.remove_listener("requestfailed", self._failed)
        self.page.remove_listener("response", self._response)


async def _raw_bytes(source: Source, response) -> bytes:
    if source.kind == "file":
        return Path(unquote(urlsplit(source.url).path)).read_bytes()
    if response is None:
        raise CaptureFailed("render", "no response for the page")
    if response.status >= 400:
        raise CaptureFailed("http", f"HTTP {response.status} {response.status_text}".strip())
    content_type = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type and content_type not in HTML_TYPES:
        raise CaptureFailed("not-html", f"not an HTML page (content-type {content_type})")
    return await response.body()


def _decode(raw: bytes, charset: str) -> str:
    try:
        return raw.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


async def full_page_screenshot(page) -> bytes:
    size = await page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    height = min(size[1], MAX_SCREENSHOT_HEIGHT)
    return await page.screenshot(
        full_page=True, animations="disabled", clip={"x": 0, "y": 0, "width": size[0], "height": height}
    )


def _ms_since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
