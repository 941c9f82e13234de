"""Semantic CSS framework benchmark over the shared corpus: compression, coverage, fidelity, time.

    python benchmarks/css.py [--corpus ../shared/corpus] [--limit N] [--json out.json]

Per corpus folder: capture the pages (as `tinyweb embed`, JS off, off-host blocked), then
time `topics` and `build-css` (with pixel verification) on them. Token figures use the
offline cl100k_base. Besides styled -> semantic, it reports the ceiling (every style
attribute deleted) and the compression from the plain computed-style diff (what the
original tiny-webdev trained on) to tinyweb's semantic pages.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from corpus import DEFAULT_CORPUS, FOLDERS, corpus_files, percentile

from tinyweb.capture.embed import EmbedOptions, embed
from tinyweb.css.framework import BuildCssOptions, build_css
from tinyweb.css.tokens import token_counter
from tinyweb.css.topics import TopicsOptions, find_topics
from tinyweb.store import PageStore


def capture(files: list[Path], workspace: Path, naive: bool = False) -> None:
    inputs = tuple(str(f) for f in files)
    summary = embed(EmbedOptions(inputs=inputs, workspace=workspace, network="same-host", naive=naive))
    if summary.failed:
        print(f"warning: {len(summary.failed)} pages failed to capture")


def measure(corpus: str, files: list[Path], min_support: int, max_classes: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        workspace, naive_ws = Path(tmp) / "ws", Path(tmp) / "naive"
        capture(files, workspace)
        capture(files, naive_ws, naive=True)
        started = time.perf_counter()
        topics = find_topics(TopicsOptions(workspace=workspace))
        topics_s = time.perf_counter() - started
        summary = build_css(BuildCssOptions(workspace=workspace, min_support=min_support, max_classes=max_classes))
        with PageStore(workspace / "pages.db") as store:
            semantic = {p.url: p.semantic_html for p in store.pages(status="ok")}
        with PageStore(naive_ws / "pages.db") as store:
            naive = {p.url: p.styled_html for p in store.pages(status="ok")}
    count = token_counter()
    naive_ratios = [count(naive[url]) / count(semantic[url]) for url in semantic if url in naive]
    fidelity = list(summary.fidelity.values())
    c = summary.compression
    return {
        "corpus": corpus,
        "pages": summary.pages,
        "topics": len(topics.topics),
        "topic_labels": [t.label for t in topics.topics],
        "classes": summary.classes,
        "coverage": summary.coverage,
        "framework_tokens": summary.framework_tokens,
        "framework_bytes": summary.framework_bytes,
        "median_token_ratio": c.median_token_ratio,
        "median_char_ratio": c.median_char_ratio,
        "median_ceiling_ratio": c.median_ceiling_ratio,
        "corpus_ratio_with_framework": c.corpus_token_ratio_with_framework,
        "naive_to_semantic_median": statistics.median(naive_ratios),
        "fidelity_median": statistics.median(fidelity),
        "fidelity_p10": percentile(fidelity, 0.10),
        "fidelity_min": min(fidelity),
        "topics_s": topics_s,
        "build_css_s": summary.seconds,
        "top_classes": summary.top_classes[:5],
    }


def markdown(rows: list[dict]) -> str:
    lines = [
        "| corpus | pages | topics | classes | declarations in classes | framework.css tokens "
        "| tokens styled/semantic, median page | ceiling (styles deleted) | corpus incl. framework "
        "| naive diff/semantic, median page |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['pages']} | {r['topics']} | {r['classes']} | {r['coverage'] * 100:.1f} % "
            f"| {r['framework_tokens']:,} | {r['median_token_ratio']:.2f}x | {r['median_ceiling_ratio']:.2f}x "
            f"| {r['corpus_ratio_with_framework']:.2f}x | {r['naive_to_semantic_median']:.2f}x |"
        )
    lines += [
        "",
        "| corpus | identical pixels semantic vs styled, median | p10 | lowest | topics s "
        "| build-css s (incl. verify) |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['fidelity_median'] * 100:.3f} % | {r['fidelity_p10'] * 100:.3f} % "
            f"| {r['fidelity_min'] * 100:.3f} % | {r['topics_s']:.1f} | {r['build_css_s']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="Pages per folder (0 = all).")
    parser.add_argument("--min-support", type=int, default=3)
    parser.add_argument("--max-classes", type=int, default=1000)
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON here.")
    args = parser.parse_args()
    rows = []
    for folder in FOLDERS:
        rows.append(measure(folder, corpus_files(args.corpus, folder, args.limit), args.min_support, args.max_classes))
    print(markdown(rows))
    for r in rows:
        print(f"\n{r['corpus']}: topics {', '.join(r['topic_labels'])}")
        print(f"{r['corpus']}: most used classes " + "; ".join(f"{n} ({u})" for n, u, _ in r["top_classes"]))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
