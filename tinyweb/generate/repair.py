"""Repair model output into a safe, standalone HTML document.

Generated HTML is untrusted and often broken: cut off mid-tag, elements left open,
stray text after the page. It is parsed with lexbor (the HTML5 parsing algorithm a
browser uses, so whatever it makes of broken markup is what a browser would make of it),
cleaned of anything active or remote, and serialised again.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

DROP_TAGS = (
    "script",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "portal",
    "base",
    "link",
    "meta",
)
"""Elements removed with everything inside: active content, remote documents, head-only tags."""

URL_ATTRIBUTES = frozenset(
    ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset", "ping", "cite")
)
UNSAFE_URL = re.compile(r"^(javascript|vbscript|data:text/html|data:image/svg)", re.IGNORECASE)
CONTROL_AND_SPACE = re.compile(r"[\x00-\x20\x7f]+")
END_OF_DOCUMENT = re.compile(r"</html\s*>", re.IGNORECASE)
RAW_TEXT_OPEN = re.compile(r"<(title|textarea|style|script|xmp|noembed|noframes|iframe)\b[^>]*>", re.IGNORECASE)
PLAINTEXT = re.compile(r"<plaintext\b[^>]*>", re.IGNORECASE)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DEFAULT_LANG = "en"


@dataclass(frozen=True)
class RepairedPage:
    """A parsed, cleaned page: the parts standalone_page puts back together."""

    lang: str
    title: str
    head_styles: tuple[str, ...]
    body_attributes: tuple[tuple[str, str], ...]
    body_html: str
    removed: int
    """Elements and attributes dropped as unsafe or broken."""


def _unsafe_attribute(name: str, value: str | None) -> bool:
    name = name.lower()
    if name.startswith("on") or name == "srcdoc":
        return True
    if name in URL_ATTRIBUTES and value:
        return bool(UNSAFE_URL.match(CONTROL_AND_SPACE.sub("", value)))
    return False


def _clean(root) -> int:
    """Drop active elements, comments and unsafe attributes under root; returns how many."""
    removed = 0
    for tag in DROP_TAGS:
        for node in root.css(tag):
            node.decompose()
            removed += 1
    for node in list(root.traverse(include_text=False)):
        if node.tag == "-comment":
            node.decompose()
            continue
        attributes = node.attributes
        for name, value in attributes.items():
            if _unsafe_attribute(name, value):
                del node.attrs[name]
                removed += 1
    return removed


def close_raw_text(text: str) -> str:
    """Close raw-text elements the model left open (`<title>` with no `</title>`).

    A browser reads everything after an unclosed <title>, <textarea> or <style> as its text,
    so the rest of the page would vanish into it; the element is closed at the next `<`.
    """
    text = PLAINTEXT.sub("", text)
    position = 0
    while True:
        opening = RAW_TEXT_OPEN.search(text, position)
        if opening is None:
            return text
        name = opening.group(1).lower()
        closing = re.compile(rf"</{name}\b", re.IGNORECASE).search(text, opening.end())
        if closing is not None:
            position = closing.end()
            continue
        cut = text.find("<", opening.end())
        cut = len(text) if cut == -1 else cut
        text = f"{text[:cut]}</{name}>{text[cut:]}"
        position = cut + len(name) + 3


def repair_html(text: str, title: str | None = None) -> RepairedPage:
    """Parse model output as a browser would, close what is open, drop what is unsafe."""
    from selectolax.lexbor import LexborHTMLParser

    text = close_raw_text(CONTROL_CHARACTERS.sub("", text or ""))
    end = END_OF_DOCUMENT.search(text)
    if end:
        text = text[: end.end()]
    tree = LexborHTMLParser(text)
    lang = (tree.root.attributes.get("lang") if tree.root is not None else None) or DEFAULT_LANG
    head, body = tree.head, tree.body
    found_title = ""
    styles: list[str] = []
    removed = 0
    if head is not None:
        title_node = head.css_first("title")
        found_title = title_node.text(strip=True) if title_node is not None else ""
        styles = [node.text(deep=True).strip() for node in head.css("style")]
    if body is None:
        return RepairedPage(lang, found_title or title or "", tuple(styles), (), "", removed)
    removed += _clean(body)
    body_attributes = tuple((k, v or "") for k, v in body.attributes.items() if not _unsafe_attribute(k, v))
    return RepairedPage(
        lang=lang,
        title=found_title or title or "",
        head_styles=tuple(styles),
        body_attributes=body_attributes,
        body_html=(body.inner_html or "").strip(),
        removed=removed,
    )


def _escaped_css(css: str) -> str:
    """CSS safe inside <style>: a literal `</style` would end the element early."""
    return re.sub(r"</(style)", r"<\\/\1", css.strip(), flags=re.IGNORECASE)


def _style_element(css: str) -> str:
    return "<style>\n" + _escaped_css(css) + "\n</style>"


def standalone_page(html: str, framework_css: str, title: str | None = None) -> str:
    """A repaired, self-contained document: framework.css embedded in a <style>, no <link>.

    Always a complete, valid document (an empty or garbage input gives an empty page);
    `title` is used when the page has no <title> of its own.
    """
    page = repair_html(html, title)
    attributes = "".join(f' {name}="{html_lib.escape(value, quote=True)}"' for name, value in page.body_attributes)
    styles = [_style_element(framework_css)] if framework_css else []
    own = _escaped_css(framework_css)
    styles += [_style_element(css) for css in page.head_styles if css and css != own]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lib.escape(page.lang, quote=True)}">\n'
        '<head>\n<meta charset="utf-8">\n'
        f"<title>{html_lib.escape(page.title, quote=False)}</title>\n"
        + "\n".join(styles)
        + f"\n</head>\n<body{attributes}>\n{page.body_html}\n</body>\n</html>\n"
    )
