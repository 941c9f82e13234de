"""Style capture benchmark over the shared corpus (JavaScript off, off-host requests blocked).

    python benchmarks/embed.py [--corpus ../shared/corpus] [--limit N] [--json out.json]

Runs `tinyweb embed` twice per corpus folder: capture alone, then with --verify, and prints
fidelity, declarations per element, sizes and speed as a markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from tinyweb.capture.embed import EmbedOptions, embed
from tinyweb.store import PageStore

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def run(files: list[Path], verify: bool, workdir: Path) -> tuple[list, float]:
    options = EmbedOptions(
        inputs=tuple(str(f) for f in files), workspace=workdir, verify=verify, network="same-host", force=True
    )
    started = time.perf_counter()
    summary = embed(options)
    return summary.records, time.perf_counter() - started


def measure(name: str, files: list[Path]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        plain, plain_s = run(files, False, Path(tmp) / "plain")
        verified, verify_s = run(files, True, Path(tmp) / "verify")
        with PageStore(Path(tmp) / "verify" / "pages.db") as store:
            stored = store.pages("ok")
    ok = [r for r in verified if r.ok]
    fid = [r.fidelity for r in ok]
    per_element = [r.declarations / r.elements for r in ok if r.elements]
    raw_bytes = sum(len(r.raw_html.encode()) for r in stored)
    styled_bytes = sum(len(r.styled_html.encode()) for r in stored)
    raw_chars = sum(len(r.raw_html) for r in stored)
    styled_chars = sum(len(r.styled_html) for r in stored)
    capture_ms = [r.capture_ms for r in plain if r.ok]
    return {
        "corpus": name,
        "pages": len(files),
        "failed": len(files) - len(ok),
        "fidelity_median": statistics.median(fid),
        "fidelity_p10": percentile(fid, 0.10),
        "pixel_identical_pages": sum(f == 1.0 for f in fid) / len(fid),
        "size_equal": sum(bool(r.size_match) for r in ok) / len(ok),
        "declarations_per_element_median": statistics.median(per_element),
        "elements_median": statistics.median(r.elements for r in ok),
        "bytes_styled_vs_original": styled_bytes / raw_bytes,
        "chars_styled_vs_original": styled_chars / raw_chars,
        "capture_ms_median": statistics.median(capture_ms),
        "capture_pages_per_s_median_page": 1000 / statistics.median(capture_ms),
        "wall_pages_per_s_capture": len(files) / plain_s,
        "wall_pages_per_s_with_verify": len(files) / verify_s,
        "worst": sorted((r.fidelity, r.url.rsplit("/", 1)[-1]) for r in ok)[:5],
    }


def markdown(rows: list[dict]) -> str:
    lines = [
        "| corpus | pages | failed | identical pixels median | p10 | pages pixel-identical | equal size "
        "| decl/element median | elements median | bytes styled/original | chars styled/original "
        "| capture ms median page | pages/s capture (wall, 2 pages at once) | pages/s with verify (wall) |",
        "|" + "---|" * 14,
    ]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['pages']} | {r['failed']} | {r['fidelity_median'] * 100:.3f} % "
            f"| {r['fidelity_p10'] * 100:.2f} % | {r['pixel_identical_pages'] * 100:.0f} % "
            f"| {r['size_equal'] * 100:.0f} % "
            f"| {r['declarations_per_element_median']:.2f} | {r['elements_median']:.0f} "
            f"| {r['bytes_styled_vs_original']:.2f} | {r['chars_styled_vs_original']:.2f} "
            f"| {r['capture_ms_median']:.0f} | {r['wall_pages_per_s_capture']:.2f} "
            f"| {r['wall_pages_per_s_with_verify']:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="Pages per folder (0 = all).")
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON here.")
    args = parser.parse_args()
    rows = []
    for folder in ("pages", "design2code"):
        files = sorted((args.corpus / folder).glob("*.html"))
        if args.limit:
            files = files[: args.limit]
        rows.append(measure(folder, files))
    print(markdown(rows))
    for r in rows:
        print(f"\nworst fidelity in {r['corpus']}: " + ", ".join(f"{n} {f * 100:.2f} %" for f, n in r["worst"]))
        print(f"failed in {r['corpus']}: " + (", ".join(f"{n} ({e})" for n, e in r["failures"]) or "none"))
        print(f"page size differs in {r['corpus']}: " + (", ".join(r["size_mismatches"]) or "none"))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
