"""Parse and normalise inline declarations so equal styles compare equal.

cssutils splits a style attribute into declarations and values (quotes, url() and
functions included); on top of its serialisation (zero lengths without units, lower-case
names) colours get one form (#rrggbb, or rgba() when translucent) and box shorthands
their shortest equivalent. Four longhands of a box shorthand become the shorthand.

An *atom* is the unit the framework moves between classes and inline styles: one
declaration, or several that touch the same property (a shorthand and a longhand that
overrides part of it). Keeping overlapping declarations together in one atom means no
two atoms of an element ever set the same property, so classes and the inline remainder
can never override each other and the cascade order cannot change a computed value.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import cssutils

cssutils.log.setLevel(logging.CRITICAL)

Declaration = tuple[str, str]
"""(property, normalised value), e.g. ("margin", "0 auto")."""

SIDES = ("top", "right", "bottom", "left")
BOX_SHORTHANDS = {
    "margin": tuple(f"margin-{side}" for side in SIDES),
    "padding": tuple(f"padding-{side}" for side in SIDES),
    "inset": SIDES,
    "border-width": tuple(f"border-{side}-width" for side in SIDES),
    "border-style": tuple(f"border-{side}-style" for side in SIDES),
    "border-color": tuple(f"border-{side}-color" for side in SIDES),
    "border-radius": tuple(
        f"border-{corner}-radius" for corner in ("top-left", "top-right", "bottom-right", "bottom-left")
    ),
}
# Shorthands whose longhands are not named by a prefix of the shorthand.
EXTRA_LONGHANDS = {
    "border-width": BOX_SHORTHANDS["border-width"],
    "border-style": BOX_SHORTHANDS["border-style"],
    "border-color": BOX_SHORTHANDS["border-color"],
    "inset": SIDES,
    "font": ("line-height",),
    "gap": ("row-gap", "column-gap"),
    "grid-gap": ("row-gap", "column-gap"),
    "place-items": ("align-items", "justify-items"),
    "place-content": ("align-content", "justify-content"),
    "place-self": ("align-self", "justify-self"),
    "overflow": ("overflow-x", "overflow-y"),
    "grid-area": ("grid-row-start", "grid-row-end", "grid-column-start", "grid-column-end"),
    "grid-row": ("grid-row-start", "grid-row-end"),
    "grid-column": ("grid-column-start", "grid-column-end"),
    "flex-flow": ("flex-direction", "flex-wrap"),
    "columns": ("column-width", "column-count"),
}
COLOR_FUNCTION = re.compile(r"rgba?\(\s*([\d.]+)\s*,?\s*([\d.]+)\s*,?\s*([\d.]+)\s*(?:[,/]\s*([\d.]+%?)\s*)?\)", re.I)


def parse_style(style: str) -> list[Declaration]:
    """The normalised declarations of a style attribute, in their original order."""
    return list(_parse_cached(style.strip()))


@lru_cache(maxsize=65536)
def _parse_cached(style: str) -> tuple[Declaration, ...]:
    if not style:
        return ()
    parsed = cssutils.parseStyle(style)
    declarations = []
    kept = set()
    for prop in parsed.getProperties(all=True):
        kept.add(prop.name.lower())
        raw = " ".join(prop.value.split())
        # cssutils drops the unit of a zero inside calc(), which makes calc() invalid: keep those as written.
        value = _raw_value(style, prop.name) if "calc(" in raw else raw
        value = normalise_colors(_named_colors_to_hex(value, prop))
        if prop.priority:
            value += " !important"
        declarations.append((prop.name.lower(), _shortest_box(prop.name.lower(), value)))
    # cssutils drops what it cannot validate (RGBA() in capitals, new syntax): keep those as written.
    for name, value in split_declarations(style):
        if name not in kept:
            declarations.append((name, normalise_colors(value)))
    return tuple(_collapse_longhands(declarations))


def split_declarations(style: str) -> list[Declaration]:
    """A plain split at top-level semicolons (outside quotes and parentheses)."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(style + ";"):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            parts.append(style[start:i])
            start = i + 1
    declarations = []
    for part in parts:
        name, sep, value = part.partition(":")
        if sep and name.strip() and value.strip():
            declarations.append((name.strip().lower(), " ".join(value.split())))
    return declarations


def _named_colors_to_hex(value: str, prop) -> str:
    """`red` -> #ff0000 (cssutils knows the named colours); transparent and currentcolor stay."""
    for item in prop.propertyValue:
        name = item.cssText
        if item.type == "COLOR_VALUE" and name.isalpha() and name.lower() != "transparent":
            value = re.sub(rf"\b{name}\b", f"#{item.red:02x}{item.green:02x}{item.blue:02x}", value)
    return value


def _raw_value(style: str, name: str) -> str:
    match = re.search(rf"(?:^|;)\s*{re.escape(name)}\s*:\s*((?:[^;(]|\([^)]*\))*)", style, re.I)
    return " ".join(match.group(1).split()) if match else ""


def normalise_colors(value: str) -> str:
    """rgb()/rgba() and #rgb colours in one form: #rrggbb when opaque, rgba(r,g,b,a) otherwise."""
    value = COLOR_FUNCTION.sub(_color_match, value)
    return re.sub(r"#([0-9a-fA-F]{3,8})\b", lambda m: _hex(m.group(1)), value)


def _color_match(match: re.Match) -> str:
    red, green, blue = (int(float(part)) for part in match.group(1, 2, 3))
    alpha_text = match.group(4)
    alpha = 1.0
    if alpha_text:
        alpha = float(alpha_text[:-1]) / 100 if alpha_text.endswith("%") else float(alpha_text)
    if alpha >= 1:
        return f"#{red:02x}{green:02x}{blue:02x}"
    return f"rgba({red},{green},{blue},{alpha:g})"


def _hex(digits: str) -> str:
    digits = digits.lower()
    if len(digits) in (3, 4):
        digits = "".join(ch * 2 for ch in digits)
    if len(digits) == 8 and digits.endswith("ff"):
        digits = digits[:6]
    return "#" + digits


def _shortest_box(name: str, value: str) -> str:
    """margin: 0 0 0 0 -> margin: 0; 1px 2px 1px 2px -> 1px 2px (no '/' radii, no !important)."""
    if name not in BOX_SHORTHANDS or "/" in value or "!" in value or "(" in value:
        return value
    parts = value.split()
    if not 1 <= len(parts) <= 4:
        return value
    top, right, bottom, left = (parts * 4)[:4] if len(parts) == 1 else _four(parts)
    if left == right:
        if top == bottom:
            return top if top == right else f"{top} {right}"
        return f"{top} {right} {bottom}"
    return f"{top} {right} {bottom} {left}"


def _four(parts: list[str]) -> list[str]:
    if len(parts) == 2:
        return [parts[0], parts[1], parts[0], parts[1]]
    if len(parts) == 3:
        return [parts[0], parts[1], parts[2], parts[1]]
    return parts


def _collapse_longhands(declarations: list[Declaration]) -> list[Declaration]:
    """Longhands that together equal a shorthand (and no shorthand beside them) -> the shorthand."""
    for side in SIDES:
        declarations = _collapse_border_side(declarations, side)
    names = {name for name, _ in declarations}
    for shorthand, longhands in BOX_SHORTHANDS.items():
        if shorthand in names or not names.issuperset(longhands):
            continue
        values = dict(declarations)
        if any("!" in values[longhand] or "(" in values[longhand] for longhand in longhands):
            continue
        joined = _shortest_box(shorthand, " ".join(values[longhand] for longhand in longhands))
        declarations = _fold(declarations, longhands, (shorthand, joined))
        names = {name for name, _ in declarations}
    return declarations


def _fold(declarations: list[Declaration], longhands, shorthand: Declaration) -> list[Declaration]:
    """The longhands replaced by one shorthand, placed where the first of them stood."""
    first = min(i for i, (name, _) in enumerate(declarations) if name in longhands)
    kept = [d for d in declarations if d[0] not in longhands]
    kept.insert(first, shorthand)
    return kept


def _collapse_border_side(declarations: list[Declaration], side: str) -> list[Declaration]:
    """border-top-width/style/color -> border-top: width style color."""
    parts = [f"border-{side}-{part}" for part in ("width", "style", "color")]
    values = dict(declarations)
    if f"border-{side}" in values or not all(p in values for p in parts):
        return declarations
    if any("!" in values[p] for p in parts):
        return declarations
    return _fold(declarations, parts, (f"border-{side}", " ".join(values[p] for p in parts)))


@lru_cache(maxsize=4096)
def affected(name: str) -> frozenset[str]:
    """The property and every longhand it sets (a superset is safe: it only groups more)."""
    longhands = {name, *EXTRA_LONGHANDS.get(name, ())}
    if name.startswith("border-") and name.count("-") == 1 and name != "border-radius":
        side = name.split("-")[1]  # border-top -> border-top-width/style/color
        longhands |= {f"border-{side}-{part}" for part in ("width", "style", "color")}
    return frozenset(longhands)


def _overlap(a: str, b: str) -> bool:
    if a == b or b.startswith(a + "-") or a.startswith(b + "-"):
        return True
    return bool(affected(a) & affected(b))


def atoms(declarations: list[Declaration]) -> tuple[str, ...]:
    """Group declarations that set a common property; each group, serialised, is one atom."""
    groups: list[list[Declaration]] = []
    for declaration in declarations:
        touching = [g for g in groups if any(_overlap(declaration[0], other[0]) for other in g)]
        merged = [d for g in touching for d in g] + [declaration]
        groups = [g for g in groups if g not in touching] + [merged]
    # Keep the original order inside a group: a later longhand overrides an earlier shorthand.
    order = {id_(d): i for i, d in enumerate(declarations)}
    return tuple(serialise(sorted(g, key=lambda d: order[id_(d)])) for g in groups)


def id_(declaration: Declaration) -> str:
    return f"{declaration[0]}:{declaration[1]}"


def serialise(declarations: list[Declaration]) -> str:
    """`a: 1; b: 2` as written in a style attribute or a rule body."""
    return "; ".join(f"{name}: {value}" for name, value in declarations)


def style_atoms(style: str) -> tuple[str, ...]:
    """A style attribute's atoms, sorted so equal styles give equal tuples."""
    return tuple(sorted(atoms(parse_style(style))))
