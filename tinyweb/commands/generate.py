"""Commands: generate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tinyweb.clikit import WorkspaceOpt, fail
from tinyweb.errors import TinywebError


def generate(
    description: Annotated[str, typer.Argument(help="What the page is, e.g. 'a bakery landing page'.")],
    run: Annotated[
        Path | None, typer.Option("--run", help="Run directory, or a run name under WORKSPACE/runs (default: newest).")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="A plain causal LM instead of a run: local path or hub id.")
    ] = None,
    workspace: WorkspaceOpt = Path("workspace"),
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the page; with -n: NAME-1.html, NAME-2.html, ...")
    ] = Path("page.html"),
    screenshot: Annotated[
        Path | None, typer.Option("--screenshot", help="Also save a PNG (rendered with JavaScript off, no network).")
    ] = None,
    variants: Annotated[int, typer.Option("-n", help="How many pages to generate (variant i uses seed + i).")] = 1,
    temperature: Annotated[float, typer.Option(help="Sampling temperature; 0 = greedy.")] = 0.7,
    top_p: Annotated[float, typer.Option("--top-p", help="Nucleus sampling threshold.")] = 0.95,
    max_new_tokens: Annotated[int, typer.Option("--max-new-tokens", help="Most tokens per page.")] = 2048,
    seed: Annotated[int, typer.Option(help="Sampling seed: same seed, same page.")] = 0,
    device: Annotated[str | None, typer.Option(help="cpu or cuda (default: cuda when available).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not stream the tokens to the terminal.")] = False,
) -> None:
    """Generate a web page from a description with a trained run, repaired and ready to open.

    The prompt is built exactly as in training (from the run's run.json); tokens stream to
    the terminal (stderr) until the end of the page. The HTML is repaired (parsed and
    re-serialised, open elements closed, scripts, event handlers and javascript: URLs
    dropped) and wrapped in a standalone document that embeds the run's framework.css.
    """
    from tinyweb.console import err, fmt_number, summary_table
    from tinyweb.console import out as console_out
    from tinyweb.generate.pages import GenerateOptions, generate_pages
    from tinyweb.generate.sample import SamplingOptions

    current = [-1]

    def on_text(variant: int, text: str) -> None:
        if variant != current[0]:
            current[0] = variant
            err.print(f"\n[bold]--- page {variant + 1} of {variants} ---[/]", highlight=False)
        err.file.write(text)
        err.file.flush()

    try:
        options = GenerateOptions(
            description=description,
            run=run,
            model=model,
            workspace=workspace,
            out=out,
            screenshot=screenshot,
            variants=variants,
            sampling=SamplingOptions(max_new_tokens=max_new_tokens, temperature=temperature, top_p=top_p, seed=seed),
            device=device,
        )
        result = generate_pages(options, None if quiet else on_text)
    except TinywebError as exc:
        fail(str(exc))
    if not quiet:
        err.print()
    rows = [("model", result.source), ("tokens", str(result.tokens)), ("tokens/s", fmt_number(result.tokens_per_s, 1))]
    for index, page in enumerate(result.pages, 1):
        rows.append((f"page {index}", f"{page.path} ({page.sample.tokens} tokens, stop: {page.sample.stop})"))
        if page.screenshot is not None:
            rows.append((f"screenshot {index}", f"{page.screenshot}" + ("" if page.valid else " (empty page)")))
    summary_table("generate", rows)
    console_out.print(f"open {result.pages[0].path} in a browser", highlight=False)


COMMANDS = [generate]
