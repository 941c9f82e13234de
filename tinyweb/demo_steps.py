"""The demo's steps after the crawl: topics, framework, prompts, training, generation, eval, act.

Each step calls one stage's function on the demo workspace and returns rows for the
summary table. Settings are chosen so the whole demo fits in minutes on two CPU cores.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tinyweb.demo import DemoOptions, crawl_demo_site

RUN_NAME = "demo"
# New requests, worded like the training labels; {topic} is the topic label the demo found for that site.
DESCRIPTIONS = (
    ("bakery", 'a menu page for a {topic} website, titled "Cakes and tarts": Cakes, tarts and pastries with prices.'),
    ("football", 'a fixtures page for a {topic} website, titled "Youth fixtures": Youth team matches and kick-offs.'),
)
ACT_PAGE = "football/index.html"
ACT_INSTRUCTION = "click the Fixtures link"
TRAIN_STEPS = 240
"""Enough for the tiny model to learn the sample site's pages; a few minutes on 2 cores."""
NEW_TOKENS = 768
"""Longest generated page; the demo's pages are 500-1,000 tokens of the tiny tokenizer."""
TEMPERATURE = 0.2
"""Low: a model this small writes pages that hold together only near its most likely tokens."""
Rows = list[tuple[str, str]]


@dataclass
class DemoState:
    options: DemoOptions
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    """(step, what, value) for the final table."""
    report: Path | None = None
    generated: list[Path] = field(default_factory=list)
    failed: bool = False

    @property
    def workspace(self) -> Path:
        return Path(self.options.workspace)

    @property
    def run_dir(self) -> Path:
        return self.workspace / "runs" / RUN_NAME


def step_crawl(state: DemoState, on_progress) -> Rows:
    def on_event(event: str, summary) -> None:
        on_progress(summary.stored, None)

    result = crawl_demo_site(state.options, on_event)
    state.failed |= bool(result.crawl.failed or not result.crawl.stored)
    return [("pages crawled and captured", str(result.crawl.stored)), ("failed", str(result.crawl.failed))]


def step_topics(state: DemoState, on_progress) -> Rows:
    from tinyweb.css.topics import TopicsOptions, find_topics

    result = find_topics(TopicsOptions(workspace=state.workspace))
    return [("topics", ", ".join(f"{t.label} ({t.size})" for t in result.topics))]


def step_build_css(state: DemoState, on_progress) -> Rows:
    from tinyweb.css.framework import BuildCssOptions, build_css

    summary = build_css(BuildCssOptions(workspace=state.workspace), lambda stage, done, total: on_progress(done, total))
    c = summary.compression
    return [
        ("classes", str(summary.classes)),
        ("token compression, styled -> semantic (median page)", f"{c.median_token_ratio:.2f}x"),
        ("identical pixels, semantic vs styled (median)", f"{(summary.median_fidelity or 0) * 100:.2f} %"),
    ]


def step_prompts(state: DemoState, on_progress) -> Rows:
    from tinyweb.data.prompts import PromptsOptions, make_prompts

    summary = make_prompts(PromptsOptions(workspace=state.workspace, val_fraction=0.2), on_progress)
    example = summary.examples[0] if summary.examples else ""
    return [("train / val prompts", f"{summary.train} / {summary.val}"), ("a label", str(example))]


def step_train(state: DemoState, on_progress) -> Rows:
    from tinyweb.model.options import TrainOptions
    from tinyweb.model.train import train

    steps = 4 if state.options.quick else TRAIN_STEPS
    options = TrainOptions(
        workspace=state.workspace,
        init="tiny",
        run=RUN_NAME,
        tiny_size="micro" if state.options.quick else "small",
        max_steps=steps,
        batch_size=4,
        max_seq_len=1024,
        save_steps=steps,
        device="cpu",
    )
    summary = train(options, lambda report: on_progress(report.step, report.total_steps))
    losses = summary.loss_history
    rows = [("tiny model trained", f"{summary.steps} steps, {summary.trainable_params / 1e6:.1f} M parameters")]
    if losses:
        rows.append(("training loss", f"{losses[0]:.2f} -> {losses[-1]:.2f}"))
    rows.append(("tokens/s", f"{summary.tokens_per_s:.0f}"))
    return rows


def step_generate(state: DemoState, on_progress) -> Rows:
    from tinyweb.generate.pages import GenerateOptions, generate_pages
    from tinyweb.generate.sample import SamplingOptions

    out_dir = state.workspace / "generated"
    out_dir.mkdir(exist_ok=True)
    topics = json.loads((state.workspace / "topics.json").read_text(encoding="utf-8"))["pages"]
    rows = []
    for index, (name, template) in enumerate(DESCRIPTIONS, 1):
        topic = next((label for url, label in topics.items() if f"/{name}/" in url), name)
        description = template.format(topic=topic)
        options = GenerateOptions(
            description=description,
            run=state.run_dir,
            workspace=state.workspace,
            out=out_dir / f"{name}.html",
            screenshot=out_dir / f"{name}.png",
            sampling=SamplingOptions(
                max_new_tokens=96 if state.options.quick else NEW_TOKENS, temperature=TEMPERATURE, seed=index
            ),
            device="cpu",
        )
        result = generate_pages(options)
        page = result.pages[0]
        state.generated.append(page.path)
        rows.append((f'"{description}"', f"{page.path} ({page.sample.tokens} tokens)"))
        on_progress(index, len(DESCRIPTIONS))
    return rows


def step_eval(state: DemoState, on_progress) -> Rows:
    from tinyweb.evaluate.pipeline import EvalOptions, evaluate_pages
    from tinyweb.generate.sample import SamplingOptions

    options = EvalOptions(
        workspace=state.workspace,
        runs=(state.run_dir,),
        limit=1 if state.options.quick else 2,
        sampling=SamplingOptions(max_new_tokens=96 if state.options.quick else NEW_TOKENS, temperature=0),
        device="cpu",
    )
    report = evaluate_pages(options, lambda phase, done, total: on_progress(done, total))
    state.report = report.index_path
    rows = []
    for system in report.systems:
        figures = ", ".join(f"{k} {v:.2f}" for k, v in system.summary.items() if isinstance(v, float))[:90]
        rows.append((f"{system.name} ({system.kind})", figures))
    rows.append(("report", str(report.index_path)))
    return rows


def step_act(state: DemoState, on_progress) -> Rows:
    from tinyweb.act.agent import ActOptions, run_act
    from tinyweb.generate.repair import standalone_page
    from tinyweb.store import PageStore

    page_file = state.workspace / "act-page.html"
    framework = (state.workspace / "framework.css").read_text(encoding="utf-8")
    with PageStore(state.workspace / "pages.db") as store:
        page = next(p for p in store.pages(status="ok") if p.url.endswith(ACT_PAGE))
    page_file.write_text(standalone_page(page.semantic_html, framework), encoding="utf-8")
    result = run_act(ActOptions(target=str(page_file), instruction=ACT_INSTRUCTION, workspace=state.workspace))
    (state.workspace / "act.json").write_text(json.dumps(result.action, indent=2) + "\n", encoding="utf-8")
    action = {k: result.action.get(k) for k in ("action", "x", "y", "text")}
    return [(f'"{ACT_INSTRUCTION}"', json.dumps(action))]


STEPS: list[tuple[str, Callable[[DemoState, Callable], Rows]]] = [
    ("crawl", step_crawl),
    ("topics", step_topics),
    ("build-css", step_build_css),
    ("prompts", step_prompts),
    ("train", step_train),
    ("generate", step_generate),
    ("eval", step_eval),
    ("act", step_act),
]


def run_demo(
    options: DemoOptions,
    on_step: Callable[[str, int, int], None],
    on_progress: Callable[[int, int | None], None],
    on_rows: Callable[[str, Rows, float], None],
) -> DemoState:
    """Every step in order; on_step(name, index, count) before each, on_rows(name, rows, seconds) after."""
    state = DemoState(options)
    for index, (name, step) in enumerate(STEPS, 1):
        on_step(name, index, len(STEPS))
        started = time.perf_counter()
        rows = step(state, on_progress)
        seconds = time.perf_counter() - started
        state.rows += [(name, what, value) for what, value in rows]
        on_rows(name, rows, seconds)
        if state.failed:
            break
    return state
