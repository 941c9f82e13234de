"""Fetching with httpx: retries with backoff, redirects checked hop by hop, size cap, charset."""

from __future__ import annotations

import asyncio
import codecs
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from tinyweb.capture.sources import HTML_TYPES
from tinyweb.crawl.safety import UnsafeAddress, check_host
from tinyweb.crawl.urls import normalize_url

RETRY_STATUSES = {429, 500, 502, 503, 504}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.I)


@dataclass(frozen=True)
class FetchOptions:
    user_agent: str = "tinyweb/0.1 (+https://pypi.org/project/tinyweb/)"
    timeout_s: float = 20.0
    retries: int = 2
    backoff_s: float = 0.5
    max_redirects: int = 5
    max_bytes: int = 5_000_000
    allow_private: bool = False


@dataclass
class FetchResult:
    url: str
    """The URL asked for."""
    final_url: str = ""
    status: int = 0
    content_type: str = ""
    body: bytes = b""
    text: str = ""
    charset: str = ""
    error_kind: str | None = None
    error: str | None = None
    attempts: int = 0
    redirects: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


class FetchError(Exception):
    def __init__(self, kind: str, message: str, retry: bool = False, wait_s: float = 0.0):
        super().__init__(message)
        self.kind, self.retry, self.wait_s = kind, retry, wait_s


def decode_html(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """Text and charset: the declared one (header, BOM, meta), else UTF-8, else windows-1252."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name.replace("-sig", "")
    candidates = [header_charset] if header_charset else []
    meta = META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    for name in candidates:
        try:
            return body.decode(name), codecs.lookup(name).name
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return body.decode("windows-1252", errors="replace"), "windows-1252"


class Fetcher:
    """One httpx client for a crawl. Use as `async with Fetcher(options) as fetcher`."""

    def __init__(self, options: FetchOptions = FetchOptions()):
        self.options = options
        self.client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Fetcher:
        try:
            import h2  # noqa: F401

            http2 = True
        except ImportError:
            http2 = False
        self.client = httpx.AsyncClient(
            http2=http2,
            follow_redirects=False,
            timeout=httpx.Timeout(self.options.timeout_s),
            headers={
                "User-Agent": self.options.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            },
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()

    async def fetch(self, url: str, html_only: bool = True) -> FetchResult:
        """GET a URL; never raises: failures come back with error_kind and error set."""
        result = FetchResult(url=url)
        for attempt in range(self.options.retries + 1):
            result.attempts = attempt + 1
            try:
                await self._fetch_once(url, result, html_only)
                return result
            except FetchError as exc:
                result.error_kind, result.error = exc.kind, str(exc)
                if not exc.retry or attempt == self.options.retries:
                    return result
                await asyncio.sleep(max(exc.wait_s, self.options.backoff_s * 2**attempt))
        return result

    async def _fetch_once(self, url: str, result: FetchResult, html_only: bool) -> None:
        current, hops = url, []
        for _ in range(self.options.max_redirects + 1):
            await self._check_allowed(current)
            try:
                async with self.client.stream("GET", current) as response:
                    if response.is_redirect:
                        target = normalize_url(urljoin(current, response.headers.get("location", "")))
                        if target is None:
                            raise FetchError("http", f"redirect to an unsupported URL from {current}")
                        hops.append(target)
                        current = target
                        continue
                    await self._read(response, result, html_only)
                    result.final_url, result.redirects = current, tuple(hops)
                    result.error_kind = result.error = None
                    return
            except httpx.TimeoutException:
                raise FetchError("timeout", f"timed out after {self.options.timeout_s:g}s", retry=True) from None
            except httpx.TransportError as exc:
                raise FetchError("unreachable", f"host unreachable ({type(exc).__name__})", retry=True) from None
        raise FetchError("http", f"more than {self.options.max_redirects} redirects")

    async def _check_allowed(self, url: str) -> None:
        if self.options.allow_private:
            return
        parts = urlsplit(url)
        try:
            await check_host(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        except UnsafeAddress as exc:
            raise FetchError("unsafe", str(exc)) from None

    async def _read(self, response: httpx.Response, result: FetchResult, html_only: bool) -> None:
        result.status = response.status_code
        if response.status_code in RETRY_STATUSES:
            wait = _retry_after(response.headers.get("retry-after"))
            raise FetchError("http", f"HTTP {response.status_code}", retry=True, wait_s=wait)
        if response.status_code >= 400:
            raise FetchError("http", f"HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        result.content_type = content_type
        if html_only and content_type and content_type not in HTML_TYPES:
            raise FetchError("not-html", f"not an HTML page (content-type {content_type})")
        length = int(response.headers.get("content-length") or 0)
        if length > self.options.max_bytes:
            raise FetchError("too-large", f"larger than {self.options.max_bytes} bytes ({length})")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.options.max_bytes:
                raise FetchError("too-large", f"larger than {self.options.max_bytes} bytes")
            chunks.append(chunk)
        result.body = b"".join(chunks)
        if html_only:
            result.text, result.charset = decode_html(result.body, response.charset_encoding)


def _retry_after(value: str | None) -> float:
    """Seconds from a Retry-After header (delta seconds only), capped at 30."""
    try:
        return min(30.0, max(0.0, float(value))) if value else 0.0
    except ValueError:
        return 0.0
