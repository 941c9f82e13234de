"""`tinyweb eval`: generate every val page from its label, render it beside its reference, score it.

Systems are what generates: the run (or two runs with --compare) and, unless --no-baseline,
the first run before training (tinyweb.generate.models.load_baseline). Every system gets the
same val pages; references are wrapped with the first run's framework.css by the same
standalone_page as generated pages, so both render under the same rules.

    report = evaluate_pages(EvalOptions(workspace=Path("ws"), runs=(Path("ws/runs/tiny"),)))
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tinyweb.errors import TinywebError
from tinyweb.generate.sample import SamplingOptions

TASKS = ("page", "act")


@dataclass(frozen=True)
class EvalOptions:
    workspace: Path = Path("workspace")
    """Workspace: prompts/val.jsonl, runs/ and reports/ (-w)."""
    runs: tuple[Path, ...] = ()
    """Run directories or names; empty: the newest page run; two with --compare."""
    limit: int | None = 20
    """Evaluate the first N val pages (--limit); None: all."""
    report_dir: Path | None = None
    """Where index.html, metrics.json and screenshots go (--report); default WORKSPACE/reports/NAME."""
    baseline: bool = True
    """Also score the first run before training (--baseline/--no-baseline)."""
    batch_size: int = 16
    """Val pages sampled at once (--batch-size)."""
    sampling: SamplingOptions = field(default_factory=lambda: SamplingOptions(max_new_tokens=1024, temperature=0))
    concurrency: int = 2
    """Pages rendered at once (--concurrency)."""
    val_file: Path | None = None
    """Override prompts/val.jsonl (--val-file)."""
    device: str | None = None
    """cpu or cuda (--device)."""

    def __post_init__(self):
        if self.limit is not None and self.limit < 1:
            raise TinywebError("--limit must be >= 1")
        if self.batch_size < 1:
            raise TinywebError("--batch-size must be >= 1")
        if self.concurrency < 1:
            raise TinywebError("--concurrency must be >= 1")
        if len(self.runs) > 2:
            raise TinywebError("--compare takes two runs")
        if self.device not in (None, "cpu", "cuda"):
            raise TinywebError("--device must be cpu or cuda")

    @property
    def val_path(self) -> Path:
        return Path(self.val_file) if self.val_file else Path(self.workspace) / "prompts" / "val.jsonl"


@dataclass
class ValPage:
    id: str
    label: str
    url: str
    reference_html: str


@dataclass
class SystemResult:
    name: str
    kind: str
    htmls: list[str]
    samples: list
    seconds: float = 0.0
    """Wall time of generation."""
    metrics: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    shots: list = field(default_factory=list)
    """RenderedPage of each generated page."""

    @property
    def tokens(self) -> int:
        return sum(s.tokens for s in self.samples)


@dataclass
class EvalReport:
    report_dir: Path
    pages: list[ValPage]
    systems: list[SystemResult]
    seconds: float
    metrics_path: Path
    index_path: Path


Progress = Callable[[str, int, int], None]
"""on_progress(phase, done, total): phase is "generate NAME", "render" or "score"."""


def read_val_pages(path: Path, limit: int | None, prompt_format=None, tokenizer=None) -> list[ValPage]:
    from tinyweb.model.batches import read_jsonl

    records = read_jsonl(path, required=("completion",))
    if not records:
        raise TinywebError(f"{path} has no records: run `tinyweb prompts` with a validation split")
    pages = []
    for number, record in enumerate(records[:limit] if limit else records, 1):
        label = record.get("label")
        if not isinstance(label, str) or not label.strip():
            raise TinywebError(f"{path}:{number}: record has no label")
        html = record.get("output") or record["completion"]
        if prompt_format is not None and not record.get("output"):
            html = prompt_format.strip_completion(html, tokenizer)
        pages.append(ValPage(str(record.get("id", number)), label, str(record.get("url", "")), html))
    return pages


def _generate(generator, pages: list[ValPage], options: EvalOptions, on_progress: Progress) -> SystemResult:
    from tinyweb.generate.repair import standalone_page
    from tinyweb.generate.sample import sample

    phase = f"generate {generator.name}"
    started = time.perf_counter()
    samples = []
    on_progress(phase, 0, len(pages))
    for start in range(0, len(pages), options.batch_size):
        batch = pages[start : start + options.batch_size]
        samples += sample(
            generator.model,
            generator.tokenizer,
            [generator.prompt(page.label) for page in batch],
            options.sampling,
            stop_strings=generator.stop_strings(),
            max_length=generator.max_length,
        )
        on_progress(phase, len(samples), len(pages))
    css = generator.framework_css
    htmls = [standalone_page(s.text, css, title=p.label) for s, p in zip(samples, pages, strict=True)]
    return SystemResult(generator.name, generator.kind, htmls, samples, seconds=time.perf_counter() - started)


def evaluate_pages(options: EvalOptions, on_progress: Progress | None = None) -> EvalReport:
    """Generate, render and score every val page for each system; write metrics.json and index.html."""
    from tinyweb.evaluate.metrics import page_metrics, summarise
    from tinyweb.evaluate.render import RenderOptions, render_pages
    from tinyweb.evaluate.report import slug, write_report
    from tinyweb.generate.models import find_run_dir, load_baseline, load_run_generator
    from tinyweb.generate.repair import standalone_page

    report = on_progress or (lambda *_: None)
    started = time.perf_counter()
    run_dirs = [find_run_dir(run, options.workspace) for run in options.runs] or [find_run_dir(None, options.workspace)]
    systems, generators, pages = [], [], []
    for run_dir in run_dirs:  # one model in memory at a time
        generator = load_run_generator(run_dir, options.device)
        if not generators:
            pages = read_val_pages(options.val_path, options.limit, generator.prompt_format, generator.tokenizer)
        systems.append(_generate(generator, pages, options, report))
        generator.model = None
        generators.append(generator)
    first = generators[0]
    if options.baseline:
        systems.append(_generate(load_baseline(first, options.device), pages, options, report))

    references = [standalone_page(page.reference_html, first.framework_css, title=page.label) for page in pages]
    documents = references + [html for system in systems for html in system.htmls]
    done = [0]

    def rendered_one(index, page) -> None:
        done[0] += 1
        report("render", done[0], len(documents))

    report("render", 0, len(documents))
    rendered = render_pages(documents, RenderOptions(pages=options.concurrency), rendered_one)
    reference_shots = rendered[: len(pages)]
    for number, system in enumerate(systems):
        offset = len(pages) * (number + 1)
        shots = rendered[offset : offset + len(pages)]
        triples = zip(reference_shots, shots, system.htmls, strict=True)
        system.metrics = [page_metrics(ref, gen, html) for ref, gen, html in triples]
        system.summary = summarise(system.metrics)
        system.summary.update(generated_tokens=system.tokens, generation_s=system.seconds)
        system.summary["tokens_per_s"] = system.tokens / system.seconds if system.seconds else None
        report("score", number + 1, len(systems))
        system.shots = shots
    name = " vs ".join(g.name for g in generators) if len(generators) > 1 else first.name
    folder_name = "-vs-".join(slug(g.name) for g in generators)
    report_dir = Path(options.report_dir) if options.report_dir else Path(options.workspace) / "reports" / folder_name
    seconds = time.perf_counter() - started
    metrics_path, index_path = write_report(
        report_dir, name, options, run_dirs, pages, references, reference_shots, systems, seconds
    )
    return EvalReport(report_dir, pages, systems, seconds, metrics_path, index_path)
