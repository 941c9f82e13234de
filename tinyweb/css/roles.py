"""An element's role, from its tag and its context: the second word of a class name."""

from __future__ import annotations

TAG_ROLES = {
    **{f"h{level}": "heading" for level in range(1, 7)},
    "a": "link",
    "button": "button",
    "nav": "nav",
    "header": "header",
    "footer": "footer",
    "form": "form",
    "fieldset": "form",
    **dict.fromkeys(("input", "select", "textarea", "label", "option", "legend"), "field"),
    **dict.fromkeys(("img", "picture", "svg", "video", "figure", "figcaption", "canvas", "iframe"), "image"),
    **dict.fromkeys(("ul", "ol", "dl", "menu"), "list"),
    **dict.fromkeys(("li", "dt", "dd"), "item"),
    **dict.fromkeys(("table", "thead", "tbody", "tfoot", "tr", "caption", "colgroup", "col"), "table"),
    **dict.fromkeys(("td", "th"), "cell"),
    **dict.fromkeys(("section", "article", "main", "aside", "div", "details", "summary", "center"), "section"),
    **dict.fromkeys(("html", "body"), "page"),
    **dict.fromkeys(("hr", "br", "wbr"), "rule"),
}
# Containers that give their descendants a prefix: a link inside a nav is a nav-link.
CONTEXTS = ("nav", "header", "footer", "form", "table")
# Declarations that make a box look like a card rather than a plain section.
CARD_PROPERTIES = ("box-shadow", "border", "border-radius", "border-color", "border-width")
BUTTON_INPUT_TYPES = ("submit", "button", "reset")


def element_role(tag: str, ancestors: list[str], properties: set[str], input_type: str = "") -> str:
    """`heading`, `nav-link`, `card`, `footer-text`, ... (ancestors: nearest first)."""
    tag = tag.lower()
    role = TAG_ROLES.get(tag, "text")
    if tag == "input" and input_type.lower() in BUTTON_INPUT_TYPES:
        role = "button"
    if role in ("section", "item") and any(p in properties for p in CARD_PROPERTIES):
        role = "card"
    context = next((a for a in ancestors if a in CONTEXTS), None)
    if context and role not in (context, "page", "cell", "field") and TAG_ROLES.get(context) != role:
        return f"{context}-{role}"
    return role
