"""Duplicate pages: exact (same normalised text) and near (MinHash over word shingles, LSH bands).

Pages of one site often differ by a date or a counter only; training on twenty copies
of a page teaches the model that page. MinHash estimates the Jaccard similarity of the
pages' 5-word shingle sets; LSH (bands x rows) finds candidate pairs without comparing
every pair; candidates are confirmed against the threshold on the signatures.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field

PRIME = (1 << 31) - 1  # 32-bit shingle hashes times 31-bit coefficients fit in uint64


def normalise(html: str) -> str:
    """Markup and whitespace-insensitive text of a page, for exact duplicates."""
    return " ".join(html.split()).lower()


def shingles(text: str, size: int = 5) -> set[int]:
    words = re.findall(r"\w+|[^\w\s]", text.lower())
    if len(words) < size:
        words = words + [""] * (size - len(words))
    return {
        int.from_bytes(hashlib.blake2b(" ".join(words[i : i + size]).encode(), digest_size=4).digest(), "big")
        for i in range(len(words) - size + 1)
    }


@dataclass
class MinHasher:
    permutations: int = 64
    bands: int = 16
    seed: int = 1
    params: list = field(default_factory=list)

    def __post_init__(self):
        rng = random.Random(self.seed)
        self.params = [(rng.randrange(1, PRIME), rng.randrange(0, PRIME)) for _ in range(self.permutations)]

    def signature(self, items: set[int]) -> tuple[int, ...]:
        import numpy

        values = numpy.fromiter(items, dtype=numpy.uint64, count=len(items))
        a = numpy.array([p[0] for p in self.params], dtype=numpy.uint64)[:, None]
        b = numpy.array([p[1] for p in self.params], dtype=numpy.uint64)[:, None]
        return tuple(int(v) for v in ((a * values + b) % PRIME).min(axis=1))

    def similarity(self, one: tuple[int, ...], two: tuple[int, ...]) -> float:
        return sum(x == y for x, y in zip(one, two, strict=True)) / len(one)


def find_duplicates(texts: list[str], threshold: float = 0.9) -> dict[int, tuple[str, int]]:
    """{index: ("exact" | "near", index of the earlier page it duplicates)} for every duplicate page."""
    duplicates: dict[int, tuple[str, int]] = {}
    seen: dict[str, int] = {}
    for index, text in enumerate(texts):
        key = hashlib.sha256(normalise(text).encode()).hexdigest()
        if key in seen:
            duplicates[index] = ("exact", seen[key])
        else:
            seen[key] = index
    hasher = MinHasher()
    rows = hasher.permutations // hasher.bands
    buckets: dict[tuple, list[int]] = {}
    signatures: dict[int, tuple[int, ...]] = {}
    for index, text in enumerate(texts):
        if index in duplicates:
            continue
        signature = hasher.signature(shingles(text))
        signatures[index] = signature
        match = None
        for band in range(hasher.bands):
            key = (band, signature[band * rows : (band + 1) * rows])
            for other in buckets.get(key, []):
                if match is None and hasher.similarity(signature, signatures[other]) >= threshold:
                    match = other
            buckets.setdefault(key, []).append(index)
        if match is not None:
            duplicates[index] = ("near", match)
    return duplicates
