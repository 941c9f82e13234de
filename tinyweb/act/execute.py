"""Perform an action on a live page with Playwright (click, type, scroll), with before/after screenshots."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tinyweb.act.live import ScreenOptions, open_page, target_kind
from tinyweb.act.screen import Screen
from tinyweb.errors import TinywebError

SCROLL_PIXELS = 600
SETTLE_MS = 3000
"""After acting, wait up to this long for a navigation the action started to finish loading."""


@dataclass
class Executed:
    action: dict
    """The action JSON that was performed."""
    url_before: str
    url_after: str
    before: Path
    after: Path

    @property
    def navigated(self) -> bool:
        return self.url_before != self.url_after


async def perform(page, action: dict) -> None:
    """Do one action JSON on a page, at its pixel coordinates (x, y)."""
    kind = action["action"]
    x, y = action["x"], action["y"]
    if kind == "click":
        await page.mouse.click(x, y)
    elif kind == "type":
        await page.mouse.click(x, y)
        await page.keyboard.type(action.get("value") or "")
    elif kind == "scroll":
        dx, dy = {"up": (0, -1), "down": (0, 1), "left": (-1, 0), "right": (1, 0)}[action.get("direction") or "down"]
        await page.mouse.move(x, y)
        await page.mouse.wheel(dx * SCROLL_PIXELS, dy * SCROLL_PIXELS)
    else:
        raise TinywebError(f"cannot execute action {kind!r}")


async def _settle(page) -> None:
    try:
        await page.wait_for_load_state("load", timeout=SETTLE_MS)
    except Exception:  # a page still loading after SETTLE_MS is shown as it is
        pass
    await page.wait_for_timeout(200)


def act_on_page(
    target: str,
    decide: Callable[[Screen], dict],
    out_dir: Path,
    options: ScreenOptions = ScreenOptions(),
) -> Executed:
    """Open a URL or HTML file, read its screen, let `decide` choose an action JSON, perform it.

    Saves before.png and after.png (viewport screenshots) in out_dir.
    """
    if target_kind(target) == "image":
        raise TinywebError("--execute needs a URL or an HTML file, not a screenshot")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    async def go() -> Executed:
        from tinyweb.act.dom import dom_screen
        from tinyweb.act.ocr import ocr_screen

        async with open_page(target, options) as page:
            screen = await dom_screen(page)
            if options.ocr_pages:
                screen = ocr_screen(screen.image, options.engine, screen.url)
            before = out_dir / "before.png"
            before.write_bytes(screen.image)
            action = decide(screen)
            url_before = page.url
            await perform(page, action)
            await _settle(page)
            after = out_dir / "after.png"
            after.write_bytes(await page.screenshot(animations="disabled"))
            return Executed(action, url_before, page.url, before, after)

    return asyncio.run(go())
