"""Class names from the topic and the role of the elements that use a class.

`football-nav-link` when most of its elements are links in navs on football pages,
`common-text` when no topic holds most of them. Names depend only on the data and a
deterministic order, so the same corpus gives the same names on every run; a name
taken by a class with more use gets a number (`bakery-heading-2`).
"""

from __future__ import annotations

import re
from collections import Counter

COMMON_TOPIC = "common"
DOMINANT_SHARE = 0.5


def slug(text: str) -> str:
    """Lower-case ASCII words joined by dashes; a class name must start with a letter."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    name = "-".join(words) or "x"
    return name if name[0].isalpha() else f"t-{name}"


def class_names(topics: list[Counter[str]], roles: list[Counter[str]], usage: list[int]) -> list[str]:
    """One stable, unique name per class (inputs are per class, in the same order)."""
    bases = [f"{_dominant(t, COMMON_TOPIC)}-{_dominant(r, 'text')}" for t, r in zip(topics, roles, strict=True)]
    order = sorted(range(len(bases)), key=lambda i: (bases[i], -usage[i], i))
    names: list[str] = [""] * len(bases)
    seen: Counter[str] = Counter()
    for i in order:
        seen[bases[i]] += 1
        names[i] = bases[i] if seen[bases[i]] == 1 else f"{bases[i]}-{seen[bases[i]]}"
    return names


def _dominant(counts: Counter[str], fallback: str) -> str:
    if not counts:
        return fallback
    (best, n), total = max(counts.items(), key=lambda kv: (kv[1], kv[0])), sum(counts.values())
    return slug(best) if n / total > DOMINANT_SHARE else fallback
