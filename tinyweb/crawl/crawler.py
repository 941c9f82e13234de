"""`tinyweb crawl`: seeds -> frontier -> fetch -> links -> capture -> pages.db, resumable."""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tinyweb.browser import NETWORK_POLICIES, BrowserOptions, BrowserPool
from tinyweb.capture.page import CaptureOptions, Prefetched, capture_page
from tinyweb.capture.sources import Source
from tinyweb.crawl.fetch import Fetcher, FetchOptions, FetchResult
from tinyweb.crawl.frontier import Frontier
from tinyweb.crawl.links import parse_page
from tinyweb.crawl.robots import RobotsCache, sitemap_urls
from tinyweb.crawl.urls import SCOPES, Scope, looks_like_trap, normalize_url
from tinyweb.errors import TinywebError
from tinyweb.store import PageRecord, PageStore
from tinyweb.workspace import Workspace


@dataclass(frozen=True)
class CrawlOptions:
    seeds_file: Path = Path("seeds.txt")
    """Seed URLs, one a line, # comments."""
    workspace: Path = Path("workspace")
    """Workspace directory; pages and the frontier go to its pages.db."""
    max_pages: int = 100
    """Stop after this many stored pages (across resumes)."""
    max_depth: int = 3
    """Links followed from a seed at most this deep."""
    concurrency: int = 4
    """Fetches at once (renders use min(concurrency, 2) browser pages)."""
    per_host_delay_s: float = 1.0
    """Seconds between requests to one host (robots.txt crawl-delay wins when longer)."""
    scope: str = "same-host"
    """Which links to follow: same-host, same-domain or any."""
    include: str | None = None
    """Only follow URLs matching this regular expression."""
    exclude: str | None = None
    """Never follow URLs matching this regular expression."""
    render: bool = True
    """Capture each page in Chromium (styled html); off: raw html and text only."""
    javascript: bool = True
    """Run page scripts when rendering."""
    network: str = "same-site"
    """Subresources a rendered page may load."""
    allow_private: bool = False
    """Allow loopback, private and link-local hosts (local test servers)."""
    obey_robots: bool = True
    """Respect robots.txt (and its crawl-delay)."""
    use_sitemaps: bool = True
    """Seed from each seed host's sitemap when it has one."""
    max_pages_per_host: int = 10_000
    """Trap guard: URLs queued per host at most."""
    user_agent: str = FetchOptions.user_agent
    """User-Agent header for fetches."""
    timeout_s: float = 20.0
    """Seconds per fetch and per render."""

    def __post_init__(self):
        if self.max_pages < 1:
            raise TinywebError("--max-pages must be >= 1")
        if self.max_depth < 0:
            raise TinywebError("--max-depth must be >= 0")
        if self.concurrency < 1:
            raise TinywebError("--concurrency must be >= 1")
        if self.per_host_delay_s < 0:
            raise TinywebError("--per-host-delay must be >= 0")
        if self.scope not in SCOPES:
            raise TinywebError(f"--scope must be one of {', '.join(SCOPES)}, not {self.scope!r}")
        if self.network not in NETWORK_POLICIES:
            raise TinywebError(f"--network must be one of {', '.join(NETWORK_POLICIES)}")
        for flag, pattern in (("--include", self.include), ("--exclude", self.exclude)):
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise TinywebError(f"{flag} is not a valid regular expression: {exc}") from None


def read_seeds(path: Path) -> list[str]:
    """Normalised seed URLs; a clear error for a missing file or a bad line."""
    if not Path(path).is_file():
        raise TinywebError(f"no seeds file at {path}: write one URL a line (# for comments)")
    seeds = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        url = normalize_url(text)
        if url is None:
            raise TinywebError(f"{path}:{number}: not an http(s) URL: {text!r}")
        seeds.append(url)
    if not seeds:
        raise TinywebError(f"{path} lists no URLs")
    return seeds


@dataclass
class CrawlSummary:
    stored: int = 0
    failed: int = 0
    skipped: int = 0
    resumed: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    frontier: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    interrupted: bool = False


CrawlEvent = Callable[[str, "CrawlSummary"], None]


class Crawler:
    def __init__(self, options: CrawlOptions, store: PageStore, on_event: CrawlEvent):
        self.options = options
        self.store = store
        self.on_event = on_event
        self.frontier = Frontier(store.conn, options.max_pages_per_host)
        self.summary = CrawlSummary()
        self.next_request: dict[str, float] = {}
        # Set when a URL is queued or a visit ends: idle workers wake up and look again.
        self.wakeup = asyncio.Event()
        self.in_flight: set[str] = set()
        self.stored_before = store.count("ok")
        self.fetcher: Fetcher | None = None
        self.robots: RobotsCache | None = None
        self.pool: BrowserPool | None = None
        self.scope: Scope | None = None

    async def run(self, seeds: list[str]) -> CrawlSummary:
        options = self.options
        self.scope = Scope(
            tuple(seeds),
            options.scope,
            re.compile(options.include) if options.include else None,
            re.compile(options.exclude) if options.exclude else None,
        )
        self.summary.resumed = self.frontier.resume()
        fetch_options = FetchOptions(
            user_agent=options.user_agent, timeout_s=options.timeout_s, allow_private=options.allow_private
        )
        async with AsyncExitStack() as stack:
            self.fetcher = await stack.enter_async_context(Fetcher(fetch_options))
            self.robots = RobotsCache(self.fetcher, options.user_agent, options.obey_robots)
            if options.render:
                browser = BrowserOptions(
                    javascript=options.javascript, network=options.network, pages=min(options.concurrency, 2)
                )
                self.pool = await stack.enter_async_context(BrowserPool(browser))
            for seed in seeds:
                self.frontier.add(seed, 0)
            if options.use_sitemaps:
                await self._seed_from_sitemaps(seeds)
            self.frontier.commit()
            workers = [asyncio.create_task(self._worker()) for _ in range(options.concurrency)]
            await asyncio.gather(*workers)
        self.summary.frontier = self.frontier.counts()
        return self.summary

    async def _seed_from_sitemaps(self, seeds: list[str]) -> None:
        for seed in seeds:
            for sitemap in await self.robots.sitemaps(seed):
                for loc in await sitemap_urls(self.fetcher, sitemap):
                    url = normalize_url(loc)
                    if url and self.scope.allows(url) and not looks_like_trap(url):
                        self.frontier.add(url, 1, found_on=sitemap)

    def _budget_left(self) -> bool:
        return self.stored_before + self.summary.stored + len(self.in_flight) < self.options.max_pages

    async def _claim(self) -> tuple[str, int] | None:
        """The next URL whose host may be visited now; None when the crawl is over."""
        while True:
            if not self._budget_left():
                return None
            now = time.monotonic()
            candidates = self.frontier.candidates()
            if not candidates and not self.in_flight:
                return None
            # With a per-host delay, one request per host at a time; without, only the
            # overall concurrency limits a host (as Scrapy's per-domain default does).
            polite = self.options.per_host_delay_s > 0
            busy_hosts = {url.split("/")[2] for url in self.in_flight} if polite else set()
            for url, _host, depth in candidates:
                netloc = url.split("/")[2]
                if netloc in busy_hosts or self.next_request.get(netloc, 0.0) > now:
                    continue
                # Claimed before the first await, so no other worker can take it too. Not
                # committed on its own: uncommitted, an interrupted URL is simply still queued.
                self.frontier.mark(url, "in_progress", commit=False)
                self.in_flight.add(url)
                self.next_request[netloc] = now + self.options.per_host_delay_s
                robots_delay = await self.robots.crawl_delay(url)
                if robots_delay > self.options.per_host_delay_s:
                    self.next_request[netloc] = now + robots_delay
                return url, depth
            waits = [t - now for t in self.next_request.values() if t > now]
            self.wakeup.clear()
            try:
                await asyncio.wait_for(self.wakeup.wait(), timeout=min([0.5, *waits]))
            except asyncio.TimeoutError:
                pass

    async def _worker(self) -> None:
        while True:
            claimed = await self._claim()
            if claimed is None:
                return
            url, depth = claimed
            try:
                await self._visit(url, depth)
            finally:
                self.in_flight.discard(url)
                self.wakeup.set()

    async def _visit(self, url: str, depth: int) -> None:
        if not await self.robots.allowed(url):
            self._skip(url, "robots.txt disallows it")
            return
        result = await self.fetcher.fetch(url)
        if not result.ok:
            self._fail(url, depth, result)
            return
        content_hash = hashlib.sha256(result.body).hexdigest()
        duplicate = self.store.has_content(content_hash)
        if duplicate:
            self._skip(url, f"same content as {duplicate}")
            return
        # In a thread: lexbor parses without the GIL, so parsing overlaps the other fetches.
        links, title, text = await asyncio.to_thread(
            parse_page, result.text, result.final_url or url, want_text=self.pool is None
        )
        if depth < self.options.max_depth:
            for link in links:
                if self.scope.allows(link) and not looks_like_trap(link):
                    self.frontier.add(link, depth + 1, found_on=url)
        record = await self._record(url, result, title, text)
        record.content_hash, record.depth = content_hash, depth
        self.store.save(record, commit=False)
        self.frontier.mark(url, "done" if record.ok else "failed", record.error)
        if record.ok:
            self.summary.stored += 1
            self.on_event("stored", self.summary)
        else:
            self._count_error(record.error_kind)
            self.on_event("failed", self.summary)

    async def _record(self, url: str, result: FetchResult, title: str, text: str) -> PageRecord:
        if self.pool is None:
            return PageRecord(
                url=url, source="crawl", title=title, text=text, raw_html=result.text, charset=result.charset
            )
        content_type = f"text/html; charset={result.charset}" if result.charset else "text/html"
        async with self.pool.page() as page:
            record, _ = await capture_page(
                page,
                Source(url, "url", url),
                CaptureOptions(timeout_s=self.options.timeout_s),
                Prefetched(result.body, content_type),
            )
        record.source = "crawl"
        if record.ok:
            record.raw_html = result.text
        return record

    def _fail(self, url: str, depth: int, result: FetchResult) -> None:
        record = PageRecord(url=url, source="crawl", status="error", error_kind=result.error_kind, error=result.error)
        record.depth = depth
        self.store.save(record, commit=False)
        self.frontier.mark(url, "failed", result.error)
        self._count_error(result.error_kind)
        self.on_event("failed", self.summary)

    def _skip(self, url: str, reason: str) -> None:
        self.frontier.mark(url, "skipped", reason)
        self.summary.skipped += 1
        self.on_event("skipped", self.summary)

    def _count_error(self, kind: str | None) -> None:
        self.summary.failed += 1
        self.summary.errors[kind or "other"] = self.summary.errors.get(kind or "other", 0) + 1


def crawl(options: CrawlOptions, on_event: CrawlEvent | None = None) -> CrawlSummary:
    """Run (or resume) a crawl; every finished page is committed as it completes."""
    seeds = read_seeds(options.seeds_file)
    workspace = Workspace.create(options.workspace)
    started = time.perf_counter()
    with PageStore(workspace.db_path) as store:
        crawler = Crawler(options, store, on_event or (lambda event, summary: None))
        try:
            summary = asyncio.run(crawler.run(seeds))
        except KeyboardInterrupt:
            summary = crawler.summary
            summary.interrupted = True
            summary.frontier = crawler.frontier.counts()
    summary.seconds = time.perf_counter() - started
    workspace.write_manifest(
        "crawl",
        options={k: v for k, v in asdict(options).items()},
        inputs=[str(options.seeds_file)],
        summary=asdict(summary),
    )
    return summary
