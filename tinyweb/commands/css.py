"""Commands: topics, build-css."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tinyweb.clikit import WorkspaceOpt, fail
from tinyweb.errors import TinywebError


def topics(
    workspace: WorkspaceOpt = Path("workspace"),
    embedding_model: Annotated[
        str | None,
        typer.Option(help="Sentence-transformers model path or hub id (default: the offline all-MiniLM-L6-v2)."),
    ] = None,
    min_topic_size: Annotated[
        int | None, typer.Option(help="Smallest topic (HDBSCAN min_cluster_size); default sized to the corpus.")
    ] = None,
    backend: Annotated[
        str, typer.Option(help="auto (BERTopic from 40 pages, else TF-IDF + k-means), bertopic or kmeans.")
    ] = "auto",
    seed: Annotated[int, typer.Option(help="Random seed for UMAP and k-means.")] = 0,
) -> None:
    """Group captured pages by topic and label each topic with a short slug (topics.json).

    The labels become the first word of the framework's class names (`football-nav-link`).
    """
    from tinyweb.console import err, out, summary_table
    from tinyweb.css.topics import TopicsOptions, find_topics

    try:
        options = TopicsOptions(
            workspace=workspace,
            embedding_model=embedding_model,
            min_topic_size=min_topic_size,
            backend=backend,
            seed=seed,
        )
        result = find_topics(options, lambda message: err.print(f"[dim]{message}[/]"))
    except TinywebError as exc:
        fail(str(exc))
    from rich.table import Table

    table = Table(title=f"{len(result.topics)} topics ({result.backend})", title_justify="left")
    for column in ("label", "pages", "keywords"):
        table.add_column(column)
    for topic in result.topics:
        table.add_row(topic.label, str(topic.size), ", ".join(topic.keywords[:6]))
    out.print(table)
    summary_table("topics", [("pages", str(len(result.pages))), ("written", str(workspace / "topics.json"))])


def build_css(
    workspace: WorkspaceOpt = Path("workspace"),
    min_support: Annotated[int, typer.Option(help="A class must serve at least this many elements.")] = 3,
    max_classes: Annotated[int, typer.Option(help="At most this many classes in framework.css.")] = 1000,
    tokenizer: Annotated[
        str, typer.Option(help="Tokenizer for the compression figures: cl100k_base (offline), a hub id or a path.")
    ] = "cl100k_base",
    verify: Annotated[
        bool, typer.Option("--verify/--no-verify", help="Render semantic and styled pages and compare pixels.")
    ] = True,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", help="Pages rendered at once to verify.")] = 2,
) -> None:
    """Mine a topic-named CSS framework from the styled pages and rewrite every page with its classes.

    Writes framework.css, framework.json and each page's semantic html (pages.db); reports
    coverage, framework size, compression in characters and tokens, and pixel fidelity.
    Run `tinyweb topics` first for topic names (otherwise classes are named site-ROLE).
    """
    from tinyweb.console import progress_bar
    from tinyweb.css.framework import BuildCssOptions
    from tinyweb.css.framework import build_css as run_build_css

    try:
        options = BuildCssOptions(
            workspace=workspace,
            min_support=min_support,
            max_classes=max_classes,
            tokenizer=tokenizer,
            verify=verify,
            concurrency=concurrency,
        )
        with progress_bar("build-css") as progress:
            tasks: dict[str, int] = {}

            def on_progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(stage, total=total, rate="")
                progress.update(tasks[stage], completed=done, total=total)

            summary = run_build_css(options, on_progress)
    except TinywebError as exc:
        fail(str(exc))
    _print_summary(summary, workspace)


def _print_summary(summary, workspace: Path) -> None:
    from rich.table import Table

    from tinyweb.console import fmt_number, fmt_percent, out, summary_table, warn_line

    if not summary.topics_used:
        warn_line("no topics.json: classes are named site-ROLE; run `tinyweb topics` first for topic names")
    c = summary.compression
    rows = [
        ("pages", str(summary.pages)),
        ("classes", str(summary.classes)),
        ("declarations served by base rules and classes", fmt_percent(summary.coverage, 1)),
        ("framework.css", f"{summary.framework_bytes / 1000:.1f} kB, {summary.framework_tokens} tokens (counted once)"),
        ("characters styled -> semantic", f"{c.styled_chars:,} -> {c.semantic_chars:,}"),
        ("tokens styled -> semantic", f"{c.styled_tokens:,} -> {c.semantic_tokens:,}"),
        ("token compression (median page)", f"{fmt_number(c.median_token_ratio)}x"),
        ("  ceiling: every style deleted", f"{fmt_number(c.median_ceiling_ratio)}x"),
        ("  corpus incl. framework.css", f"{fmt_number(c.corpus_token_ratio_with_framework)}x"),
        ("character compression (median page)", f"{fmt_number(c.median_char_ratio)}x"),
    ]
    if summary.median_fidelity is not None:
        rows += [
            ("identical pixels, semantic vs styled (median)", fmt_percent(summary.median_fidelity, 3)),
            ("  lowest page", fmt_percent(summary.min_fidelity, 3)),
        ]
    rows += [("time", f"{summary.seconds:.1f} s"), ("framework", str(workspace / "framework.css"))]
    summary_table("build-css", rows)
    table = Table(title="most used classes", title_justify="left")
    for column in ("class", "elements", "declarations"):
        table.add_column(column)
    for name, used, declarations in summary.top_classes:
        table.add_row(name, str(used), declarations if len(declarations) < 90 else declarations[:87] + "...")
    out.print(table)


COMMANDS = [topics, build_css]
