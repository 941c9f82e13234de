"""Validity and structure statistics of a page (the figures Web2Code reports for its data)."""

from __future__ import annotations

import io

from tinyweb.evaluate.render import RenderedPage


def structure_stats(html: str) -> dict:
    """Elements in <body> (tags), deepest nesting below <body> (depth, a child of body is 1), unique tag names."""
    from selectolax.lexbor import LexborHTMLParser

    body = LexborHTMLParser(html or "").body
    if body is None:
        return {"tags": 0, "depth": 0, "unique_tags": 0}
    tags: list[str] = []
    depth = 0
    stack = [(child, 1) for child in body.iter(include_text=False)]
    while stack:
        node, level = stack.pop()
        if node.tag.startswith("-"):
            continue
        tags.append(node.tag)
        depth = max(depth, level)
        stack.extend((child, level + 1) for child in node.iter(include_text=False))
    return {"tags": len(tags), "depth": depth, "unique_tags": len(set(tags))}


def _blank(png: bytes | None) -> bool:
    if not png:
        return True
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    extrema = image.getextrema()
    return all(low == high for low, high in extrema)


def validity(html: str, rendered: RenderedPage) -> dict:
    """parses: the document has content in <body>; renders: Chromium rendered it;
    nonempty: it shows visible text or any pixel differs from the background. valid: all three."""
    from selectolax.lexbor import LexborHTMLParser

    body = LexborHTMLParser(html or "").body
    parses = body is not None and bool((body.inner_html or "").strip())
    renders = rendered.rendered
    nonempty = renders and (bool(rendered.blocks) or not _blank(rendered.png))
    return {
        "parses": parses,
        "renders": renders,
        "nonempty": bool(nonempty),
        "valid": bool(parses and renders and nonempty),
    }
