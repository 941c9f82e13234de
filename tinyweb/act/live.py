"""Open the page behind a URL or an HTML file in tinyweb's browser pool, for reading and acting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tinyweb.act.screen import is_image_path
from tinyweb.errors import TinywebError


@dataclass(frozen=True)
class ScreenOptions:
    engine: str = "rapidocr"
    """OCR engine for screenshots (--engine): rapidocr or tesseract."""
    viewport: tuple[int, int] = (1280, 800)
    """Viewport of pages opened from a URL or file (--viewport)."""
    javascript: bool = False
    """Run page scripts (--javascript); off by default, as for every untrusted page."""
    network: str | None = None
    """Subresources a page may load; None: same-site for URLs, none for files."""
    timeout_s: float = 30.0
    """Seconds a page may take to load (--timeout)."""
    ocr_pages: bool = False
    """Read URL/file pages by OCR of their screenshot instead of the DOM (--ocr)."""

    def __post_init__(self):
        from tinyweb.act.ocr import ENGINES

        if self.engine not in ENGINES:
            raise TinywebError(f"--engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")
        if self.timeout_s <= 0:
            raise TinywebError("--timeout must be > 0")
        if min(self.viewport) < 100 or max(self.viewport) > 10000:
            raise TinywebError("--viewport must be between 100x100 and 10000x10000")


def target_kind(target: str) -> str:
    """'image', 'url' or 'file'; a clear error for anything else."""
    scheme = urlsplit(target).scheme.lower()
    if scheme in ("http", "https"):
        return "url"
    if scheme == "file":
        return "file"
    if "://" in target:
        raise TinywebError(f"unsupported URL scheme {scheme!r}: use http(s), a file or a screenshot")
    path = Path(target)
    if not path.is_file():
        known = is_image_path(target) or path.suffix.lower() in (".html", ".htm", ".xhtml")
        hint = "" if known or "." not in target or "/" in target else f" (a web page? give its URL: https://{target})"
        raise TinywebError(f"no such file: {target}{hint}")
    if is_image_path(target):
        return "image"
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return "file"
    raise TinywebError(f"{target} is neither a screenshot (.png/.jpg) nor an HTML file nor a URL")


def page_url(target: str) -> str:
    if target_kind(target) == "file" and "://" not in target:
        return Path(target).resolve().as_uri()
    return target


@asynccontextmanager
async def open_page(target: str, options: ScreenOptions) -> AsyncIterator:
    """A loaded Playwright page for a URL or HTML file."""
    from tinyweb.browser import BrowserOptions, BrowserPool
    from tinyweb.capture.page import classify_error

    kind = target_kind(target)
    network = options.network or ("none" if kind == "file" else "same-site")
    browser_options = BrowserOptions(viewport=options.viewport, javascript=options.javascript, network=network, pages=1)
    async with BrowserPool(browser_options) as pool:
        async with pool.page() as page:
            try:
                response = await page.goto(page_url(target), wait_until="load", timeout=options.timeout_s * 1000)
            except Exception as exc:
                _, message = classify_error(exc, page, options.timeout_s)
                raise TinywebError(f"cannot open {target}: {message}") from None
            if response is not None and response.status >= 400:
                raise TinywebError(f"cannot open {target}: HTTP {response.status}")
            yield page
