"""The crawl frontier, kept in pages.db so a crawl survives Ctrl-C or kill -9."""

from __future__ import annotations

import sqlite3
import time

from tinyweb.crawl.urls import host_of

# queued -> in_progress -> done | failed | skipped. in_progress rows found at start-up were
# cut off by an interruption and go back to queued.
STATES = ("queued", "in_progress", "done", "failed", "skipped")


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


class Frontier:
    def __init__(self, conn: sqlite3.Connection, max_per_host: int = 0):
        self.conn = conn
        self.max_per_host = max_per_host

    def resume(self) -> int:
        """Put interrupted URLs back in the queue; returns how many."""
        count = self.conn.execute(
            "UPDATE frontier SET state = 'queued', updated_at = ? WHERE state = 'in_progress'", (_now(),)
        ).rowcount
        self.conn.commit()
        return count

    def add(self, url: str, depth: int, found_on: str | None = None) -> bool:
        """Queue a URL unless it is known already or its host is full; True if queued."""
        host = host_of(url)
        if self.max_per_host:
            known = self.conn.execute("SELECT COUNT(*) FROM frontier WHERE host = ?", (host,)).fetchone()[0]
            if known >= self.max_per_host:
                return False
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO frontier(url, host, depth, state, found_on, updated_at) "
            "VALUES (?, ?, ?, 'queued', ?, ?)",
            (url, host, depth, found_on, _now()),
        )
        return cursor.rowcount == 1

    def candidates(self, limit: int = 64) -> list[tuple[str, str, int]]:
        """Queued (url, host, depth), shallowest first, in discovery order."""
        rows = self.conn.execute(
            "SELECT url, host, depth FROM frontier WHERE state = 'queued' ORDER BY depth, rowid LIMIT ?", (limit,)
        )
        return [(row[0], row[1], row[2]) for row in rows]

    def mark(self, url: str, state: str, error: str | None = None, commit: bool = True) -> None:
        self.conn.execute(
            "UPDATE frontier SET state = ?, error = ?, updated_at = ? WHERE url = ?", (state, error, _now(), url)
        )
        if commit:
            self.conn.commit()

    def commit(self) -> None:
        self.conn.commit()

    def counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT state, COUNT(*) FROM frontier GROUP BY state")
        counts = dict.fromkeys(STATES, 0)
        counts.update({row[0]: row[1] for row in rows})
        return counts
