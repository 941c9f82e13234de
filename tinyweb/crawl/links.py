"""Links and plain facts of an HTML page, with selectolax."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from tinyweb.crawl.urls import normalize_url


def parse_page(html: str, url: str, want_text: bool = True) -> tuple[list[str], str, str]:
    """(normalised links in document order without repeats, title, visible text).

    Extracting text is the slow part; a rendering crawl takes it from the browser instead.
    """
    tree = LexborHTMLParser(html)
    base = tree.css_first("base[href]")
    base_url = normalize_url(base.attributes.get("href") or "", url) if base else None
    links, seen = [], set()
    for node in tree.css("a[href], area[href]"):
        link = normalize_url(node.attributes.get("href") or "", base_url or url)
        if link and link not in seen:
            seen.add(link)
            links.append(link)
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else ""
    if not want_text:
        return links, title, ""
    tree.strip_tags(["script", "style", "noscript", "template"])
    body = tree.body
    text = " ".join(body.text(separator=" ").split()) if body else ""
    return links, title, text
