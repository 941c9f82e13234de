"""What the benchmark scripts share: where the shared corpus is, its folders, a percentile."""

from __future__ import annotations

from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FOLDERS = ("pages", "design2code")


def corpus_files(corpus: Path, folder: str, limit: int = 0) -> list[Path]:
    """The folder's pages, sorted; the first `limit` of them when limit > 0."""
    files = sorted((Path(corpus) / folder).glob("*.html"))
    return files[:limit] if limit else files


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]
