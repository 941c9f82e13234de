"""Grounding baseline benchmark over the shared corpus: click accuracy (DOM and OCR paths), timings.

    python benchmarks/act.py [--corpus ../shared/corpus] [--limit N] [--per-page 10] [--json out.json]

Each page is rendered at 1280x800 (JavaScript off, off-host requests blocked). Its DOM gives
the tasks: links and buttons whose name is visible inside them and unique on the screen,
phrased with varied templates ("click the Contact us link"). The baseline then answers each
task twice: from the DOM screen, and from OCR of the screenshot alone (rapidocr). A task is
solved when the predicted point lies inside the element's box (the ScreenSpot rule).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from pathlib import Path

from corpus import DEFAULT_CORPUS

from tinyweb.act.dom import dom_screen
from tinyweb.act.ground import NotFound, ground
from tinyweb.act.ocr import ocr_screen
from tinyweb.act.tasks import click_tasks, hit
from tinyweb.browser import BrowserOptions, BrowserPool


def solve(screen, task) -> tuple[bool, str]:
    try:
        action = ground(screen, task.instruction)
    except NotFound as exc:
        return False, str(exc)
    return hit(action.point_1000, task.target.box), action.text


async def render_all(files: list[Path]) -> list[tuple[Path, object, float]]:
    screens = []
    async with BrowserPool(BrowserOptions(pages=1, network="none")) as pool:
        for path in files:
            async with pool.page() as page:
                try:
                    await page.goto(path.resolve().as_uri(), wait_until="load", timeout=30000)
                except Exception as exc:  # a page that does not load is reported, not fatal
                    print(f"skip {path.name}: {str(exc).splitlines()[0]}")
                    continue
                started = time.perf_counter()
                screen = await dom_screen(page)
                screens.append((path, screen, time.perf_counter() - started))
    return screens


def bench(folder: Path, limit: int | None, per_page: int, seed: int, failures: list) -> dict:
    files = sorted(folder.glob("*.html"))[:limit]
    screens = asyncio.run(render_all(files))
    rng = random.Random(seed)
    dom_hits = ocr_hits = total = 0
    dom_times, ocr_times, ocr_cpu = [], [], []
    for path, screen, dom_s in screens:
        dom_times.append(dom_s)
        tasks = click_tasks(screen, rng, per_page)
        if not tasks:
            continue
        started, cpu = time.perf_counter(), time.process_time()
        ocr = ocr_screen(screen.image)
        ocr_times.append(time.perf_counter() - started)
        ocr_cpu.append(time.process_time() - cpu)
        for task in tasks:
            total += 1
            ok_dom, got_dom = solve(screen, task)
            ok_ocr, got_ocr = solve(ocr, task)
            dom_hits += ok_dom
            ocr_hits += ok_ocr
            if not (ok_dom and ok_ocr):
                failures.append(
                    {
                        "page": path.name,
                        "task": task.instruction,
                        "dom": ok_dom,
                        "ocr": ok_ocr,
                        "dom_got": got_dom,
                        "ocr_got": got_ocr,
                    }
                )
    return {
        "pages": len(screens),
        "tasks": total,
        "dom_accuracy": dom_hits / total if total else None,
        "ocr_accuracy": ocr_hits / total if total else None,
        "ocr_s_median": statistics.median(ocr_times) if ocr_times else None,
        "ocr_s_max": max(ocr_times) if ocr_times else None,
        "ocr_cpu_s_median": statistics.median(ocr_cpu) if ocr_cpu else None,
        "dom_s_median": statistics.median(dom_times) if dom_times else None,
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="pages per corpus folder")
    parser.add_argument("--per-page", type=int, default=10, help="click tasks per page")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    results, failures = {}, []
    for name in ("design2code", "pages"):
        results[name] = bench(args.corpus / name, args.limit, args.per_page, args.seed, failures)
    tasks = sum(r["tasks"] for r in results.values())
    results["all"] = {
        "tasks": tasks,
        "dom_accuracy": sum(r["dom_accuracy"] * r["tasks"] for r in results.values() if r["tasks"]) / tasks,
        "ocr_accuracy": sum(r["ocr_accuracy"] * r["tasks"] for r in results.values() if r["tasks"]) / tasks,
    }
    columns = "corpus|pages|click tasks|DOM path|OCR path|OCR s/shot (median, max)|OCR CPU s|DOM read s|load"
    print(f"| {columns.replace('|', ' | ')} |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        if name == "all":
            print(f"| all | | {r['tasks']} | {r['dom_accuracy']:.1%} | {r['ocr_accuracy']:.1%} | | | | |")
            continue
        print(
            f"| {name} | {r['pages']} | {r['tasks']} | {r['dom_accuracy']:.1%} | {r['ocr_accuracy']:.1%} "
            f"| {r['ocr_s_median']:.2f}, {r['ocr_s_max']:.2f} | {r['ocr_cpu_s_median']:.2f} | {r['dom_s_median']:.3f} "
            f"| {r['load_average']:.1f} |"
        )
    if args.json:
        args.json.write_text(json.dumps({"results": results, "failures": failures}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
