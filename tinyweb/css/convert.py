"""Walk a styled page's elements, and rewrite it with classes and a small inline remainder."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from tinyweb.css.parse import parse_style, style_atoms
from tinyweb.css.roles import element_role

FRAMEWORK_LINK = '<link rel="stylesheet" href="framework.css">'
DOCTYPE = re.compile(r"^\s*<!DOCTYPE[^>]*>", re.I)


@dataclass(frozen=True)
class PageElement:
    node: object
    tag: str
    atoms: tuple[str, ...]
    role: str


def page_elements(tree: LexborHTMLParser) -> Iterator[PageElement]:
    """Every element, with its atoms (none when it has no style) and role."""
    for node in tree.root.traverse():
        if not node.tag or node.tag.startswith("-"):
            continue
        style = node.attrs.get("style") or ""
        ancestors, parent = [], node.parent
        while parent is not None and parent.tag and not parent.tag.startswith("-"):
            ancestors.append(parent.tag)
            parent = parent.parent
        properties = {name for name, _ in parse_style(style)}
        role = element_role(node.tag, ancestors, properties, node.attrs.get("type") or "")
        yield PageElement(node=node, tag=node.tag.lower(), atoms=style_atoms(style), role=role)


def rewrite_page(
    html: str, classes_for: Callable[[str, tuple[str, ...]], tuple[list[str], list[str]]], page_url: str = ""
) -> str:
    """The semantic page: each element's style replaced by class names and remaining atoms.

    classes_for(tag, atoms) -> (class names, atoms left inline). The page links framework.css.
    Links to the page's own host become root-relative (`/football/fixtures.html`): a model
    should learn a site's paths, not the host and port it was crawled from.
    """
    tree = LexborHTMLParser(html)
    for link in tree.css("a[href]"):
        link.attrs["href"] = same_host_path(link.attrs["href"] or "", page_url)
    for element in list(page_elements(tree)):
        names, remainder = classes_for(element.tag, element.atoms)
        attrs = element.node.attrs
        if "style" in attrs:
            del attrs["style"]
        if names:
            attrs["class"] = " ".join(names)
        if remainder:
            attrs["style"] = "; ".join(remainder)
    out = tree.html or ""
    out = out.replace("</head>", FRAMEWORK_LINK + "</head>", 1)
    return keep_doctype(html, out)


def same_host_path(href: str, page_url: str) -> str:
    target, page = urlsplit(href), urlsplit(page_url)
    if target.scheme in ("http", "https") and target.netloc and target.netloc == page.netloc:
        return urlunsplit(("", "", target.path or "/", target.query, target.fragment))
    return href


def keep_doctype(original: str, serialised: str) -> str:
    """lexbor writes `<!DOCTYPE html>` whatever the page had; the original decides quirks mode."""
    before, after = DOCTYPE.match(original), DOCTYPE.match(serialised)
    head = before.group(0).strip() if before else ""
    body = serialised[after.end() :] if after else serialised
    return head + body


def embed_framework(semantic_html: str, framework_css: str) -> str:
    """A standalone page: the framework.css link replaced by the stylesheet itself."""
    return semantic_html.replace(FRAMEWORK_LINK, f"<style>{framework_css}</style>", 1)
