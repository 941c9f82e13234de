"""Commands: prompts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tinyweb.clikit import WorkspaceOpt, fail
from tinyweb.errors import TinywebError


def prompts(
    workspace: WorkspaceOpt = Path("workspace"),
    format: Annotated[
        str, typer.Option("--format", help="tinyweb ([TINY-WEB-DEV-TITLE] ... [TINY-WEB-DEV-CODE]), chat or alpaca.")
    ] = "tinyweb",
    label: Annotated[
        str, typer.Option(help="What a page's request says: title (cleaned), description, topic, or auto (all).")
    ] = "auto",
    max_tokens: Annotated[int, typer.Option(help="Drop examples (prompt + page) longer than this.")] = 2048,
    tokenizer: Annotated[
        str | None,
        typer.Option(help="Tokenizer to count tokens (hub id or path); default: tiktoken cl100k_base, offline."),
    ] = None,
    val_fraction: Annotated[float, typer.Option(help="Share of pages held out for validation.")] = 0.1,
    extra: Annotated[
        list[Path] | None,
        typer.Option(help="Alpaca JSON/JSONL (instruction/input/output) to mix into train; repeatable."),
    ] = None,
    task: Annotated[str, typer.Option(help="page (write pages) or act (click on screens).")] = "page",
) -> None:
    """Turn captured pages into training prompts: prompts/train.jsonl and prompts/val.jsonl.

    Each page (its semantic html, or its styled html before build-css) gets a label that
    reads like a request; empty pages, pages over --max-tokens and exact or near duplicates
    are dropped; the train/val split is by page and the same on every run. The files load
    with `datasets.load_dataset("json", data_files=...)`.
    """
    from tinyweb.console import progress_bar, summary_table, warn_line
    from tinyweb.data.prompts import PromptsOptions, make_prompts

    try:
        options = PromptsOptions(
            workspace=workspace,
            format=format,
            label=label,
            max_tokens=max_tokens,
            tokenizer=tokenizer,
            val_fraction=val_fraction,
            extra=tuple(extra or ()),
            task=task,
        )
        with progress_bar("prompts") as progress:
            bar = progress.add_task("prompts", total=None, rate="")
            summary = make_prompts(options, lambda done, total: progress.update(bar, completed=done, total=total))
    except TinywebError as exc:
        fail(str(exc))
    if task == "act":
        summary_table(
            "prompts (act)",
            [("train", str(summary.train)), ("val", str(summary.val)), ("written", str(summary.out_dir))],
        )
        return
    if summary.from_styled:
        warn_line(
            f"{summary.from_styled} page(s) have no semantic html yet: used their styled html "
            "(run `tinyweb build-css` for framework classes)"
        )
    rows = [("pages", str(summary.pages)), ("from semantic html", str(summary.from_semantic))]
    rows += [("from styled html (fallback)", str(summary.from_styled))]
    rows += [(f"dropped: {why}", str(n)) for why, n in summary.dropped.items()]
    rows += [("extra records", str(summary.extra)), ("train", str(summary.train)), ("val", str(summary.val))]
    for split, stats in summary.tokens.items():
        if stats["count"]:
            rows.append(
                (
                    f"{split} tokens (total / mean / median / p95 / max)",
                    f"{stats['total']} / {stats['mean']} / {stats['median']} / {stats['p95']} / {stats['max']}",
                )
            )
    rows += [("token counter", summary.token_counter), ("time", f"{summary.seconds:.1f} s")]
    rows += [("written", str(summary.out_dir))]
    summary_table("prompts", rows)
    for example in summary.examples:
        typer.echo(f"  label: {example}")


COMMANDS = [prompts]
