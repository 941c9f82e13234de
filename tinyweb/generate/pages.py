"""`tinyweb generate`: a description in, standalone HTML pages (and screenshots) out.

result = generate_pages(GenerateOptions("a bakery landing page", run=Path("ws/runs/tiny")))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tinyweb.errors import TinywebError
from tinyweb.generate.repair import standalone_page
from tinyweb.generate.sample import Sample, SamplingOptions


@dataclass(frozen=True)
class GenerateOptions:
    description: str
    """What the page is: the label the model was trained to follow."""
    run: Path | None = None
    """Run directory or name under WORKSPACE/runs (--run); default: the newest page run."""
    model: str | None = None
    """A plain causal LM, hub id or local path, instead of a run (--model)."""
    workspace: Path = Path("workspace")
    """Where runs are found by name, and framework.css for --model (-w)."""
    out: Path = Path("page.html")
    """Where the page is written; with -n, NAME-1.html, NAME-2.html, ... (-o)."""
    screenshot: Path | None = None
    """Also render each page (JavaScript off, network blocked) to this PNG (--screenshot)."""
    variants: int = 1
    """Pages to generate; variant i samples with seed + i (-n)."""
    sampling: SamplingOptions = field(default_factory=SamplingOptions)
    device: str | None = None
    """cpu or cuda (--device); default: cuda when available."""

    def __post_init__(self):
        if not self.description.strip():
            raise TinywebError("the description must not be empty")
        if self.run is not None and self.model is not None:
            raise TinywebError("pass --run or --model, not both")
        if self.variants < 1:
            raise TinywebError("-n must be >= 1")
        if self.device not in (None, "cpu", "cuda"):
            raise TinywebError("--device must be cpu or cuda")
        if self.screenshot is not None and Path(self.screenshot).suffix.lower() != ".png":
            raise TinywebError("--screenshot must name a .png file")


@dataclass
class GeneratedPage:
    path: Path
    sample: Sample
    screenshot: Path | None = None
    valid: bool | None = None
    """Rendered and non-empty (known only with --screenshot)."""


@dataclass
class GenerateResult:
    source: str
    """The run or model that generated."""
    prompt: str
    pages: list[GeneratedPage]

    @property
    def tokens(self) -> int:
        return sum(p.sample.tokens for p in self.pages)

    @property
    def seconds(self) -> float:
        return sum(p.sample.seconds for p in self.pages)

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0


def variant_path(path: Path, index: int, count: int) -> Path:
    """page.html for one page; page-1.html, page-2.html, ... for several."""
    path = Path(path)
    return path if count == 1 else path.with_name(f"{path.stem}-{index + 1}{path.suffix}")


def load_generator(options: GenerateOptions):
    from tinyweb.generate.models import find_run_dir, load_model_generator, load_run_generator

    if options.model is not None:
        css_path = Path(options.workspace) / "framework.css"
        css = css_path.read_text(encoding="utf-8") if css_path.is_file() else ""
        return load_model_generator(options.model, css, options.device)
    return load_run_generator(find_run_dir(options.run, options.workspace), options.device)


def generate_pages(
    options: GenerateOptions,
    on_text: Callable[[int, str], None] | None = None,
    generator=None,
) -> GenerateResult:
    """Sample options.variants pages, repair and wrap each, write them (and screenshots).

    on_text(variant, text) streams each variant's text as it is generated.
    """
    from dataclasses import replace

    from tinyweb.generate.sample import sample

    generator = generator or load_generator(options)
    prompt = generator.prompt(options.description)
    pages = []
    for index in range(options.variants):
        stream = (lambda text, i=index: on_text(i, text)) if on_text is not None else None
        sampling = replace(options.sampling, seed=options.sampling.seed + index)
        result = sample(
            generator.model,
            generator.tokenizer,
            [prompt],
            sampling,
            stop_strings=generator.stop_strings(),
            max_length=generator.max_length,
            on_text=stream,
        )[0]
        path = variant_path(options.out, index, options.variants)
        path.parent.mkdir(parents=True, exist_ok=True)
        html = standalone_page(result.text, generator.framework_css, title=options.description.strip())
        path.write_text(html, encoding="utf-8")
        pages.append(GeneratedPage(path=path, sample=result))
    if options.screenshot is not None:
        _screenshots(pages, options)
    return GenerateResult(source=generator.name, prompt=prompt, pages=pages)


def _screenshots(pages: list[GeneratedPage], options: GenerateOptions) -> None:
    from tinyweb.evaluate.render import render_pages
    from tinyweb.evaluate.structure import validity

    rendered = render_pages([page.path.read_text(encoding="utf-8") for page in pages])
    for index, (page, shot) in enumerate(zip(pages, rendered, strict=True)):
        if not shot.rendered:
            raise TinywebError(f"could not render {page.path}: {shot.error}")
        target = variant_path(options.screenshot, index, len(pages))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(shot.png)
        page.screenshot = target
        page.valid = validity(page.path.read_text(encoding="utf-8"), shot)["valid"]
