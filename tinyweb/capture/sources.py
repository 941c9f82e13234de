"""Turn command-line inputs (files, folders, URLs) into capture sources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tinyweb.errors import TinywebError

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Source:
    url: str
    """What the browser loads: http(s) URL or file:// URL."""
    kind: str
    """'url' or 'file'."""
    label: str
    """What the user typed (or the file found in a folder)."""


@dataclass(frozen=True)
class BadSource:
    label: str
    kind: str
    error: str


def resolve_sources(inputs: list[str]) -> list[Source | BadSource]:
    """Expand folders, validate URLs and files; bad inputs come back as BadSource, in order."""
    if not inputs:
        raise TinywebError("give at least one file, folder or URL")
    resolved: list[Source | BadSource] = []
    for text in inputs:
        if "://" in text:
            resolved.append(_url_source(text))
            continue
        path = Path(text)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file())
            if not files:
                resolved.append(BadSource(text, "invalid-input", f"no .html files in folder {text}"))
            resolved.extend(_file_source(p, str(p)) for p in files)
        else:
            resolved.append(_file_source(path, text))
    return resolved


def _url_source(text: str) -> Source | BadSource:
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https"):
        return BadSource(text, "invalid-input", f"invalid URL {text!r}: only http and https are supported")
    if not parts.hostname:
        return BadSource(text, "invalid-input", f"invalid URL {text!r}: no host")
    return Source(text.strip(), "url", text)


def _file_source(path: Path, label: str) -> Source | BadSource:
    if not path.exists():
        return BadSource(label, "invalid-input", f"no such file: {label}")
    try:
        head = path.open("rb").read(4096)
    except OSError as exc:
        return BadSource(label, "invalid-input", f"cannot read {label}: {exc.strerror or exc}")
    if not looks_like_html(head):
        return BadSource(label, "not-html", f"not an HTML file: {label}")
    return Source(path.resolve().as_uri(), "file", label)


def looks_like_html(head: bytes) -> bool:
    """Sniff the first bytes: a UTF-16 BOM, or text without NUL bytes that has a tag in it."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in head and b"<" in head
