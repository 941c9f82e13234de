"""Training throughput and peak memory: QLoRA (4-bit) vs plain LoRA (--quant none) vs tiny from scratch.

    python benchmarks/train.py [--size small] [--steps 12] [--batch 4] [--seq 512] [--json out.json]
    python benchmarks/train.py --model Qwen/Qwen2.5-Coder-1.5B --seq 2048 --batch 1   # on a GPU

Without --model, a tiny Llama (tinyweb.model.tiny preset --size) and its BPE tokenizer are built
from the shared corpus and saved locally; that is the "base model" the LoRA runs load (4-bit through
bitsandbytes, or full precision). Pages are long enough that every sequence is --seq tokens.
Each configuration runs in its own process, so peak memory is its own: on CUDA
torch.cuda.max_memory_allocated, on the CPU the peak RSS above the process's RSS after imports.
tokens/s is the steady state after WARMUP steps (the first steps set up kernels).
Next to each measurement: the `tinyweb train --dry-run` estimate for the same settings.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import DEFAULT_CORPUS

WARMUP = 2
CONFIGS = {
    "qlora-4bit": {"quant": "4bit"},
    "lora-none": {"quant": "none"},
    "tiny-full": {"init": "tiny"},
}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(workspace: Path, corpus: Path, size: str, pages: int) -> Path:
    """Prompts from corpus pages + a tiny base model saved like a hub model; its folder."""
    from tinyweb.model.build import quiet_transformers
    from tinyweb.model.sample_run import write_prompt_files
    from tinyweb.model.tiny import build_tiny_model, train_tokenizer

    quiet_transformers()
    files = sorted((corpus / "design2code").glob("*.html"))[:pages] or sorted(corpus.glob("**/*.html"))[:pages]
    examples = [(f"a page like {f.stem}", f.read_text(encoding="utf-8", errors="replace")) for f in files]
    write_prompt_files(workspace, examples, val_count=2)
    base = workspace / "base"
    tokenizer = train_tokenizer((label + html for label, html in examples), vocab_size=4096)
    build_tiny_model(tokenizer, size, max_seq_len=4096).save_pretrained(base)
    tokenizer.save_pretrained(base)
    return base


def worker(args) -> dict:
    """One configuration, in this process: train, then report throughput, memory and the estimate."""
    import accelerate  # noqa: F401  (imported before the baseline: library code is not training memory)
    import bitsandbytes  # noqa: F401
    import peft  # noqa: F401
    import tokenizers  # noqa: F401
    import torch
    import transformers  # noqa: F401
    from transformers.models.llama import modeling_llama  # noqa: F401

    from tinyweb.model.estimate import estimate_memory
    from tinyweb.model.options import TrainOptions
    from tinyweb.model.train import train

    baseline = rss_mb()
    settings = {
        "workspace": Path(args.workspace),
        "run": args.worker,
        "max_steps": args.steps,
        "batch_size": args.batch,
        "max_seq_len": args.seq,
        "lora_r": 16,
        "warmup_ratio": 0.0,
        "save_steps": 10**6,
        "device": args.device,
    }
    config = dict(CONFIGS[args.worker])
    if "init" in config:
        settings.update(init="tiny", tiny_size=args.size, vocab_size=4096)
    else:
        settings.update(base_model=args.model or str(Path(args.workspace) / "base"), **config)
    options = TrainOptions(**settings)
    cuda = torch.cuda.is_available() and args.device != "cpu"
    estimate = estimate_memory(options, device="cuda" if cuda else "cpu")
    started = time.perf_counter()
    stamps: list[tuple[int, float]] = []

    def on_progress(event) -> None:
        if event.phase == "train":
            stamps.append((event.step, time.perf_counter()))

    summary = train(options, on_progress)
    # steady state: the first WARMUP steps pay for oneDNN / bitsandbytes kernel set-up, not training
    warm = [t for step, t in stamps if step >= WARMUP]
    steady_steps = len(warm) - 1
    tokens_per_step = summary.tokens / max(summary.steps, 1)
    steady = tokens_per_step * steady_steps / (warm[-1] - warm[0]) if steady_steps > 0 else None
    if cuda:
        peak = torch.cuda.max_memory_allocated() / 2**20
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - baseline
    return {
        "config": args.worker,
        "device": "cuda" if cuda else "cpu",
        "steps": summary.steps,
        "tokens": summary.tokens,
        "train_seconds": round(summary.seconds, 2),
        "wall_seconds": round(time.perf_counter() - started, 2),
        "tokens_per_s": round(steady, 1) if steady else None,
        "tokens_per_s_with_warmup": round(summary.tokens_per_s, 1),
        "peak_mb": round(peak, 1),
        "estimate_mb": round(estimate.total_bytes / 2**20, 1),
        "trainable": summary.trainable_params,
        "parameters": summary.total_params,
        "first_loss": round(summary.loss_history[0], 3),
        "last_loss": round(summary.loss_history[-1], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--model", help="Hub id or path of a real base model (GPU runs); default: a tiny local one.")
    parser.add_argument("--size", default="small", help="tiny preset for the local base model: micro, small, base.")
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--seq", type=int, default=512)
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--device", default=None)
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--workspace", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return

    results = []
    with tempfile.TemporaryDirectory(prefix="tinyweb-bench-train-") as tmp:
        workspace = Path(tmp)
        if not args.model:
            prepare(workspace, args.corpus, args.size, args.pages)
        else:
            from tinyweb.model.sample_run import write_prompt_files

            files = sorted((args.corpus / "design2code").glob("*.html"))[: args.pages]
            write_prompt_files(workspace, [(f.stem, f.read_text(errors="replace")) for f in files], val_count=2)
        for name in args.configs.split(","):
            if name == "tiny-full" and args.model:
                continue
            command = [sys.executable, __file__, "--worker", name, "--workspace", str(workspace)]
            command += ["--steps", str(args.steps), "--batch", str(args.batch), "--seq", str(args.seq)]
            command += ["--size", args.size] + (["--model", args.model] if args.model else [])
            command += ["--device", args.device] if args.device else []
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode:
                print(f"{name}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"{name}: done", file=sys.stderr)

    header = f"{'config':<12} {'device':<6} {'params':>11} {'trainable':>10} {'tok/s':>8} {'peak MB':>8} {'est. MB':>8}"
    header += f" {'loss':>13}"
    print(f"model: {args.model or 'tiny ' + args.size}, batch {args.batch} x {args.seq} tokens, {args.steps} steps")
    print(header)
    for r in results:
        print(
            f"{r['config']:<12} {r['device']:<6} {r['parameters']:>11,} {r['trainable']:>10,} "
            f"{r['tokens_per_s']:>8,.0f} {r['peak_mb']:>8,.0f} {r['estimate_mb']:>8,.0f} "
            f"{r['first_loss']:>6}->{r['last_loss']:<6}"
        )
    if args.json:
        args.json.write_text(
            json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "results": results}, indent=2)
        )


if __name__ == "__main__":
    main()
