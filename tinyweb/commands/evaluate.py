"""Commands: eval."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tinyweb.clikit import WorkspaceOpt, fail
from tinyweb.errors import TinywebError

TASKS = ("page", "act")


def eval_command(
    run: Annotated[
        Path | None, typer.Option("--run", help="Run directory, or a run name under WORKSPACE/runs (default: newest).")
    ] = None,
    workspace: WorkspaceOpt = Path("workspace"),
    limit: Annotated[int, typer.Option(help="Evaluate the first N val pages.")] = 20,
    report: Annotated[
        Path | None, typer.Option("--report", help="Report directory (default: WORKSPACE/reports/RUN).")
    ] = None,
    compare: Annotated[
        tuple[str, str] | None,
        typer.Option("--compare", help="Two runs (names or directories) side by side: --compare runA runB."),
    ] = None,
    task: Annotated[str, typer.Option(help="page (generated pages) or act (grounding accuracy).")] = "page",
    baseline: Annotated[
        bool, typer.Option("--baseline/--no-baseline", help="Also score the run before training (the baseline row).")
    ] = True,
    max_new_tokens: Annotated[int, typer.Option("--max-new-tokens", help="Most tokens per generated page.")] = 1024,
    temperature: Annotated[float, typer.Option(help="Sampling temperature; 0 = greedy (reproducible).")] = 0.0,
    top_p: Annotated[
        float, typer.Option("--top-p", help="Nucleus sampling threshold (with --temperature > 0).")
    ] = 0.95,
    seed: Annotated[int, typer.Option(help="Sampling seed.")] = 0,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Val pages generated at once.")] = 16,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", help="Pages rendered at once.")] = 2,
    device: Annotated[str | None, typer.Option(help="cpu or cuda (default: cuda when available).")] = None,
) -> None:
    """Score a run on the val pages: generate each from its label, render it beside its reference.

    Metrics per page and averaged (Design2Code-style): validity, block match, text, position and
    colour of text blocks, screenshot SSIM, and structure statistics; a baseline row scores
    the model before training. Writes metrics.json and an HTML report with side-by-side
    screenshots. --task act scores grounding accuracy instead.
    """
    if task not in TASKS:
        fail(f"--task must be one of {', '.join(TASKS)}")
    if compare and run is not None:
        fail("pass --run or --compare, not both")
    if task == "act":
        _eval_act(run, workspace, limit, report, device)
        return
    from tinyweb.evaluate.pipeline import EvalOptions, evaluate_pages
    from tinyweb.generate.sample import SamplingOptions
    from tinyweb.workspace import Workspace

    runs = tuple(Path(r) for r in compare) if compare else ((run,) if run is not None else ())
    try:
        Workspace.open(workspace)
        options = EvalOptions(
            workspace=workspace,
            runs=runs,
            limit=limit,
            report_dir=report,
            baseline=baseline,
            batch_size=batch_size,
            sampling=SamplingOptions(max_new_tokens=max_new_tokens, temperature=temperature, top_p=top_p, seed=seed),
            concurrency=concurrency,
            device=device,
        )
        result = _with_progress(lambda on_progress: evaluate_pages(options, on_progress))
    except TinywebError as exc:
        fail(str(exc))
    _print_summary(result)


def _with_progress(run):
    from tinyweb.console import progress_bar

    with progress_bar("eval") as progress:
        tasks: dict[str, int] = {}

        def on_progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = progress.add_task(phase, total=total, rate="")
            task = tasks[phase]
            elapsed = progress.tasks[task].elapsed or 1e-9
            unit = {"score": "systems", "act tasks": "tasks"}.get(phase, "pages")
            progress.update(task, completed=done, total=total, rate=f"{done / elapsed:.2f} {unit}/s" if done else "")

        return run(on_progress)


def _print_summary(result) -> None:
    from tinyweb.console import fmt_number, fmt_percent, out, summary_table

    for system in result.systems:
        s = system.summary
        rows = [
            ("pages", str(s.get("pages", 0))),
            ("valid", fmt_percent(s.get("valid"), 0)),
            ("block match", fmt_percent(s.get("block_match"), 1)),
            ("text", fmt_percent(s.get("text"), 1)),
            ("position", fmt_percent(s.get("position"), 1)),
            ("colour", fmt_percent(s.get("color"), 1)),
            ("SSIM", fmt_percent(s.get("ssim"), 1)),
            ("score", fmt_percent(s.get("score"), 1)),
            (
                "tags / depth / unique tags",
                " / ".join(fmt_number(s.get(k), 1) for k in ("tags", "depth", "unique_tags")),
            ),
            ("tokens/s", fmt_number(s.get("tokens_per_s"), 0)),
        ]
        summary_table(f"eval: {system.name}", rows)
    summary_table(
        "report",
        [
            ("time", f"{result.seconds:.1f} s"),
            ("metrics", str(result.metrics_path)),
            ("report", str(result.index_path)),
        ],
    )
    out.print(f"open {result.index_path} in a browser", highlight=False)


def _eval_act(run: Path | None, workspace: Path, limit: int, report: Path | None, device: str | None) -> None:
    """--task act: grounding accuracy, implemented by tinyweb.act.evaluate (the act stage)."""
    try:
        from tinyweb.act.evaluate import evaluate_act
    except ImportError:
        fail("--task act: act evaluation is not available in this version (tinyweb.act.evaluate is missing)")
    from tinyweb.console import summary_table

    try:
        summary = _with_progress(
            lambda on_progress: evaluate_act(
                workspace=workspace,
                run=run,
                limit=limit,
                report_dir=report,
                device=device,
                on_progress=lambda done, total: on_progress("act tasks", done, total),
            )
        )
    except TinywebError as exc:
        fail(str(exc))
    rows = [(str(k), f"{v:.3f}" if isinstance(v, float) else str(v)) for k, v in dict(summary).items()]
    summary_table("eval: act", rows)


COMMANDS = [("eval", eval_command)]
