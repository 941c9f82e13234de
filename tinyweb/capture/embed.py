"""`tinyweb embed`: capture files, folders and URLs into the workspace's page store."""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tinyweb.browser import BrowserOptions, BrowserPool
from tinyweb.capture.page import CaptureOptions, capture_page
from tinyweb.capture.sources import BadSource, Source, resolve_sources
from tinyweb.errors import TinywebError
from tinyweb.store import PageRecord, PageStore
from tinyweb.workspace import Workspace


@dataclass(frozen=True)
class EmbedOptions:
    inputs: tuple[str, ...]
    """Files, folders of .html files, or http(s) URLs."""
    workspace: Path = Path("workspace")
    """Workspace directory; pages go to its pages.db."""
    out_dir: Path | None = None
    """Also write each styled page as a standalone .html file here."""
    verify: bool = False
    """Render original and styled page and store the pixel fidelity."""
    save_diffs: bool = False
    """With verify and out_dir: write NAME.diff.png for pages that are not pixel-identical."""
    viewport: tuple[int, int] = (1280, 800)
    """Viewport in CSS pixels."""
    javascript: bool = False
    """Run page scripts before capturing."""
    network: str = "same-site"
    """Subresources a page may load: all, same-site, same-host, none."""
    concurrency: int = 2
    """Pages rendered at once."""
    timeout_s: float = 30.0
    """Seconds a page may take to load."""
    force: bool = False
    """Capture again pages the store already holds."""
    naive: bool = False
    """Plain computed-style diff instead of tinyweb's capture: the baseline benchmarks compare with."""

    def __post_init__(self):
        if self.timeout_s <= 0:
            raise TinywebError("--timeout must be > 0")
        if self.save_diffs and not (self.verify and self.out_dir):
            raise TinywebError("--save-diffs needs --verify and --out")
        self.browser_options()  # validates viewport, network and concurrency

    def browser_options(self) -> BrowserOptions:
        return BrowserOptions(
            viewport=self.viewport, javascript=self.javascript, network=self.network, pages=self.concurrency
        )


@dataclass
class EmbedSummary:
    records: list[PageRecord] = field(default_factory=list)
    skipped: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> list[PageRecord]:
        return [r for r in self.records if r.ok]

    @property
    def failed(self) -> list[PageRecord]:
        return [r for r in self.records if not r.ok]

    def figures(self) -> dict:
        ok = self.ok
        verified = [r for r in ok if r.fidelity is not None]
        per_element = [r.declarations / r.elements for r in ok if r.elements]
        return {
            "pages": len(self.records),
            "captured": len(ok),
            "failed": len(self.failed),
            "skipped": self.skipped,
            "median_declarations_per_element": _median(per_element),
            "median_fidelity": _median([r.fidelity for r in verified]),
            "size_match": (sum(bool(r.size_match) for r in verified) / len(verified)) if verified else None,
            "seconds": round(self.seconds, 2),
        }


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


PageCallback = Callable[[PageRecord], None]


def embed(
    options: EmbedOptions, on_page: PageCallback | None = None, on_start: Callable[[int], None] | None = None
) -> EmbedSummary:
    """Capture every input; each finished page is stored (and reported) as it completes."""
    workspace = Workspace.create(options.workspace)
    if options.out_dir:
        Path(options.out_dir).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with PageStore(workspace.db_path) as store:
        summary = asyncio.run(_embed(options, store, on_page or (lambda r: None), on_start))
    summary.seconds = time.perf_counter() - started
    workspace.write_manifest(
        "embed",
        options={k: v for k, v in asdict(options).items() if k != "inputs"},
        inputs=list(options.inputs),
        summary=summary.figures(),
    )
    return summary


async def _embed(options: EmbedOptions, store: PageStore, on_page: PageCallback, on_start) -> EmbedSummary:
    summary = EmbedSummary()
    sources: list[Source] = []
    names = OutputNames()

    def finish(record: PageRecord, diff: bytes | None = None) -> None:
        store.save(record)
        if record.ok and options.out_dir:
            name = names.for_url(record.url)
            (Path(options.out_dir) / f"{name}.html").write_text(record.styled_html, encoding="utf-8")
            if diff is not None and options.save_diffs:
                (Path(options.out_dir) / f"{name}.diff.png").write_bytes(diff)
        summary.records.append(record)
        on_page(record)

    resolved = resolve_sources(list(options.inputs))
    for item in resolved:
        if isinstance(item, BadSource):
            continue
        existing = None if options.force else store.get(item.url)
        if existing and existing.ok and (existing.fidelity is not None or not options.verify):
            summary.skipped += 1
        else:
            sources.append(item)
    if on_start:
        on_start(len(sources) + sum(isinstance(i, BadSource) for i in resolved))
    for item in resolved:
        if isinstance(item, BadSource):
            finish(PageRecord(url=item.label, source="input", status="error", error_kind=item.kind, error=item.error))
    if not sources:
        return summary

    capture_options = CaptureOptions(
        verify=options.verify,
        timeout_s=options.timeout_s,
        diff_dir=options.out_dir if options.save_diffs else None,
        naive=options.naive,
    )
    async with BrowserPool(options.browser_options()) as pool:

        async def one(source: Source) -> None:
            async with pool.page() as page:
                record, diff = await capture_page(page, source, capture_options)
            finish(record, diff)

        await asyncio.gather(*(one(s) for s in sources))
    return summary


class OutputNames:
    """File names for styled pages: readable, filesystem-safe, unique within a run."""

    def __init__(self):
        self.used: set[str] = set()

    def for_url(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme == "file":
            base = Path(unquote(parts.path)).stem
        else:
            path = re.sub(r"\.(html?|xhtml)$", "", parts.path.rstrip("/"), flags=re.I)
            base = (parts.hostname or "") + path
        base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-.")[:80] or "page"
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}-{n}"
        self.used.add(name)
        return name
