"""Render each semantic page with framework.css beside its styled page and compare pixels."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tinyweb.browser import BrowserOptions, BrowserPool
from tinyweb.capture.fidelity import compare_screenshots
from tinyweb.capture.page import full_page_screenshot


def verify_pages(
    pairs: list[tuple[str, str, str]], concurrency: int = 2, on_page: Callable[[str, float], None] | None = None
) -> dict[str, float]:
    """{url: identical-pixel share} for (url, styled html, standalone semantic html) triples."""
    return asyncio.run(_verify(pairs, concurrency, on_page))


async def _verify(pairs, concurrency, on_page) -> dict[str, float]:
    results: dict[str, float] = {}
    async with BrowserPool(BrowserOptions(pages=concurrency, network="none")) as pool:

        async def one(url: str, styled: str, semantic: str) -> None:
            async with pool.page() as page:
                await page.set_content(styled, wait_until="load")
                before = await full_page_screenshot(page)
                await page.set_content(semantic, wait_until="load")
                after = await full_page_screenshot(page)
            fidelity, _ = compare_screenshots(before, after)
            results[url] = fidelity.identical
            if on_page:
                on_page(url, fidelity.identical)

        await asyncio.gather(*(one(*pair) for pair in pairs))
    return results
