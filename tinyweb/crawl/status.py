"""`tinyweb status`: what a workspace holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from tinyweb.store import PageStore
from tinyweb.workspace import Workspace


@dataclass
class WorkspaceStatus:
    pages: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    frontier: dict[str, int] = field(default_factory=dict)
    hosts: list[tuple[str, int]] = field(default_factory=list)
    host_count: int = 0
    raw_bytes: int = 0
    styled_bytes: int = 0
    median_fidelity: float | None = None


def workspace_status(workspace: Workspace, top_hosts: int = 10) -> WorkspaceStatus:
    with PageStore(workspace.db_path) as store:
        conn = store.conn
        status = WorkspaceStatus()
        status.pages = {row[0]: row[1] for row in conn.execute("SELECT status, COUNT(*) FROM pages GROUP BY status")}
        status.errors = {
            row[0] or "other": row[1]
            for row in conn.execute("SELECT error_kind, COUNT(*) FROM pages WHERE status = 'error' GROUP BY error_kind")
        }
        status.frontier = {
            row[0]: row[1] for row in conn.execute("SELECT state, COUNT(*) FROM frontier GROUP BY state")
        }
        hosts: dict[str, int] = {}
        for (url,) in conn.execute("SELECT url FROM pages WHERE status = 'ok'"):
            host = "(local files)" if url.startswith("file:") else url.split("/")[2]
            hosts[host] = hosts.get(host, 0) + 1
        status.host_count = len(hosts)
        status.hosts = sorted(hosts.items(), key=lambda kv: (-kv[1], kv[0]))[:top_hosts]
        row = conn.execute(
            "SELECT COALESCE(SUM(LENGTH(CAST(raw_html AS BLOB))), 0), "
            "COALESCE(SUM(LENGTH(CAST(styled_html AS BLOB))), 0) FROM pages WHERE status = 'ok'"
        ).fetchone()
        status.raw_bytes, status.styled_bytes = row[0], row[1]
        fidelities = [
            r[0] for r in conn.execute("SELECT fidelity FROM pages WHERE fidelity IS NOT NULL ORDER BY fidelity")
        ]
        if fidelities:
            status.median_fidelity = fidelities[len(fidelities) // 2]
    return status
