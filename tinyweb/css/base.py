"""The base layer: declarations most elements of a tag carry move into a type rule (`td { ... }`).

A type rule applies to every element of its tag, so an element of that tag without the
declaration gets `property: revert` instead, which rolls the property back to what the
browser gives when no author style sets it: exactly what the capture's diff left out.
Where an element has its own declaration touching the same property, the revert goes in
front of it inside one atom, so the element's value still wins. Classes and inline styles
both outrank a type rule, so the base never overrides anything an element says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from tinyweb.css.parse import _overlap, parse_style, serialise

BASE_SHARE = 0.6
"""A declaration joins its tag's base rule when at least this share of the tag's elements carry it."""


def choose_base(
    tag_elements: Counter[str], tag_atoms: Counter[tuple[str, str]], cost: Callable[[str], float], min_elements: int
) -> dict[str, tuple[str, ...]]:
    """tag -> atoms of its base rule (only where the saving beats the reverts it costs)."""
    base: dict[str, list[str]] = {}
    for (tag, atom), carrying in sorted(tag_atoms.items()):
        total = tag_elements[tag]
        if total < min_elements or carrying / total < BASE_SHARE:
            continue
        lacking = total - carrying
        if carrying * cost(atom) > lacking * cost(_revert_atom(atom)):
            base.setdefault(tag, []).append(atom)
    return {tag: tuple(atoms) for tag, atoms in base.items()}


def _revert_atom(atom: str) -> str:
    names = dict.fromkeys(name for name, _ in parse_style(atom))
    return serialise([(name, "revert") for name in names])


def rebase(base_atoms: tuple[str, ...], atoms: tuple[str, ...]) -> tuple[str, ...]:
    """An element's atoms once its tag's base rule applies: carried base atoms drop, missing ones revert."""
    if not base_atoms:
        return atoms
    own = [a for a in atoms if a not in base_atoms]
    for missing in (b for b in base_atoms if b not in atoms):
        revert = parse_style(_revert_atom(missing))
        touching = [a for a in own if _touches(a, revert)]
        merged = revert + [d for a in touching for d in parse_style(a)]
        own = [a for a in own if a not in touching] + [serialise(merged)]
    return tuple(sorted(own))


def _touches(atom: str, declarations) -> bool:
    names = [name for name, _ in parse_style(atom)]
    return any(_overlap(name, other) for name in names for other, _ in declarations)


def base_css(base: dict[str, tuple[str, ...]]) -> list[str]:
    """Type rules, one per tag; tags with equal bases share a rule."""
    by_body: dict[str, list[str]] = {}
    for tag, atoms in sorted(base.items()):
        by_body.setdefault("; ".join(sorted(atoms)), []).append(tag)
    return [f"{', '.join(tags)} {{ {body} }}" for body, tags in sorted(by_body.items(), key=lambda kv: kv[1])]
