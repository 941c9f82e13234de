"""Mine classes: frequent sets of atoms across the corpus, and a greedy cover of each element.

Elements are given as their atom sets with a count (how many elements share that exact
set). Candidates are the frequent whole sets, the intersections of frequent sets (the
shared part of two common styles) and frequent single atoms. Each candidate is worth
(elements it fits) x (tokens its atoms cost - tokens of a class name). The best are
kept, every element is covered greedily by the classes that fit inside it, and classes
that the cover hardly uses are dropped before a final cover.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

AtomSet = frozenset[str]

CLASS_REFERENCE_TOKENS = 4.5
"""What naming a class in a class attribute costs, in tokens (a topic-role name and a space)."""
INTERSECTION_POOL = 300
"""How many of the most frequent atom sets are intersected pairwise for candidates."""


@dataclass(frozen=True)
class Cover:
    classes: tuple[int, ...]
    """Indices into the mined classes, best first."""
    remainder: tuple[str, ...]
    """Atoms left inline."""


@dataclass
class Mined:
    classes: list[AtomSet]
    covers: dict[AtomSet, Cover]
    usage: list[int]
    """Elements using each class."""


def mine_classes(
    element_sets: Counter[AtomSet], cost: Callable[[str], float], min_support: int, max_classes: int
) -> Mined:
    candidates = _candidates(element_sets, min_support)
    supports = _supports(candidates, element_sets)
    worth = {
        candidate: support * (sum(cost(a) for a in candidate) - CLASS_REFERENCE_TOKENS)
        for candidate, support in supports.items()
        if support >= min_support
    }
    ranked = sorted((c for c, w in worth.items() if w > 0), key=lambda c: (-worth[c], sorted(c)))
    classes = ranked[: max_classes * 2]
    covers, usage = _cover_all(element_sets, classes, cost)
    # Keep the classes the cover really uses, most saving first, then cover again with only those.
    saving = [usage[i] * (sum(cost(a) for a in c) - CLASS_REFERENCE_TOKENS) for i, c in enumerate(classes)]
    keep = [
        i
        for i in sorted(range(len(classes)), key=lambda i: (-saving[i], sorted(classes[i])))
        if usage[i] >= min_support
    ]
    classes = [classes[i] for i in keep[:max_classes]]
    covers, usage = _cover_all(element_sets, classes, cost)
    return Mined(classes=classes, covers=covers, usage=usage)


def _candidates(element_sets: Counter[AtomSet], min_support: int) -> set[AtomSet]:
    frequent_sets = [s for s, n in element_sets.most_common() if s]
    candidates = {s for s in frequent_sets if element_sets[s] >= min_support}
    pool = frequent_sets[:INTERSECTION_POOL]
    for a, b in combinations(pool, 2):
        shared = a & b
        if shared:
            candidates.add(shared)
    atom_counts: Counter[str] = Counter()
    for atom_set, n in element_sets.items():
        for atom in atom_set:
            atom_counts[atom] += n
    candidates |= {frozenset([atom]) for atom, n in atom_counts.items() if n >= min_support}
    return candidates


def _supports(candidates: set[AtomSet], element_sets: Counter[AtomSet]) -> dict[AtomSet, int]:
    """Elements whose atom set contains each candidate."""
    sets = list(element_sets)
    postings: dict[str, set[int]] = defaultdict(set)
    for index, atom_set in enumerate(sets):
        for atom in atom_set:
            postings[atom].add(index)
    supports = {}
    for candidate in candidates:
        lists = sorted((postings[a] for a in candidate), key=len)
        holders = set(lists[0]).intersection(*lists[1:])
        supports[candidate] = sum(element_sets[sets[i]] for i in holders)
    return supports


def _cover_all(
    element_sets: Counter[AtomSet], classes: list[AtomSet], cost: Callable[[str], float]
) -> tuple[dict[AtomSet, Cover], list[int]]:
    by_atom: dict[str, list[int]] = defaultdict(list)
    for index, cls in enumerate(classes):
        for atom in cls:
            by_atom[atom].append(index)
    class_cost = [sum(cost(a) for a in c) for c in classes]
    covers, usage = {}, [0] * len(classes)
    for atom_set, n in element_sets.items():
        cover = _cover(atom_set, classes, class_cost, by_atom)
        covers[atom_set] = cover
        for index in cover.classes:
            usage[index] += n
    return covers, usage


def _cover(atom_set: AtomSet, classes: list[AtomSet], class_cost: list[float], by_atom) -> Cover:
    fitting = {i for atom in atom_set for i in by_atom.get(atom, ()) if classes[i] <= atom_set}
    remaining, chosen = set(atom_set), []
    while fitting:
        best = max(fitting, key=lambda i: (class_cost[i], -i))
        if class_cost[best] <= CLASS_REFERENCE_TOKENS and len(classes[best]) < len(atom_set):
            break
        chosen.append(best)
        remaining -= classes[best]
        fitting = {i for i in fitting if classes[i] <= remaining}
    return Cover(classes=tuple(chosen), remainder=tuple(sorted(remaining)))
