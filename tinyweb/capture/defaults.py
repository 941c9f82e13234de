"""The browser's default style table: what `default` means in the style diff."""

from __future__ import annotations

import asyncio

from tinyweb.browser import BrowserOptions, BrowserPool
from tinyweb.capture import STYLES_JS

COMMON_TAGS = [
    "a[href]",
    "article",
    "aside",
    "b",
    "blockquote",
    "button",
    "code",
    "div",
    "em",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "input[type=text]",
    "input[type=checkbox]",
    "input[type=submit]",
    "label",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "select",
    "small",
    "span",
    "strong",
    "table",
    "td",
    "textarea",
    "th",
    "tr",
    "ul",
]
# An unknown element: initial values for non-inherited properties, body's for inherited.
BASELINE = "tinyweb-baseline"


def default_styles(tags: list[str] | None = None, full: bool = False) -> dict[str, dict[str, str]]:
    """Per tag, the computed default style in a clean document with no author CSS.

    Tags are element names, optionally with one attribute: `a[href]`, `input[type=checkbox]`,
    `svg:rect` for SVG. Unless `full`, each row keeps only the properties that differ from an
    unknown element's (the browser's own stylesheet at work).
    """
    keys = list(tags or COMMON_TAGS)
    table = asyncio.run(_measure(keys + [BASELINE]))
    baseline = table.pop(BASELINE)
    if full:
        return {key: table[key] for key in keys if key in table}
    return {
        key: {prop: value for prop, value in table[key].items() if baseline.get(prop) != value}
        for key in keys
        if key in table
    }


async def _measure(keys: list[str]) -> dict[str, dict[str, str]]:
    async with BrowserPool(BrowserOptions(pages=1, network="none")) as pool:
        async with pool.page() as page:
            await page.set_content("<!DOCTYPE html><html><head></head><body></body></html>")
            return await page.evaluate(STYLES_JS, {"mode": "defaults", "tags": keys})
