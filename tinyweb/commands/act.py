"""Commands: act."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tinyweb.clikit import WorkspaceOpt, fail
from tinyweb.errors import TinywebError


def act(
    target: Annotated[str, typer.Argument(help="A screenshot (PNG/JPEG), a URL or an HTML file.", show_default=False)],
    instruction: Annotated[
        str, typer.Argument(help='What to do, e.g. "click the Sign up button".', show_default=False)
    ],
    run: Annotated[
        Path | None,
        typer.Option("--run", help="Run directory or name under WORKSPACE/runs; default: the grounding baseline."),
    ] = None,
    execute: Annotated[
        bool, typer.Option("--execute", help="Perform the action on the URL/file page; saves before/after PNGs.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print only the action JSON on stdout.")] = False,
    engine: Annotated[str, typer.Option("--engine", help="OCR engine for screenshots: rapidocr or tesseract.")] = (
        "rapidocr"
    ),
    viewport: Annotated[
        str, typer.Option("--viewport", help="Viewport for URLs and files, WIDTHxHEIGHT.")
    ] = "1280x800",
    ocr: Annotated[
        bool, typer.Option("--ocr", help="Read URL/file pages by OCR of their screenshot instead of the DOM.")
    ] = False,
    javascript: Annotated[
        bool, typer.Option("--javascript", help="Run the page's scripts (off by default: pages are untrusted).")
    ] = False,
    pos2d: Annotated[
        bool | None,
        typer.Option("--pos2d/--no-pos2d", help="Feed the run 2D word positions (default: as it was trained)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where --execute saves before.png/after.png.")] = Path(
        "act-out"
    ),
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a page may take to load.")] = 30.0,
    workspace: WorkspaceOpt = Path("workspace"),
) -> None:
    """Read a screenshot or a live page and answer an instruction with an action.

    The screen is read by OCR (screenshots) or from the page's DOM (URLs, HTML files) as
    words and elements with boxes. Without --run, a grounding baseline matches the
    instruction's target (fuzzy text, role words like button/link/field, ordinals like
    "second", nearest label for fields); with --run, the model reads the screen in the
    llama2d layout and writes the action. Output: {"action", "x", "y", "box", "point_1000",
    "box_1000", "text", "confidence"} in screenshot/viewport pixels and in 0-1000.
    """
    from tinyweb.act.agent import ActOptions, run_act
    from tinyweb.act.live import ScreenOptions
    from tinyweb.browser import parse_viewport

    try:
        screen_options = ScreenOptions(
            engine=engine, viewport=parse_viewport(viewport), javascript=javascript, timeout_s=timeout, ocr_pages=ocr
        )
        options = ActOptions(
            target=target,
            instruction=instruction,
            run=run,
            workspace=workspace,
            execute=execute,
            out_dir=out,
            screen=screen_options,
            pos2d=pos2d,
        )
        result = run_act(options)
    except TinywebError as exc:
        fail(str(exc))
    text = json.dumps(result.action, ensure_ascii=False)
    if as_json:
        typer.echo(text)
        return
    from tinyweb.console import fmt_number, summary_table
    from tinyweb.console import out as console_out

    console_out.print(text, highlight=False, soft_wrap=True)
    screen = result.screen
    rows = [
        ("decided by", result.decided_by),
        (
            "screen",
            f"{screen.width}x{screen.height} {screen.source}, {len(screen.words)} words, "
            f"{len(screen.elements)} elements",
        ),
        ("seconds", fmt_number(result.seconds, 2)),
    ]
    if result.executed is not None:
        executed = result.executed
        rows += [
            ("executed", f"{result.action['action']} at ({result.action['x']}, {result.action['y']})"),
            ("page after", executed.url_after + (" (navigated)" if executed.navigated else "")),
            ("screenshots", f"{executed.before}, {executed.after}"),
        ]
    summary_table("act", rows)


COMMANDS = [act]
