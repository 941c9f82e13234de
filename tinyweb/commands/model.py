"""Commands: train."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tinyweb.clikit import WorkspaceOpt, fail
from tinyweb.errors import TinywebError

CARDS_GB = (8, 12, 16, 24)


def train(
    workspace: WorkspaceOpt = Path("workspace"),
    base_model: Annotated[
        str | None, typer.Option(help="Hub id or local path of the model to fine-tune with (Q)LoRA.")
    ] = None,
    init: Annotated[
        str | None,
        typer.Option(
            help="tiny: a small Llama + BPE tokenizer built from the corpus (the default without --base-model)."
        ),
    ] = None,
    run: Annotated[str | None, typer.Option(help="Run name: runs/NAME/ (default: tiny or the model's name).")] = None,
    task: Annotated[str, typer.Option(help="page (prompts/) or act (prompts/act/).")] = "page",
    quant: Annotated[str, typer.Option(help="Base weights: 4bit (QLoRA, NF4), 8bit or none (plain LoRA).")] = "4bit",
    lora_r: Annotated[int, typer.Option(help="LoRA rank.")] = 16,
    lora_alpha: Annotated[int, typer.Option(help="LoRA alpha (scale = alpha / r).")] = 32,
    lora_dropout: Annotated[float, typer.Option(help="LoRA dropout.")] = 0.05,
    epochs: Annotated[int, typer.Option(help="Passes over the training set.")] = 3,
    max_steps: Annotated[
        int | None, typer.Option(help="Stop after this many optimizer steps (overrides --epochs).")
    ] = None,
    lr: Annotated[float | None, typer.Option(help="Peak learning rate (default 2e-4 LoRA, 1e-3 tiny).")] = None,
    batch_size: Annotated[int, typer.Option(help="Sequences per micro-batch.")] = 4,
    grad_accum: Annotated[int, typer.Option(help="Micro-batches per optimizer step.")] = 1,
    max_seq_len: Annotated[int, typer.Option(help="Tokens per sequence (longer pages are cut).")] = 1024,
    warmup_ratio: Annotated[float, typer.Option(help="Share of steps warming up (cosine decay after).")] = 0.05,
    save_steps: Annotated[int, typer.Option(help="Checkpoint every this many steps (and at the end).")] = 200,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the run from its latest checkpoint.")] = False,
    merge: Annotated[bool, typer.Option("--merge", help="Also write model/: base + adapter merged, 16-bit.")] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Only estimate GPU memory (CPU with --device cpu) and trainable parameters."),
    ] = False,
    gradient_checkpointing: Annotated[
        bool | None,
        typer.Option(
            "--gradient-checkpointing/--no-gradient-checkpointing", help="Default: on with CUDA, off on the CPU."
        ),
    ] = None,
    device: Annotated[str | None, typer.Option(help="cpu or cuda (default: cuda when available).")] = None,
    tiny_size: Annotated[str, typer.Option(help="--init tiny preset: micro, small or base.")] = "small",
    vocab_size: Annotated[int, typer.Option(help="--init tiny: BPE vocabulary size.")] = 4096,
    pos2d: Annotated[bool, typer.Option("--pos2d", help="act task: 2D (x, y) position embeddings.")] = False,
    seed: Annotated[int, typer.Option(help="Seed for initialisation, dropout and data order.")] = 0,
) -> None:
    """Fine-tune a model on the prompts: QLoRA on a base model, or a tiny model from scratch.

    QLoRA: NF4 4-bit base with double quantisation, LoRA on all linear layers, loss on the
    page only (the prompt is masked), cosine schedule with warmup, length-grouped batches,
    eval loss and perplexity each epoch, checkpoints and --resume. Without --base-model it
    trains a tiny Llama from scratch, offline. runs/NAME/ then holds all `generate` needs.
    Several GPUs: `accelerate launch -m tinyweb train ...`.
    """
    from tinyweb.model.options import TrainOptions

    try:
        options = TrainOptions(
            workspace=workspace,
            base_model=base_model,
            init=init if (init or base_model) else "tiny",
            run=run,
            task=task,
            quant=quant,
            lora_r=lora_r,
            lora_alpha=lora_alpha,
            lora_dropout=lora_dropout,
            epochs=epochs,
            max_steps=max_steps,
            lr=lr,
            batch_size=batch_size,
            grad_accum=grad_accum,
            max_seq_len=max_seq_len,
            warmup_ratio=warmup_ratio,
            save_steps=save_steps,
            resume=resume,
            merge=merge,
            dry_run=dry_run,
            gradient_checkpointing=gradient_checkpointing,
            device=device,
            tiny_size=tiny_size,
            vocab_size=vocab_size,
            pos2d=pos2d,
            seed=seed,
        )
        if dry_run:
            _dry_run(options)
            return
        summary = _train_with_progress(options)
    except TinywebError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        from tinyweb.console import err

        err.print("interrupted: run the same command with --resume to continue from the last checkpoint")
        raise typer.Exit(130) from None
    _print_summary(summary, options)


def _train_with_progress(options):
    from tinyweb.console import progress_bar
    from tinyweb.model.train import train as run_train

    with progress_bar("train") as progress:
        bar = progress.add_task("train", total=None, rate="loading")

        def on_progress(event) -> None:
            if event.phase == "train":
                speed = f"{event.tokens_per_s or 0:,.0f} tok/s"
                rate = f"loss {event.loss:.3f}, {speed}, epoch {event.epoch + 1}/{event.epochs}"
                progress.update(bar, completed=event.step, total=event.total_steps, rate=rate)
            elif event.phase == "eval" and event.eval_loss is not None:
                progress.console.print(f"epoch {event.epoch + 1}: eval loss {event.eval_loss:.3f}")
            elif event.phase in ("eval", "save"):
                progress.update(bar, rate=f"{event.phase} at step {event.step}")

        return run_train(options, on_progress)


def _print_summary(summary, options) -> None:
    from tinyweb.console import fmt_number, summary_table

    final = summary.epochs[-1] if summary.epochs else {}
    rows = [
        ("run", str(summary.run_dir)),
        ("device", summary.device),
        ("model", options.base_model or f"tiny ({options.tiny_size})"),
        ("quantisation", "-" if options.init else options.quant),
        ("trainable / total parameters", f"{summary.trainable_params:,} / {summary.total_params:,}"),
        ("examples train / val", f"{summary.train_examples} / {summary.val_examples}"),
        ("steps", f"{summary.steps} / {summary.total_steps}"),
        ("resumed from step", "-" if summary.resumed_from is None else str(summary.resumed_from)),
        ("train loss (last epoch)", fmt_number(final.get("train_loss"), 4)),
        ("eval loss", fmt_number(final.get("eval_loss"), 4)),
        ("perplexity", fmt_number(final.get("perplexity"), 2)),
        ("tokens/s", f"{summary.tokens_per_s:,.0f}"),
        ("peak memory", "-" if summary.peak_memory_mb is None else f"{summary.peak_memory_mb:,.0f} MB"),
        ("time", f"{summary.seconds:.1f} s"),
    ]
    if summary.truncated or summary.dropped:
        rows.append(("examples cut / dropped (--max-seq-len)", f"{summary.truncated} / {summary.dropped}"))
    if summary.merged_dir:
        rows.append(("merged model", str(summary.merged_dir)))
    summary_table("train", rows)


def _dry_run(options) -> None:
    from tinyweb.console import summary_table
    from tinyweb.model.estimate import estimate_memory

    estimate = estimate_memory(options)
    rows = [
        ("model", estimate.model),
        ("device estimated for", estimate.device),
        ("quantisation", estimate.quant),
        ("parameters", f"{estimate.parameters:,}"),
        ("trainable parameters", f"{estimate.trainable:,} ({100 * estimate.trainable / estimate.parameters:.2f} %)"),
        ("batch x sequence", f"{options.batch_size} x {options.max_seq_len}"),
    ]
    rows += [(f"  {name}", f"{value / 2**30:.2f} GB") for name, value in estimate.parts.items()]
    rows.append(("estimated peak memory", f"{estimate.total_gb:.2f} GB"))
    rows += [(f"fits a {gb} GB card", "yes" if estimate.fits(gb) else "no") for gb in CARDS_GB]
    summary_table("train --dry-run", rows)


COMMANDS = [train]
