"""The `tinyweb` command: one thin function per stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tinyweb import __version__
from tinyweb.clikit import WorkspaceOpt, fail, quiet_library_logs
from tinyweb.errors import TinywebError

app = typer.Typer(
    name="tinyweb",
    no_args_is_help=True,
    add_completion=False,
    help="Build the smallest useful web-dev LLM: capture styled pages, compress their CSS, "
    "train, generate, evaluate and act.",
    pretty_exceptions_enable=False,
)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"tinyweb {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """tinyweb: every command reads and writes files in a workspace directory."""
    quiet_library_logs()


@app.command()
def embed(
    inputs: Annotated[
        list[str], typer.Argument(help="HTML files, folders of them, or http(s) URLs.", show_default=False)
    ],
    workspace: WorkspaceOpt = Path("workspace"),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write each styled page as a standalone .html file here.")
    ] = None,
    verify: Annotated[
        bool, typer.Option("--verify", help="Render original and styled page, store pixel fidelity.")
    ] = False,
    save_diffs: Annotated[
        bool, typer.Option("--save-diffs", help="With --verify and --out: write NAME.diff.png where pixels differ.")
    ] = False,
    viewport: Annotated[str, typer.Option(help="Viewport WIDTHxHEIGHT in CSS pixels.")] = "1280x800",
    js: Annotated[bool, typer.Option("--js/--no-js", help="Run page scripts before capturing.")] = False,
    network: Annotated[
        str, typer.Option(help="Subresources a page may load: all, same-site, same-host, none.")
    ] = "same-site",
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", help="Pages rendered at once.")] = 2,
    timeout: Annotated[float, typer.Option(help="Seconds a page may take to load.")] = 30.0,
    force: Annotated[bool, typer.Option("--force", help="Capture again pages already in the store.")] = False,
) -> None:
    """Capture pages with only their non-default styles inlined, into the workspace's pages.db.

    Each element keeps just the computed styles that differ from the browser's defaults
    (or from its parent, for inherited properties); scripts, classes, ids, comments and
    hidden elements are dropped. --verify checks the result pixel by pixel.
    """
    from tinyweb.browser import parse_viewport
    from tinyweb.capture.embed import EmbedOptions
    from tinyweb.capture.embed import embed as run_embed

    try:
        options = EmbedOptions(
            inputs=tuple(inputs),
            workspace=workspace,
            out_dir=out,
            verify=verify,
            save_diffs=save_diffs,
            viewport=parse_viewport(viewport),
            javascript=js,
            network=network,
            concurrency=concurrency,
            timeout_s=timeout,
            force=force,
        )
        summary = _with_page_progress("embed", lambda on_page, on_start: run_embed(options, on_page, on_start))
    except TinywebError as exc:
        fail(str(exc))
    _print_embed_summary(summary, verify, workspace, out)
    if summary.failed:
        raise typer.Exit(1)


def _with_page_progress(label: str, run):
    """Run a page-by-page stage under a progress bar; failed pages print one red line each."""
    from tinyweb.console import error_line, progress_bar

    with progress_bar(label) as progress:
        task = progress.add_task(label, total=None, rate="")

        def on_start(total: int) -> None:
            progress.update(task, total=total)

        def on_page(record) -> None:
            if not record.ok:
                error_line(f"{record.url}: {record.error}")
            done = progress.tasks[task].completed + 1
            elapsed = progress.tasks[task].elapsed or 1e-9
            progress.update(task, completed=done, rate=f"{done / elapsed:.2f} pages/s")

        return run(on_page, on_start)


def _print_embed_summary(summary, verify: bool, workspace: Path, out: Path | None) -> None:
    from tinyweb.console import fmt_number, fmt_percent, summary_table

    figures = summary.figures()
    rows = [
        ("pages captured", str(figures["captured"])),
        ("pages failed", str(figures["failed"])),
        ("already in store (skipped)", str(figures["skipped"])),
        ("declarations per element (median)", fmt_number(figures["median_declarations_per_element"])),
    ]
    if verify:
        rows += [
            ("identical pixels (median)", fmt_percent(figures["median_fidelity"])),
            ("pages with equal size", fmt_percent(figures["size_match"], 0)),
        ]
    rows += [("time", f"{figures['seconds']:.1f} s"), ("store", str(Path(workspace) / "pages.db"))]
    if out:
        rows.append(("styled pages", str(out)))
    summary_table("embed", rows)


@app.command()
def demo(
    workspace: Annotated[Path, typer.Option("--workspace", "-w", help="Where the demo writes its artifacts.")] = Path(
        "demo-workspace"
    ),
    quick: Annotated[
        bool, typer.Option("--quick", help="A reduced run: a few training steps and short generations.")
    ] = False,
) -> None:
    """Run the whole pipeline offline on the bundled sample site (served on 127.0.0.1).

    crawl -> topics -> build-css -> prompts -> train (a tiny model, on the CPU) -> generate
    two pages -> eval (HTML report) -> act, then a summary table. A few minutes on 2 cores.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from tinyweb.console import err, out
    from tinyweb.demo import DemoOptions
    from tinyweb.demo_steps import run_demo

    out.print("[bold]tinyweb demo[/]: the sample site (bakery, football club, photo studio), end to end, offline")
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=err) as progress:
            current = {}

            def on_step(name: str, index: int, count: int) -> None:
                current["task"] = progress.add_task(f"{index}/{count} {name}", total=None)

            def on_progress(done: int, total: int | None) -> None:
                progress.update(current["task"], completed=done, total=total)

            def on_rows(name: str, rows, seconds: float) -> None:
                task = progress.tasks[-1]
                total = task.total or max(task.completed, 1)
                progress.update(current["task"], completed=total, total=total)
                progress.console.print(f"[green]{name}[/] done in {seconds:.1f} s")

            state = run_demo(DemoOptions(workspace=workspace, quick=quick), on_step, on_progress, on_rows)
    except TinywebError as exc:
        fail(str(exc))
    _print_demo_summary(state)
    if state.failed:
        raise typer.Exit(1)


def _print_demo_summary(state) -> None:
    from rich.table import Table

    from tinyweb.console import out

    table = Table(title="tinyweb demo", title_justify="left")
    for column in ("step", "what", "value"):
        table.add_column(column, overflow="fold")
    for step, what, value in state.rows:
        table.add_row(step, what, value)
    out.print(table)
    if state.report:
        out.print(f"open the report: {state.report}")
    if state.generated:
        out.print(f"generated pages: {', '.join(str(p) for p in state.generated)}")


@app.command()
def defaults(
    tags: Annotated[
        list[str] | None,
        typer.Argument(
            help="Tags to show, e.g. h1 'a[href]' 'input[type=checkbox]' svg:rect. Default: common tags.",
            show_default=False,
        ),
    ] = None,
    tag_list: Annotated[
        str | None, typer.Option("--tags", help="The same as a comma-separated list: --tags h1,p,a[href].")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Every property, not only those the browser's stylesheet sets.")
    ] = False,
) -> None:
    """Print the browser's default style per tag: the baseline the style diff subtracts."""
    from tinyweb.capture.defaults import default_styles

    tags = [*(tags or []), *(t.strip() for t in (tag_list or "").split(",") if t.strip())] or None
    try:
        table = default_styles(tags, full=full)
    except TinywebError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(table, indent=2, sort_keys=True))
        return
    from rich.markup import escape
    from rich.table import Table

    from tinyweb.console import out

    grid = Table(title="browser defaults (computed, clean document, no author CSS)", title_justify="left")
    grid.add_column("tag", style="bold cyan", no_wrap=True)
    grid.add_column("declarations")
    for tag, props in table.items():
        grid.add_row(escape(tag), "; ".join(f"{k}: {v}" for k, v in sorted(props.items())) or "-")
    out.print(grid)
    unknown = [t for t in (tags or []) if t not in table]
    if unknown:
        fail(f"unknown tag syntax: {', '.join(unknown)}")


@app.command()
def crawl(
    seeds: Annotated[Path, typer.Argument(help="Seed URLs, one a line, # for comments.")] = Path("seeds.txt"),
    workspace: WorkspaceOpt = Path("workspace"),
    max_pages: Annotated[int, typer.Option(help="Stop after this many stored pages (resumes included).")] = 100,
    max_depth: Annotated[int, typer.Option(help="Follow links this many steps from a seed.")] = 3,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", help="Fetches at once.")] = 4,
    per_host_delay: Annotated[float, typer.Option(help="Seconds between requests to one host.")] = 1.0,
    scope: Annotated[str, typer.Option(help="Links to follow: same-host, same-domain or any.")] = "same-host",
    include: Annotated[str | None, typer.Option(help="Only follow URLs matching this regex.")] = None,
    exclude: Annotated[str | None, typer.Option(help="Never follow URLs matching this regex.")] = None,
    render: Annotated[bool, typer.Option("--render/--no-render", help="Capture styled pages in Chromium.")] = True,
    js: Annotated[bool, typer.Option("--js/--no-js", help="Run page scripts when rendering.")] = True,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow loopback and private hosts (local servers).")
    ] = False,
    robots: Annotated[bool, typer.Option("--robots/--ignore-robots", help="Obey robots.txt.")] = True,
    sitemaps: Annotated[bool, typer.Option("--sitemaps/--no-sitemaps", help="Seed from sitemaps.")] = True,
    user_agent: Annotated[
        str, typer.Option(help="User-Agent for fetches.")
    ] = "tinyweb/0.1 (+https://pypi.org/project/tinyweb/)",
    timeout: Annotated[float, typer.Option(help="Seconds per fetch and per render.")] = 20.0,
) -> None:
    """Crawl from seed URLs politely and capture each page's styles into pages.db.

    Resumable: stop it any time (Ctrl-C, kill) and run the same command to continue;
    nothing finished is lost or fetched again. `tinyweb status` shows where it stands.
    """
    from tinyweb.console import err, error_line, fmt_number, progress_bar, summary_table
    from tinyweb.crawl.crawler import CrawlOptions
    from tinyweb.crawl.crawler import crawl as run_crawl

    try:
        options = CrawlOptions(
            seeds_file=seeds,
            workspace=workspace,
            max_pages=max_pages,
            max_depth=max_depth,
            concurrency=concurrency,
            per_host_delay_s=per_host_delay,
            scope=scope,
            include=include,
            exclude=exclude,
            render=render,
            javascript=js,
            allow_private=allow_private,
            obey_robots=robots,
            use_sitemaps=sitemaps,
            user_agent=user_agent,
            timeout_s=timeout,
        )
        with progress_bar("crawl") as progress:
            task = progress.add_task("crawl", total=max_pages, rate="")

            def on_event(event: str, summary) -> None:
                elapsed = progress.tasks[task].elapsed or 1e-9
                rate = f"{summary.stored / elapsed:.2f} pages/s, {summary.failed} errors, {summary.skipped} skipped"
                progress.update(task, completed=summary.stored, rate=rate)

            summary = run_crawl(options, on_event)
    except TinywebError as exc:
        fail(str(exc))
    rows = [
        ("pages stored this run", str(summary.stored)),
        ("failed", str(summary.failed)),
        ("skipped (robots, duplicates)", str(summary.skipped)),
        ("resumed from an interruption", str(summary.resumed)),
    ]
    rows += [(f"errors: {kind}", str(n)) for kind, n in sorted(summary.errors.items())]
    rows += [(f"frontier: {state}", str(n)) for state, n in summary.frontier.items() if n]
    rows += [("time", f"{summary.seconds:.1f} s"), ("pages/s", fmt_number(summary.stored / max(summary.seconds, 1e-9)))]
    summary_table("crawl", rows)
    if summary.interrupted:
        err.print("interrupted: run the same command to resume")
        raise typer.Exit(130)
    if summary.stored == 0 and summary.failed:
        error_line("no page could be stored")
        raise typer.Exit(1)


@app.command()
def status(workspace: WorkspaceOpt = Path("workspace")) -> None:
    """Summarise a workspace: pages by state, errors by kind, hosts, sizes, the crawl frontier."""
    from tinyweb.console import fmt_percent, summary_table
    from tinyweb.crawl.status import workspace_status
    from tinyweb.workspace import Workspace

    try:
        report = workspace_status(Workspace.open(workspace))
    except TinywebError as exc:
        fail(str(exc))
    rows = [(f"pages: {state}", str(n)) for state, n in sorted(report.pages.items())]
    rows += [(f"errors: {kind}", str(n)) for kind, n in sorted(report.errors.items())]
    rows += [(f"frontier: {state}", str(n)) for state, n in sorted(report.frontier.items())]
    rows += [("hosts", str(report.host_count))]
    rows += [(f"  {host}", str(n)) for host, n in report.hosts]
    rows += [
        ("raw html", f"{report.raw_bytes / 1e6:.2f} MB"),
        ("styled html", f"{report.styled_bytes / 1e6:.2f} MB"),
        ("identical pixels (median of verified)", fmt_percent(report.median_fidelity)),
    ]
    summary_table(f"workspace {workspace}", rows)


def _register_stage_commands() -> None:
    """Commands of the later stages live in tinyweb/commands/: functions, or (name, function) pairs."""
    from tinyweb.commands import STAGE_MODULES

    for module in STAGE_MODULES:
        for command in module.COMMANDS:
            name, function = command if isinstance(command, tuple) else (None, command)
            app.command(name)(function)


_register_stage_commands()


def main() -> None:
    app()
