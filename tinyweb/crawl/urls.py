"""URL normalisation, scope rules and trap guards for the frontier."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|_ga|_gl|igshid|ref_src)$", re.I)
MAX_URL_LENGTH = 2000
SKIPPED_PREFIXES = ("#", "javascript:", "mailto:", "tel:", "data:")
MAX_REPEATED_SEGMENT = 3


def normalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical form of an http(s) URL, or None for anything else.

    Lower-case scheme and host, no default port, no fragment, no tracking parameters,
    query parameters sorted, an empty path as "/".
    """
    url = url.strip()
    if not url or url.startswith(SKIPPED_PREFIXES):
        return None  # fast path: the commonest links that are not pages
    try:
        absolute = base is None or url.startswith(("http://", "https://"))
        parts = urlsplit(url if absolute else urljoin(base, url))
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(sorted((k, v) for k, v in pairs if not TRACKING_PARAMS.match(k)))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def registrable_domain(host: str) -> str:
    """Approximation without a suffix list: last two labels, three for a short second label (co.uk)."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


SCOPES = {
    "same-host": lambda url, seed: host_of(url) == host_of(seed),
    "same-domain": lambda url, seed: registrable_domain(host_of(url)) == registrable_domain(host_of(seed)),
    "any": lambda url, seed: True,
}


def looks_like_trap(url: str) -> str | None:
    """Why a URL looks like a crawler trap (too long, a path segment repeating), or None."""
    if len(url) > MAX_URL_LENGTH:
        return f"URL longer than {MAX_URL_LENGTH} characters"
    segments = [s for s in urlsplit(url).path.split("/") if s]
    for segment in set(segments):
        if segments.count(segment) > MAX_REPEATED_SEGMENT:
            return f"path segment {segment!r} repeats {segments.count(segment)} times"
    return None


@dataclass(frozen=True)
class Scope:
    """Which discovered URLs a crawl follows."""

    seeds: tuple[str, ...]
    rule: str = "same-host"
    include: re.Pattern | None = None
    exclude: re.Pattern | None = None

    def allows(self, url: str) -> bool:
        if self.include is not None and not self.include.search(url):
            return False
        if self.exclude is not None and self.exclude.search(url):
            return False
        return any(SCOPES[self.rule](url, seed) for seed in self.seeds)
