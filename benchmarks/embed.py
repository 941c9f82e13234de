"""Style capture benchmark over the shared corpus (JavaScript off, off-host requests blocked).

    python benchmarks/embed.py [--corpus ../shared/corpus] [--limit N] [--json out.json]

Per corpus folder it runs `tinyweb embed` three times: capture alone (speed), capture with
--verify (fidelity, size), and the plain computed-style diff with --verify (the baseline:
resolved values of every property against tag defaults, as the original crawler did).
Prints markdown tables for BENCHMARKS.md.
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
from tinyweb.store import PageRecord


def run(files: list[Path], workdir: Path, verify: bool, naive: bool = False) -> tuple[list[PageRecord], float]:
    options = EmbedOptions(
        inputs=tuple(str(f) for f in files),
        workspace=workdir,
        verify=verify,
        naive=naive,
        network="same-host",
        force=True,
    )
    started = time.perf_counter()
    summary = embed(options)
    return summary.records, time.perf_counter() - started


def quality(records: list[PageRecord]) -> dict:
    ok = [r for r in records if r.ok]
    fidelity = [r.fidelity for r in ok]
    raw_bytes = sum(len(r.raw_html.encode()) for r in ok)
    return {
        "pages": len(records),
        "failed": len(records) - len(ok),
        "fidelity_median": statistics.median(fidelity),
        "fidelity_p10": percentile(fidelity, 0.10),
        "pixel_identical_pages": sum(f == 1.0 for f in fidelity) / len(ok),
        "size_equal": sum(bool(r.size_match) for r in ok) / len(ok),
        "declarations_per_element_median": statistics.median(r.declarations / r.elements for r in ok if r.elements),
        "elements_median": statistics.median(r.elements for r in ok),
        "bytes_styled_vs_original": sum(len(r.styled_html.encode()) for r in ok) / raw_bytes,
        "chars_styled_vs_original": sum(len(r.styled_html) for r in ok) / sum(len(r.raw_html) for r in ok),
        "worst": sorted((r.fidelity, name(r)) for r in ok)[:5],
        "failures": [(name(r), r.error) for r in records if not r.ok],
        "size_mismatches": [name(r) for r in ok if not r.size_match],
    }


def name(record: PageRecord) -> str:
    return record.url.rsplit("/", 1)[-1]


def measure(corpus: str, files: list[Path]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        plain, plain_s = run(files, Path(tmp) / "plain", verify=False)
        verified, verify_s = run(files, Path(tmp) / "verify", verify=True)
        naive, _ = run(files, Path(tmp) / "naive", verify=True, naive=True)
    capture_ms = [r.capture_ms for r in plain if r.ok]
    return {
        "corpus": corpus,
        "tinyweb": quality(verified),
        "naive": quality(naive),
        "capture_ms_median": statistics.median(capture_ms),
        "pages_per_s_capture": len(files) / plain_s,
        "pages_per_s_with_verify": len(files) / verify_s,
    }


def markdown(rows: list[dict]) -> str:
    head = (
        "| corpus | method | pages | failed | identical pixels, median | p10 | pixel-identical pages "
        "| equal page size | declarations per element, median | styled bytes / original bytes |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for r in rows:
        for method, label in (("tinyweb", "tinyweb"), ("naive", "plain computed-style diff")):
            q = r[method]
            lines.append(
                f"| {r['corpus']} | {label} | {q['pages']} | {q['failed']} | {q['fidelity_median'] * 100:.3f} % "
                f"| {q['fidelity_p10'] * 100:.2f} % | {q['pixel_identical_pages'] * 100:.0f} % "
                f"| {q['size_equal'] * 100:.0f} % | {q['declarations_per_element_median']:.2f} "
                f"| {q['bytes_styled_vs_original']:.2f} |"
            )
    lines += [
        "",
        "| corpus | elements per page, median | capture ms, median page | pages/s, capture "
        "| pages/s, capture + verify | naive / tinyweb declarations |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = r["naive"]["declarations_per_element_median"] / r["tinyweb"]["declarations_per_element_median"]
        lines.append(
            f"| {r['corpus']} | {r['tinyweb']['elements_median']:.0f} | {r['capture_ms_median']:.0f} "
            f"| {r['pages_per_s_capture']:.2f} | {r['pages_per_s_with_verify']:.2f} | {ratio:.1f}x |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="Pages per folder (0 = all).")
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON here.")
    args = parser.parse_args()
    rows = []
    for folder in FOLDERS:
        rows.append(measure(folder, corpus_files(args.corpus, folder, args.limit)))
    print(markdown(rows))
    for r in rows:
        q = r["tinyweb"]
        print(f"\n{r['corpus']}: lowest fidelity " + ", ".join(f"{n} {f * 100:.2f} %" for f, n in q["worst"]))
        print(f"{r['corpus']}: failed " + (", ".join(f"{n} ({e})" for n, e in q["failures"]) or "none"))
        print(f"{r['corpus']}: page size differs " + (", ".join(q["size_mismatches"]) or "none"))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
