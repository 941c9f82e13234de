"""Chromium for every stage: find it, launch it, lend pages from a pool, police the network."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tinyweb.crawl.urls import host_of, registrable_domain
from tinyweb.errors import BrowserNotFound, TinywebError

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--font-render-hinting=none",
]
SYSTEM_CHROMIUMS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
INSTALL_HINT = (
    "no Chromium found: run `make setup`, or `playwright install chromium`, "
    "or `apt-get install chromium`, or set TINYWEB_CHROMIUM=/path/to/chrome"
)


def find_chromium(playwright_path: str | None = None) -> str | None:
    """Path of the Chromium to launch; None means Playwright's own browser.

    Order: $TINYWEB_CHROMIUM, Playwright's managed browser, then system packages.
    """
    override = os.environ.get("TINYWEB_CHROMIUM")
    if override:
        if not Path(override).is_file():
            raise BrowserNotFound(f"TINYWEB_CHROMIUM={override} does not exist")
        return override
    if playwright_path and Path(playwright_path).is_file():
        return None
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFound(INSTALL_HINT)


# ---- network policies: may a page at page_url load request_url? -----------------------


def _local(url: str) -> bool:
    return urlsplit(url).scheme in ("data", "blob", "about")


def allow_all(request_url: str, page_url: str) -> bool:
    return True


def same_site(request_url: str, page_url: str) -> bool:
    if _local(request_url):
        return True
    if urlsplit(request_url).scheme == "file" or urlsplit(page_url).scheme == "file":
        return urlsplit(request_url).scheme == urlsplit(page_url).scheme
    return registrable_domain(host_of(request_url)) == registrable_domain(host_of(page_url))


def same_host(request_url: str, page_url: str) -> bool:
    if _local(request_url):
        return True
    a, b = urlsplit(request_url), urlsplit(page_url)
    return (
        a.scheme in ("http", "https", "file")
        and (a.scheme == "file") == (b.scheme == "file")
        and host_of(request_url) == host_of(page_url)
    )


def block_all(request_url: str, page_url: str) -> bool:
    return _local(request_url)


NETWORK_POLICIES: dict[str, Callable[[str, str], bool]] = {
    "all": allow_all,
    "same-site": same_site,
    "same-host": same_host,
    "none": block_all,
}


@dataclass(frozen=True)
class BrowserOptions:
    viewport: tuple[int, int] = (1280, 800)
    """Viewport width and height in CSS pixels."""
    javascript: bool = False
    """Run page scripts."""
    network: str = "same-site"
    """Which subresources a page may load: all, same-site, same-host or none."""
    pages: int = 2
    """Pages in the pool (concurrent renders)."""
    page_uses: int = 50
    """A page is closed and replaced after this many uses, so renderer memory stays flat."""

    def __post_init__(self):
        if self.network not in NETWORK_POLICIES:
            raise TinywebError(f"--network must be one of {', '.join(NETWORK_POLICIES)}, not {self.network!r}")
        if self.pages < 1:
            raise TinywebError("--concurrency must be >= 1")
        if min(self.viewport) < 100 or max(self.viewport) > 10000:
            raise TinywebError("--viewport must be between 100x100 and 10000x10000")


def parse_viewport(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise TinywebError(f"--viewport must look like 1280x800, not {text!r}") from None
    return width, height


class BrowserPool:
    """One Chromium, one context, a pool of pages. Use as `async with BrowserPool(opts) as pool`."""

    def __init__(self, options: BrowserOptions = BrowserOptions()):
        self.options = options
        self._policy = NETWORK_POLICIES[options.network]
        self._pw = None
        self._browser = None
        self._context = None
        self._free: asyncio.Queue = asyncio.Queue()
        self._uses: dict = {}

    async def __aenter__(self) -> BrowserPool:
        from playwright.async_api import async_playwright

        self._pw = await async_playwright().start()
        try:
            executable = find_chromium(self._pw.chromium.executable_path)
            self._browser = await self._pw.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
            width, height = self.options.viewport
            self._context = await self._browser.new_context(
                viewport={"width": width, "height": height},
                java_script_enabled=self.options.javascript,
                service_workers="block",
                device_scale_factor=1,
            )
            if self.options.network != "all":
                await self._context.route("**/*", self._route)
            for _ in range(self.options.pages):
                self._free.put_nowait(await self.new_page())
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(self, *exc) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._pw is not None:
            await self._pw.stop()

    async def _route(self, route) -> None:
        request = route.request
        frame = request.frame
        page_url = frame.page.url if frame is not None else ""
        if request.is_navigation_request() and frame is not None and frame.parent_frame is None:
            await route.continue_()
        elif self._policy(request.url, page_url):
            await route.continue_()
        else:
            await route.abort("blockedbyclient")

    @asynccontextmanager
    async def page(self) -> AsyncIterator:
        """Borrow a page; a crashed, closed or worn-out page is replaced when it comes back."""
        page = await self._free.get()
        try:
            yield page
        finally:
            self._uses[page] = self._uses.get(page, 0) + 1
            worn = self._uses[page] >= self.options.page_uses
            if page.is_closed() or worn or getattr(page, "_tinyweb_crashed", False):
                self._uses.pop(page, None)
                if not page.is_closed():
                    await page.close()
                page = await self.new_page()
            self._free.put_nowait(page)

    async def new_page(self):
        page = await self._context.new_page()
        page.on("crash", lambda p: setattr(p, "_tinyweb_crashed", True))
        return page


def describe_chromium() -> str:
    """Which Chromium tinyweb will launch (raises BrowserNotFound when none)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        managed = pw.chromium.executable_path
        found = find_chromium(managed)
    return f"Playwright's Chromium at {managed}" if found is None else f"Chromium at {found}"


if __name__ == "__main__":
    import sys

    try:
        print(describe_chromium())
    except TinywebError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
