"""Generation and eval benchmark: tokens/s of the tiny model on the CPU, eval time per page.

    python benchmarks/generate.py [--workspace WS --run NAME] [--corpus ../shared/corpus] [--steps 60]
                                  [--limit 20] [--threads 1] [--json out.json]

With --workspace and --run it measures an existing run on that workspace's val pages.
Without, it builds a workspace from the Design2Code pages of the shared corpus (label =
page title, completion = the start of the page's body markup wrapped as a semantic page),
trains a `small` tiny model for --steps steps (60 pages: 40 train, 20 val) and measures:

- generation tokens/s, batch 1 and batch 8 (greedy, up to 256 new tokens);
- `tinyweb eval` of --limit val pages with the baseline row: total time, time per page,
  and the share of generated pages that are valid after repair.
Prints a markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import time
from pathlib import Path

from corpus import DEFAULT_CORPUS

BODY_CHARS = 2500
FRAMEWORK_CSS = """body { font-family: sans-serif; margin: 24px; color: #222; }
h1, h2, h3 { color: #1a3d5c; }
a { color: #0b5cad; }
img { max-width: 240px; height: auto; }
"""
TEMPLATE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
    '<link rel="stylesheet" href="framework.css"></head><body>{body}</body></html>'
)


def corpus_examples(corpus: Path) -> list[tuple[str, str]]:
    """(label, semantic-style page) pairs from the Design2Code pages."""
    from selectolax.lexbor import LexborHTMLParser

    from tinyweb.generate.repair import repair_html

    examples = []
    for path in sorted((corpus / "design2code").glob("*.html")):
        tree = LexborHTMLParser(path.read_text(encoding="utf-8", errors="replace"))
        title = tree.css_first("title")
        label = html.unescape(title.text(strip=True)) if title is not None else path.stem
        for node in tree.css("style, script, noscript, svg"):
            node.decompose()
        body = tree.body.inner_html if tree.body is not None else ""
        body = " ".join(body.split())[:BODY_CHARS]
        cut = body.rfind("<")
        body = repair_html(body[:cut] if cut > 0 else body).body_html
        examples.append((label or path.stem, TEMPLATE.format(title=html.escape(label), body=body)))
    return examples


def build_workspace(corpus: Path, steps: int, workdir: Path) -> tuple[Path, Path, float]:
    from tinyweb.model.options import TrainOptions
    from tinyweb.model.sample_run import write_prompt_files
    from tinyweb.model.train import train

    examples = corpus_examples(corpus)
    val, training = examples[:20], examples[20:]
    (workdir / "pages.db").touch()
    (workdir / "framework.css").write_text(FRAMEWORK_CSS, encoding="utf-8")
    write_prompt_files(workdir, training + val, val_count=0)
    prompts = workdir / "prompts"
    lines = (prompts / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (prompts / "train.jsonl").write_text("\n".join(lines[: len(training)]) + "\n", encoding="utf-8")
    (prompts / "val.jsonl").write_text("\n".join(lines[len(training) :]) + "\n", encoding="utf-8")
    options = TrainOptions(
        workspace=workdir, init="tiny", run="bench", tiny_size="small", max_steps=steps, batch_size=4, device="cpu"
    )
    started = time.perf_counter()
    run_dir = train(options).run_dir
    return workdir, run_dir, time.perf_counter() - started


def tokens_per_s(run_dir: Path, batch: int, new_tokens: int = 256) -> float:
    from tinyweb.generate.models import load_run_generator
    from tinyweb.generate.sample import SamplingOptions, sample

    generator = load_run_generator(run_dir, device="cpu")
    prompts = [generator.prompt(f"a page about topic {i}") for i in range(batch)]
    options = SamplingOptions(max_new_tokens=new_tokens, temperature=0)
    sample(generator.model, generator.tokenizer, prompts[:1], SamplingOptions(max_new_tokens=8))  # warm up
    results = sample(generator.model, generator.tokenizer, prompts, options, generator.stop_strings())
    return sum(r.tokens for r in results) / results[0].seconds


def run_eval(workspace: Path, run: Path, limit: int) -> dict:
    from tinyweb.evaluate.pipeline import EvalOptions, evaluate_pages

    def progress(phase: str, done: int, total: int) -> None:
        print(f"  {time.perf_counter() - started:7.1f} s  {phase}: {done}/{total}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    report = evaluate_pages(EvalOptions(workspace=workspace, runs=(run,), limit=limit), progress)
    seconds = time.perf_counter() - started
    pages = len(report.pages)
    figures = {
        "pages": pages,
        "seconds": seconds,
        "seconds_per_page": seconds / pages,
        "report": str(report.index_path),
    }
    for system in report.systems:
        s = system.summary
        figures[system.kind] = {
            "name": system.name,
            "valid": s["valid"],
            "score": s["score"],
            "generated_tokens": s["generated_tokens"],
            "generation_s": s["generation_s"],
            "tokens_per_s": s["tokens_per_s"],
        }
    figures["render_and_score_s"] = seconds - sum(system.seconds for system in report.systems)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, help="an existing workspace (with --run)")
    parser.add_argument("--run", type=Path, help="run directory or name in --workspace")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--steps", type=int, default=60, help="training steps of the benchmark's tiny run")
    parser.add_argument("--limit", type=int, default=20, help="val pages to evaluate")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads for training (sampling uses 1)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)

    figures: dict = {}
    if args.workspace and args.run:
        workspace = args.workspace
        run_dir = args.run if (args.run / "run.json").is_file() else workspace / "runs" / str(args.run)
    else:
        workspace, run_dir, train_s = build_workspace(args.corpus, args.steps, Path(tempfile.mkdtemp()))
        figures["train"] = {"steps": args.steps, "seconds": train_s, "threads": args.threads}
        print(f"trained {run_dir} in {train_s:.0f} s", file=sys.stderr, flush=True)
    figures["tokens_per_s_batch1"] = tokens_per_s(run_dir, 1)
    figures["tokens_per_s_batch8"] = tokens_per_s(run_dir, 8)
    print(
        f"tokens/s: {figures['tokens_per_s_batch1']:.0f} (batch 1), {figures['tokens_per_s_batch8']:.0f} (batch 8)",
        file=sys.stderr,
        flush=True,
    )
    figures["eval"] = run_eval(workspace, run_dir, args.limit)

    ev = figures["eval"]
    print("| measure | value |\n| --- | --- |")
    print(f"| generation, batch 1 (tok/s) | {figures['tokens_per_s_batch1']:.0f} |")
    print(f"| generation, batch 8 (tok/s) | {figures['tokens_per_s_batch8']:.0f} |")
    print(f"| eval of {ev['pages']} val pages, run + baseline (s) | {ev['seconds']:.1f} |")
    print(f"| eval time per val page (s) | {ev['seconds_per_page']:.2f} |")
    print(f"| rendering and scoring (s) | {ev['render_and_score_s']:.1f} |")
    for kind in ("run", "baseline"):
        if kind in ev:
            s = ev[kind]
            print(f"| {s['name']}: valid after repair | {s['valid'] * 100:.0f} % |")
            print(f"| {s['name']}: score | {s['score'] * 100:.1f} |")
            print(f"| {s['name']}: tokens generated, tok/s | {s['generated_tokens']} at {s['tokens_per_s']:.0f} |")
    print(f"\nreport: {ev['report']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
