"""`tinyweb demo`: the pipeline, offline, on the sample site bundled with the package.

The crawl step lives here; the later steps (tinyweb/demo_steps.py) call each stage's
function on the demo workspace, in order, and report what they made.
"""

from __future__ import annotations

import shutil
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from tinyweb.capture.embed import OutputNames
from tinyweb.crawl.crawler import CrawlEvent, CrawlOptions, CrawlSummary, crawl
from tinyweb.localserver import serve_directory
from tinyweb.store import PageStore

DEMO_SITE = Path(__file__).with_name("demo_site")
# What a demo run writes; removed (and nothing else) when the next run starts.
DEMO_FILES = (
    *("pages.db", "pages.db-wal", "pages.db-shm", "seeds.txt"),
    *("topics.json", "framework.css", "framework.json", "act.json", "act-page.html"),
    *("crawl.json", "topics-run.json", "build-css.json", "prompts.json"),
)
DEMO_FOLDERS = ("styled", "prompts", "runs", "generated", "reports")


@dataclass(frozen=True)
class DemoOptions:
    workspace: Path = Path("demo-workspace")
    """Where the demo writes pages.db and the styled pages."""
    quick: bool = False
    """A reduced run (a few training steps, short generations): what the CI test runs."""


@dataclass
class DemoResult:
    crawl: CrawlSummary
    styled_dir: Path
    styled_files: list[Path] = field(default_factory=list)
    median_declarations_per_element: float | None = None


def crawl_demo_site(options: DemoOptions, on_event: CrawlEvent | None = None) -> DemoResult:
    """Serve the sample site on 127.0.0.1, crawl it with capture, write the styled pages."""
    workspace = Path(options.workspace)
    workspace.mkdir(parents=True, exist_ok=True)
    # Each demo starts afresh: the site is served on a new port, so an earlier run's pages
    # and frontier would only be stale.
    for name in DEMO_FILES:
        (workspace / name).unlink(missing_ok=True)
    for name in DEMO_FOLDERS:
        shutil.rmtree(workspace / name, ignore_errors=True)
    seeds = workspace / "seeds.txt"
    with serve_directory(DEMO_SITE) as base:
        seeds.write_text(f"# the bundled sample site, served for the demo\n{base}/index.html\n", encoding="utf-8")
        summary = crawl(
            CrawlOptions(seeds_file=seeds, workspace=workspace, allow_private=True, per_host_delay_s=0, max_pages=50),
            on_event,
        )
    result = DemoResult(crawl=summary, styled_dir=workspace / "styled")
    result.styled_dir.mkdir(exist_ok=True)
    names = OutputNames()
    with PageStore(workspace / "pages.db") as store:
        pages = [p for p in store.pages("ok") if p.styled_html]
    for page in pages:
        path = result.styled_dir / f"{names.for_url(page.url)}.html"
        path.write_text(page.styled_html, encoding="utf-8")
        result.styled_files.append(path)
    ratios = [p.declarations / p.elements for p in pages if p.elements]
    result.median_declarations_per_element = statistics.median(ratios) if ratios else None
    return result
