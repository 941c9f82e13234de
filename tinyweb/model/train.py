"""`tinyweb train`: QLoRA / LoRA fine-tuning of a base model, or a tiny model from scratch.

A plain PyTorch loop (not HF Trainer): the loop is ~100 lines, and owning it makes the parts
that matter here exact and testable: the completion-only mask, length-grouped batches, and a
resume that restores optimizer, scheduler, RNG and the position inside the epoch. `accelerate`
supplies the device and, under `accelerate launch`, distributed data parallel (each process
takes every N-th batch; gradients are averaged by DDP).

    summary = train(TrainOptions(workspace=ws, init="tiny", tiny_size="micro", max_steps=2))
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from tinyweb.model import batches as data
from tinyweb.model import build, checkpoint, rundir
from tinyweb.model.options import TrainError, TrainOptions


@dataclass
class TrainProgress:
    """One report to the progress callback."""

    phase: str
    """train, eval, save or done."""
    step: int
    total_steps: int
    epoch: int
    epochs: int
    loss: float | None = None
    tokens_per_s: float | None = None
    eta_s: float | None = None
    eval_loss: float | None = None


@dataclass
class TrainSummary:
    run_dir: Path
    steps: int = 0
    total_steps: int = 0
    epochs: list = field(default_factory=list)
    final: dict = field(default_factory=dict)
    trainable_params: int = 0
    total_params: int = 0
    train_examples: int = 0
    val_examples: int = 0
    dropped: int = 0
    truncated: int = 0
    tokens: int = 0
    seconds: float = 0.0
    resumed_from: int | None = None
    merged_dir: Path | None = None
    device: str = "cpu"
    peak_memory_mb: float | None = None
    loss_history: list = field(default_factory=list)

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0


def oom_message(options: TrainOptions) -> str:
    return (
        f"CUDA out of memory (batch {options.batch_size}, {options.max_seq_len} tokens, quant {options.quant}, "
        f"LoRA r {options.lora_r}). Try --batch-size 1 with --grad-accum {options.batch_size * options.grad_accum}, "
        "a smaller --max-seq-len, --quant 4bit, --gradient-checkpointing, or a smaller --lora-r; "
        "`tinyweb train --dry-run` estimates the memory a setting needs"
    )


def train(options: TrainOptions, on_progress: Callable[[TrainProgress], None] | None = None) -> TrainSummary:
    """Train a run end to end; the run directory holds everything generate needs."""
    import torch

    if options.dry_run:
        raise TrainError("dry_run: call tinyweb.model.estimate.estimate_memory(options) instead of train()")
    try:
        return _train(options, on_progress or (lambda _: None))
    except torch.OutOfMemoryError:
        raise TrainError(oom_message(options)) from None


def _train(options: TrainOptions, report: Callable[[TrainProgress], None]) -> TrainSummary:
    import torch
    from accelerate import Accelerator

    build.quiet_transformers()
    rundir.check_run_dir(options)
    if options.base_model:
        build.model_source(options.base_model)  # unknown model offline: fail before any work
    train_records = data.read_jsonl(options.train_path)
    if not train_records:
        raise TrainError(f"empty dataset: {options.train_path} has no records (run `tinyweb prompts`)")
    val_records = data.read_jsonl(options.val_path) if options.val_path.is_file() else []
    prompt_format = rundir.read_format(options.prompts_dir if not options.train_file else options.train_path.parent)

    accelerator = Accelerator(cpu=options.device == "cpu")
    device = build.pick_device(options.device, accelerator.local_process_index)
    random.seed(options.seed)
    torch.manual_seed(options.seed)
    run_dir = options.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)

    tokenizer = _tokenizer(options, train_records, run_dir)
    train_records = _for_tokenizer(train_records, prompt_format, tokenizer)
    val_records = _for_tokenizer(val_records, prompt_format, tokenizer)
    train_set = data.encode_records(tokenizer, train_records, options.max_seq_len, options.pos2d)
    val_set = data.encode_records(tokenizer, val_records, options.max_seq_len, options.pos2d)
    if not train_set.examples:
        raise TrainError(f"empty dataset: every prompt in {options.train_path} is longer than --max-seq-len")

    model = _model(options, tokenizer, device)
    if options.pos2d:
        from tinyweb.model.pos2d import enable_pos2d

        enable_pos2d(model)
    trainable, total = build.count_parameters(model)
    optimizer = build.make_optimizer(model.parameters(), options, device)

    world, rank = accelerator.num_processes, accelerator.process_index
    micro_per_epoch = math.ceil(math.ceil(len(train_set.examples) / options.batch_size) / world)
    steps_per_epoch = math.ceil(micro_per_epoch / options.grad_accum)
    total_steps = options.max_steps or options.epochs * steps_per_epoch
    epochs = math.ceil(total_steps / steps_per_epoch)
    from transformers import get_cosine_schedule_with_warmup

    scheduler = get_cosine_schedule_with_warmup(optimizer, int(options.warmup_ratio * total_steps), total_steps)

    info = _start_info(options, prompt_format, train_set, len(val_set.examples), run_dir)
    position = checkpoint.Position(epochs_done=[])
    summary = TrainSummary(run_dir=run_dir, total_steps=total_steps, device=device.kind)
    if options.resume:
        saved = checkpoint.list_checkpoints(run_dir / "checkpoints")
        if saved:
            position = checkpoint.load_checkpoint(saved[-1], model, optimizer, scheduler)
            summary.resumed_from = position.step
    if world > 1:
        model = accelerator.prepare(model)
    if accelerator.is_main_process:
        tokenizer.save_pretrained(run_dir / "tokenizer")
        rundir.copy_framework_css(options.workspace, run_dir)
        rundir.write_run_json(run_dir, info)

    def save(at: checkpoint.Position) -> None:
        checkpoint.save_checkpoint(
            run_dir / "checkpoints", accelerator.unwrap_model(model), optimizer, scheduler, at, options.keep_checkpoints
        )

    lengths = [len(e) for e in train_set.examples]
    step, started, seen_tokens = position.step, time.perf_counter(), 0
    epochs_done = list(position.epochs_done or [])
    loss_value = None
    for epoch in range(position.epoch, epochs):
        if step >= total_steps:
            break
        order = data.length_grouped_batches(lengths, options.batch_size, options.seed, epoch)[rank::world]
        micro = position.batch if epoch == position.epoch else 0
        epoch_losses = []
        model.train()
        while micro < len(order) and step < total_steps:
            group = order[micro : micro + options.grad_accum]
            group_tokens = sum(train_set.examples[i].trained_tokens for b in group for i in b) or 1
            loss_sum = 0.0
            for index, batch_ids in enumerate(group):
                examples = [train_set.examples[i] for i in batch_ids]
                batch = {
                    k: v.to(device.torch_device) for k, v in data.collate(examples, tokenizer.pad_token_id).items()
                }
                last = index == len(group) - 1
                with nullcontext() if last or world == 1 else accelerator.no_sync(model):
                    loss = _forward(model, batch)
                    weight = sum(e.trained_tokens for e in examples) / group_tokens
                    accelerator.backward(loss * weight)
                loss_sum += loss.item() * weight
                seen_tokens += int(batch["attention_mask"].sum())
            torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            micro += len(group)
            loss_value = loss_sum
            epoch_losses.append(loss_sum)
            summary.loss_history.append(loss_value)
            elapsed = time.perf_counter() - started
            rate = seen_tokens / elapsed if elapsed else None
            eta = elapsed / (step - position.step) * (total_steps - step)
            report(TrainProgress("train", step, total_steps, epoch, epochs, loss_value, rate, eta))
            if step % options.save_steps == 0 and step < total_steps and accelerator.is_main_process:
                report(TrainProgress("save", step, total_steps, epoch, epochs, loss_value))
                save(checkpoint.Position(step, epoch, micro, epochs_done))
        if micro >= len(order) or step >= total_steps:
            report(TrainProgress("eval", step, total_steps, epoch, epochs, loss_value))
            metrics = {
                "epoch": epoch + 1,
                "step": step,
                "train_loss": sum(epoch_losses) / len(epoch_losses) if epoch_losses else loss_value,
                **_evaluate(model, val_set, tokenizer, options, device),
            }
            epochs_done.append(metrics)
            info["metrics"]["epochs"] = epochs_done
            if accelerator.is_main_process and step >= total_steps:
                finished = micro >= len(order)
                save(checkpoint.Position(step, epoch + 1 if finished else epoch, 0 if finished else micro, epochs_done))
            if accelerator.is_main_process:
                rundir.write_run_json(run_dir, info)
            report(TrainProgress("eval", step, total_steps, epoch, epochs, loss_value, eval_loss=metrics["eval_loss"]))

    summary.seconds = time.perf_counter() - started
    summary.tokens, summary.steps, summary.epochs = seen_tokens, step, epochs_done
    summary.trainable_params, summary.total_params = trainable, total
    summary.train_examples, summary.val_examples = len(train_set.examples), len(val_set.examples)
    summary.dropped, summary.truncated = train_set.dropped + val_set.dropped, train_set.truncated
    summary.peak_memory_mb = _peak_memory_mb(device)
    if accelerator.is_main_process:
        _save_final(options, accelerator.unwrap_model(model), info, summary, run_dir)
    report(TrainProgress("done", step, total_steps, epochs - 1, epochs, loss_value))
    return summary


def _forward(model, batch: dict):
    """The batch's loss; with --pos2d, screen-word tokens get their (x, y) encoding."""
    if "positions" not in batch:
        return model(**batch).loss
    from tinyweb.model.pos2d import positions

    inputs = {k: v for k, v in batch.items() if k not in ("positions", "position_mask")}
    with positions(model, batch["positions"], batch["position_mask"]):
        return model(**inputs).loss


def _tokenizer(options: TrainOptions, records: list[dict], run_dir: Path):
    if options.resume and (run_dir / "tokenizer").is_dir():
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(run_dir / "tokenizer")
    if options.init == "tiny":
        from tinyweb.model.tiny import train_tokenizer

        return train_tokenizer((r["prompt"] + r["completion"] for r in records), vocab_size=options.vocab_size)
    return build.load_base_tokenizer(options.base_model)


def _for_tokenizer(records: list[dict], prompt_format: dict, tokenizer) -> list[dict]:
    """Chat records are re-rendered with the run's own chat template (prompts may have used another)."""
    if prompt_format.get("format") != "chat":
        return records
    from tinyweb.data.formats import get_format

    chat = get_format("chat")
    out = []
    for record in records:
        messages = record.get("messages")
        if not messages or len(messages) < 2 or record.get("words"):  # act "words" are offsets into the prompt
            out.append(record)
            continue
        out.append({**record, **chat.record(messages[0]["content"], messages[-1]["content"], tokenizer)})
    return out


def _model(options: TrainOptions, tokenizer, device: build.Device):
    if options.init == "tiny":
        from tinyweb.model.tiny import build_tiny_model

        model = build_tiny_model(tokenizer, options.tiny_size, options.max_seq_len, seed=options.seed)
        return model.to(device.torch_device)
    model = build.load_base_model(options.base_model, options.quant, device)
    return build.add_lora(model, options, device)


def _start_info(options, prompt_format, train_set, val_count, run_dir) -> dict:
    data_info = rundir.data_info(options, len(train_set.examples), val_count, train_set.tokens)
    if options.resume:
        info = rundir.read_run_json(run_dir)
        if info.get("data", {}).get("train_sha256") != data_info["train_sha256"]:
            info.setdefault("warnings", []).append("resumed on a different train.jsonl than the run started with")
        info["status"] = "training"
        return info
    return rundir.initial_run_info(options, prompt_format, data_info)


def _evaluate(model, val_set: data.EncodedSet, tokenizer, options: TrainOptions, device) -> dict:
    """Token-weighted mean loss on val and its perplexity (None without a val set)."""
    import torch

    if not val_set.examples:
        return {"eval_loss": None, "perplexity": None}
    model.eval()
    total_loss, total_tokens = 0.0, 0
    with torch.no_grad():
        for batch_ids in data.sequential_batches(len(val_set.examples), options.batch_size):
            examples = [val_set.examples[i] for i in batch_ids]
            batch = {k: v.to(device.torch_device) for k, v in data.collate(examples, tokenizer.pad_token_id).items()}
            tokens = sum(e.trained_tokens for e in examples)
            loss = _forward(model, batch)
            total_loss += loss.item() * tokens
            total_tokens += tokens
    model.train()
    eval_loss = total_loss / max(total_tokens, 1)
    return {"eval_loss": eval_loss, "perplexity": math.exp(min(eval_loss, 50))}


def _save_final(options: TrainOptions, model, info: dict, summary: TrainSummary, run_dir: Path) -> None:
    if options.pos2d:
        from tinyweb.model.pos2d import save_pos2d

        save_pos2d(model, run_dir)
    if options.init == "tiny":
        model.save_pretrained(run_dir / "model")
    else:
        model.save_pretrained(run_dir / "adapter")
    if options.merge:
        from tinyweb.model.merge import merge_adapter

        summary.merged_dir = merge_adapter(run_dir)
    last = summary.epochs[-1] if summary.epochs else {}
    info["metrics"]["final"] = {
        "step": summary.steps,
        "train_loss": summary.loss_history[-1] if summary.loss_history else last.get("train_loss"),
        "eval_loss": last.get("eval_loss"),
        "perplexity": last.get("perplexity"),
        "tokens_per_s": summary.tokens_per_s,
        "seconds": summary.seconds,
        "trainable_params": summary.trainable_params,
        "total_params": summary.total_params,
        "peak_memory_mb": summary.peak_memory_mb,
    }
    info["status"] = "done"
    info["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    if summary.merged_dir:
        info["merged"] = True
    rundir.write_run_json(run_dir, info)


def _peak_memory_mb(device: build.Device) -> float:
    import torch

    if device.kind == "cuda":
        return torch.cuda.max_memory_allocated(device.index) / 2**20
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
