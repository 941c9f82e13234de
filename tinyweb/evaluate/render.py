"""Render untrusted pages (JavaScript off, network blocked): a screenshot and the text blocks of the DOM.

A text block is one visible text node: its whitespace-collapsed text, its box in CSS pixels
(Range.getBoundingClientRect, page coordinates) and its colour as painted over white.
These are the blocks Design2Code gets from OCR, read exactly from the DOM instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from tinyweb.errors import TinywebError

BLOCKS_JS = """
() => {
  const root = document.body || document.documentElement;
  const doc = document.documentElement;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const rgbCache = new Map();
  const toRgb = (color) => {
    if (!rgbCache.has(color)) {
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, 1, 1);
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, 1, 1);
      const d = ctx.getImageData(0, 0, 1, 1).data;
      rgbCache.set(color, [d[0], d[1], d[2]]);
    }
    return rgbCache.get(color);
  };
  const blocks = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    const el = node.parentElement;
    if (!text || !el) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || parseFloat(style.opacity) === 0) continue;
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    blocks.push({text, x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height,
                 color: toRgb(style.color)});
  }
  return {blocks, width: Math.max(doc.scrollWidth, 1), height: Math.max(doc.scrollHeight, 1),
          elements: root.querySelectorAll('*').length};
}
"""


@dataclass(frozen=True)
class TextBlock:
    text: str
    x: float
    y: float
    w: float
    h: float
    color: tuple[int, int, int]

    @property
    def area(self) -> float:
        return self.w * self.h


@dataclass
class RenderedPage:
    png: bytes | None = None
    """Full-page screenshot (height capped), None when rendering failed."""
    blocks: list[TextBlock] = field(default_factory=list)
    width: int = 0
    """Page (scroll) width and height in CSS pixels."""
    height: int = 0
    elements: int = 0
    """Elements in the rendered body."""
    error: str | None = None

    @property
    def rendered(self) -> bool:
        return self.error is None and self.png is not None


@dataclass(frozen=True)
class RenderOptions:
    viewport: tuple[int, int] = (1280, 800)
    """Viewport width and height in CSS pixels."""
    max_height: int = 4000
    """Screenshots are cut at this many CSS pixels."""
    timeout_s: float = 20.0
    """Seconds a page may take to render."""
    pages: int = 2
    """Pages rendered at once (--concurrency)."""

    def __post_init__(self):
        if self.max_height < 100:
            raise TinywebError("the screenshot height limit must be >= 100 pixels")
        if self.timeout_s <= 0:
            raise TinywebError("the render timeout must be > 0 seconds")
        if self.pages < 1:
            raise TinywebError("--concurrency must be >= 1")


async def render_one(page, html: str, options: RenderOptions) -> RenderedPage:
    """Load an HTML string into a pooled page; failures come back in .error, never raised."""
    try:
        await page.set_content(html, wait_until="load", timeout=options.timeout_s * 1000)
        result = await page.evaluate(BLOCKS_JS)
        width, height = int(result["width"]), int(result["height"])
        png = await page.screenshot(
            full_page=True,
            animations="disabled",
            timeout=options.timeout_s * 1000,
            clip={"x": 0, "y": 0, "width": width, "height": min(height, options.max_height)},
        )
    except Exception as exc:  # Playwright errors: one line is enough for a report
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return RenderedPage(error=first)
    blocks = [TextBlock(b["text"], b["x"], b["y"], b["w"], b["h"], tuple(b["color"])) for b in result["blocks"]]
    return RenderedPage(png=png, blocks=blocks, width=width, height=height, elements=int(result["elements"]))


async def render_pages_async(
    htmls: list[str], options: RenderOptions, on_page: Callable[[int, RenderedPage], None] | None = None
) -> list[RenderedPage]:
    from tinyweb.browser import BrowserOptions, BrowserPool

    browser_options = BrowserOptions(
        viewport=options.viewport, javascript=False, network="none", pages=min(options.pages, max(len(htmls), 1))
    )
    results: list[RenderedPage | None] = [None] * len(htmls)
    async with BrowserPool(browser_options) as pool:

        async def one(index: int, html: str) -> None:
            async with pool.page() as page:
                results[index] = await render_one(page, html, options)
            if on_page is not None:
                on_page(index, results[index])

        await asyncio.gather(*(one(i, html) for i, html in enumerate(htmls)))
    return [r if r is not None else RenderedPage(error="not rendered") for r in results]


def render_pages(
    htmls: list[str],
    options: RenderOptions = RenderOptions(),
    on_page: Callable[[int, RenderedPage], None] | None = None,
) -> list[RenderedPage]:
    """Render HTML documents in Chromium with JavaScript off and every request blocked."""
    if not htmls:
        return []
    return asyncio.run(render_pages_async(htmls, options, on_page))
