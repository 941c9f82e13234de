"""robots.txt per host (stdlib parser), crawl-delay, and sitemap URLs."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from tinyweb.crawl.fetch import Fetcher

SITEMAP_LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>", re.I)
MAX_SITEMAP_URLS = 5000


class RobotsCache:
    """Fetches each host's robots.txt once; a missing or unreadable file allows everything."""

    def __init__(self, fetcher: Fetcher, user_agent: str, obey: bool = True):
        self.fetcher, self.user_agent, self.obey = fetcher, user_agent, obey
        # One task per origin: workers asking at the same time share a single fetch.
        self._parsers: dict[str, asyncio.Task] = {}

    async def _parser(self, url: str) -> RobotFileParser | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._parsers:
            self._parsers[origin] = asyncio.ensure_future(self._load(origin))
        return await self._parsers[origin]

    async def _load(self, origin: str) -> RobotFileParser | None:
        result = await self.fetcher.fetch(origin + "/robots.txt", html_only=False)
        if not (result.ok and result.status == 200):
            return None
        parser = RobotFileParser()
        parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
        return parser

    async def allowed(self, url: str) -> bool:
        if not self.obey:
            return True
        parser = await self._parser(url)
        return parser is None or parser.can_fetch(self.user_agent, url)

    async def crawl_delay(self, url: str) -> float:
        parser = await self._parser(url) if self.obey else None
        delay = parser.crawl_delay(self.user_agent) if parser else None
        return float(delay or 0.0)

    async def sitemaps(self, url: str) -> list[str]:
        """Sitemaps named in robots.txt, else the conventional /sitemap.xml."""
        parser = await self._parser(url)
        named = (parser.site_maps() or []) if parser else []
        parts = urlsplit(url)
        return named or [f"{parts.scheme}://{parts.netloc}/sitemap.xml"]


async def sitemap_urls(fetcher: Fetcher, sitemap: str, depth: int = 0) -> list[str]:
    """Page URLs listed in a sitemap, following one level of sitemap index."""
    result = await fetcher.fetch(sitemap, html_only=False)
    if not result.ok or result.status != 200:
        return []
    locs = [m.group(1).decode("utf-8", "replace") for m in SITEMAP_LOC.finditer(result.body)][:MAX_SITEMAP_URLS]
    if b"<sitemapindex" in result.body[:2000] and depth == 0:
        urls: list[str] = []
        for nested in locs[:20]:
            urls += await sitemap_urls(fetcher, nested, depth + 1)
        return urls[:MAX_SITEMAP_URLS]
    return locs
