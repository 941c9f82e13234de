"""SQLite page store (WAL): one row per captured page, plus a schema version."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    title TEXT,
    description TEXT,
    lang TEXT,
    charset TEXT,
    raw_html TEXT,
    styled_html TEXT,
    text TEXT,
    elements INTEGER,
    declarations INTEGER,
    fidelity REAL,
    size_match INTEGER,
    load_ms INTEGER,
    capture_ms INTEGER,
    verify_ms INTEGER,
    stats TEXT,
    error_kind TEXT,
    error TEXT,
    captured_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_status ON pages(status);
CREATE TABLE IF NOT EXISTS frontier (
    url TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    depth INTEGER NOT NULL,
    state TEXT NOT NULL,
    found_on TEXT,
    error TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS frontier_state ON frontier(state, depth);
CREATE INDEX IF NOT EXISTS frontier_host ON frontier(host);
"""
# Columns added after version 1, created on older stores when they are opened.
ADDED_COLUMNS = {
    "content_hash": "TEXT",
    "depth": "INTEGER",
    # written by topics and build-css
    "topic": "TEXT",
    "semantic_html": "TEXT",
    "semantic_fidelity": "REAL",
}


@dataclass
class PageRecord:
    """One captured page (or one failed attempt, with error_kind and error set)."""

    url: str
    source: str
    status: str = "ok"
    title: str = ""
    description: str = ""
    lang: str = ""
    charset: str = ""
    raw_html: str | None = None
    styled_html: str | None = None
    text: str = ""
    elements: int | None = None
    declarations: int | None = None
    fidelity: float | None = None
    size_match: bool | None = None
    load_ms: int | None = None
    capture_ms: int | None = None
    verify_ms: int | None = None
    stats: dict = field(default_factory=dict)
    content_hash: str | None = None
    depth: int | None = None
    topic: str | None = None
    semantic_html: str | None = None
    semantic_fidelity: float | None = None
    error_kind: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


COLUMNS = [f.name for f in fields(PageRecord)] + ["captured_at"]


class PageStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.conn = sqlite3.connect(self.path)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        # Pages are large rows: checkpoint (and fsync) every ~40 MB of log, not every 4 MB.
        self.conn.execute("PRAGMA wal_autocheckpoint=10000")
        self.conn.executescript(SCHEMA)
        existing = {row["name"] for row in self.conn.execute("PRAGMA table_info(pages)")}
        for column, kind in ADDED_COLUMNS.items():
            if column not in existing:
                self.conn.execute(f"ALTER TABLE pages ADD COLUMN {column} {kind}")
        self.conn.execute("CREATE INDEX IF NOT EXISTS pages_content_hash ON pages(content_hash)")
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(SCHEMA_VERSION),),
        )
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PageStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row["value"])

    def save(self, record: PageRecord, commit: bool = True) -> None:
        """Insert or replace the page with this URL (committed at once unless commit=False)."""
        values = asdict(record)
        values["stats"] = json.dumps(record.stats)
        values["size_match"] = None if record.size_match is None else int(record.size_match)
        values["captured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        placeholders = ", ".join("?" for _ in COLUMNS)
        updates = ", ".join(f"{c}=excluded.{c}" for c in COLUMNS if c != "url")
        self.conn.execute(
            f"INSERT INTO pages({', '.join(COLUMNS)}) VALUES ({placeholders}) ON CONFLICT(url) DO UPDATE SET {updates}",
            [values[c] for c in COLUMNS],
        )
        if commit:
            self.conn.commit()

    def update_columns(self, url: str, commit: bool = True, **values) -> None:
        """Set a few columns of one stored page (later stages add topic and semantic html)."""
        unknown = set(values) - set(COLUMNS)
        if unknown:
            raise ValueError(f"unknown page columns: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.conn.execute(f"UPDATE pages SET {assignments} WHERE url = ?", [*values.values(), url])
        if commit:
            self.conn.commit()

    def get(self, url: str) -> PageRecord | None:
        row = self.conn.execute("SELECT * FROM pages WHERE url = ?", (url,)).fetchone()
        return None if row is None else _record(row)

    def pages(self, status: str | None = None) -> list[PageRecord]:
        query, params = "SELECT * FROM pages", ()
        if status:
            query, params = query + " WHERE status = ?", (status,)
        return [_record(row) for row in self.conn.execute(query + " ORDER BY id", params)]

    def has_content(self, content_hash: str) -> str | None:
        """URL of a stored page with this content hash, if any."""
        row = self.conn.execute("SELECT url FROM pages WHERE content_hash = ? LIMIT 1", (content_hash,)).fetchone()
        return None if row is None else row["url"]

    def count(self, status: str | None = None) -> int:
        if status:
            return self.conn.execute("SELECT COUNT(*) FROM pages WHERE status = ?", (status,)).fetchone()[0]
        return self.conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0]


def _record(row: sqlite3.Row) -> PageRecord:
    values = {name: row[name] for name in COLUMNS if name != "captured_at"}
    values["stats"] = json.loads(values["stats"] or "{}")
    if values["size_match"] is not None:
        values["size_match"] = bool(values["size_match"])
    return PageRecord(**values)
