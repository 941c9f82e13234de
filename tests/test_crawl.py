"""The crawler against local servers: a linked site, a hostile server, SSRF, kill -9 and resume."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from tests.crawl_server import Site, corpus_site, flaky, html_page, linked_site, serve, slow
from tinyweb.cli import app
from tinyweb.crawl.crawler import CrawlOptions, crawl
from tinyweb.store import PageStore

runner = CliRunner()


def seeds_file(tmp_path: Path, *urls: str) -> Path:
    path = tmp_path / "seeds.txt"
    path.write_text("# test seeds\n" + "\n".join(urls) + "\n")
    return path


def options(tmp_path: Path, seeds: Path, **overrides) -> CrawlOptions:
    values = dict(
        seeds_file=seeds,
        workspace=tmp_path / "ws",
        allow_private=True,
        per_host_delay_s=0,
        render=False,
        timeout_s=5,
        max_pages=100,
    )
    values.update(overrides)
    return CrawlOptions(**values)


def stored(tmp_path: Path) -> dict[str, object]:
    with PageStore(tmp_path / "ws" / "pages.db") as store:
        return {record.url: record for record in store.pages()}


def test_crawl_renders_a_linked_site_and_obeys_robots_and_sitemaps(tmp_path: Path):
    site = corpus_site()  # real pages: /c0.html -> /c1.html -> /c2.html -> /c0.html
    site.page("/", "Home", ["/c0.html", "/private/secret.html"])
    site.page("/private/secret.html", "Secret", [])
    site.page("/only-in-sitemap.html", "Listed", [])
    site.raw("/robots.txt", 200, "text/plain", b"User-agent: *\nDisallow: /private/\n")
    with serve(site) as base:
        sitemap = f"<urlset><url><loc>{base}/only-in-sitemap.html</loc></url></urlset>".encode()
        site.raw("/sitemap.xml", 200, "application/xml", sitemap)
        summary = crawl(options(tmp_path, seeds_file(tmp_path, f"{base}/"), render=True, javascript=False))
        pages = stored(tmp_path)
    assert summary.stored == 5 and summary.skipped == 1
    assert f"{base}/only-in-sitemap.html" in pages
    assert f"{base}/private/secret.html" not in pages
    for record in pages.values():
        assert record.ok and record.styled_html and "<style" not in record.styled_html
        assert record.content_hash and record.depth is not None
    assert pages[f"{base}/c0.html"].title.startswith("[NAME REDACTED] | Assistant Professor")
    assert pages[f"{base}/c0.html"].declarations / pages[f"{base}/c0.html"].elements < 8
    assert all(count == 1 for path, count in site.hits.items() if path.endswith(".html"))


def test_hostile_server_fails_cleanly_and_the_crawl_goes_on(tmp_path: Path):
    site = Site()
    routes = [
        "/retry500.html",
        "/retry429.html",
        "/loop1.html",
        "/huge.html",
        "/image.png",
        "/slow.html",
        "/latin1.html",
        "/trap/a/a/a/a/a/",
        "/gone.html",
        "/track.html?utm_source=x",
        "/track.html",
    ]
    site.page("/", "Hostile", routes)
    site.routes["/retry500.html"] = flaky(1, 500, html_page("Recovered", []))
    site.routes["/retry429.html"] = flaky(1, 429, html_page("Waited", []), {"Retry-After": "1"})
    site.raw("/loop1.html", 302, "text/html", b"", {"Location": "/loop2.html"})
    site.raw("/loop2.html", 302, "text/html", b"", {"Location": "/loop1.html"})
    site.raw("/huge.html", 200, "text/html", b"<p>" + b"x" * 6_000_000)
    site.raw("/image.png", 200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    site.routes["/slow.html"] = slow(3)
    site.raw("/latin1.html", 200, "text/html", "<html><body><p>Café à la crème</p></body></html>".encode("latin-1"))
    site.page("/trap/a/a/a/a/a/", "Trap", ["a/"])
    site.page("/track.html", "Tracked", [])
    site.raw("/gone.html", 404, "text/html", b"gone")
    with serve(site) as base:
        summary = crawl(options(tmp_path, seeds_file(tmp_path, base + "/"), timeout_s=1.5))
        pages = stored(tmp_path)
    errors = {url.removeprefix(base): (r.error_kind, r.error) for url, r in pages.items() if not r.ok}
    assert pages[f"{base}/retry500.html"].ok and pages[f"{base}/retry429.html"].ok
    assert errors["/loop1.html"] == ("http", "more than 5 redirects")
    assert errors["/huge.html"][0] == "too-large"
    assert errors["/image.png"] == ("not-html", "not an HTML page (content-type image/png)")
    assert errors["/slow.html"][0] == "timeout"
    assert errors["/gone.html"] == ("http", "HTTP 404")
    assert "Café à la crème" in pages[f"{base}/latin1.html"].text
    assert not any("/trap/" in url for url in pages)  # a repeating path segment is a trap
    assert site.hits["/track.html"] == 1 and f"{base}/track.html" in pages  # tracking parameter removed
    assert summary.errors == {"http": 2, "too-large": 1, "not-html": 1, "timeout": 1}


def test_private_addresses_are_refused_unless_allowed(tmp_path: Path):
    site = linked_site(1)
    with serve(site) as base:
        summary = crawl(options(tmp_path, seeds_file(tmp_path, f"{base}/p0.html"), allow_private=False))
        pages = stored(tmp_path)
    record = pages[f"{base}/p0.html"]
    assert record.error_kind == "unsafe" and "non-public address 127.0.0.1" in record.error
    assert summary.stored == 0 and site.hits["/p0.html"] == 0


def test_kill_9_then_resume_loses_nothing_and_fetches_nothing_twice(tmp_path: Path):
    pages = 40
    site = linked_site(pages)
    site.page("/", "Index", [f"/p{n}.html" for n in range(pages)])
    with serve(site) as base:
        seeds = seeds_file(tmp_path, base + "/")
        command = [
            sys.executable,
            "-m",
            "tinyweb",
            "crawl",
            str(seeds),
            "-w",
            str(tmp_path / "ws"),
            "--allow-private",
            "--no-render",
            "--per-host-delay",
            "0.05",
            "--concurrency",
            "2",
            "--max-pages",
            "200",
            "--no-sitemaps",
        ]
        first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        db = tmp_path / "ws" / "pages.db"
        deadline = time.time() + 60
        while time.time() < deadline:
            time.sleep(0.1)
            if db.exists():
                with sqlite3.connect(db) as conn:
                    if conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0] >= 10:
                        break
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        with sqlite3.connect(db) as conn:
            before = conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
        assert 10 <= before < pages + 1
        second = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr
        with sqlite3.connect(db) as conn:
            urls = [row[0] for row in conn.execute("SELECT url FROM pages WHERE status = 'ok'")]
            states = dict(conn.execute("SELECT state, COUNT(*) FROM frontier GROUP BY state").fetchall())
    assert len(urls) == len(set(urls)) == pages + 1
    assert states == {"done": pages + 1}, states
    refetched = sum(count - 1 for path, count in site.hits.items() if path.endswith(".html") or path == "/")
    assert refetched <= 2  # at most the requests in flight when the first run was killed


def test_cli_crawl_status_and_errors(tmp_path: Path):
    site = linked_site(3)
    with serve(site) as base:
        seeds = seeds_file(tmp_path, f"{base}/p0.html")
        result = runner.invoke(
            app,
            [
                "crawl",
                str(seeds),
                "-w",
                str(tmp_path / "ws"),
                "--allow-private",
                "--no-render",
                "--per-host-delay",
                "0",
            ],
        )
    assert result.exit_code == 0, result.output
    assert "pages stored this run" in result.output
    status = runner.invoke(app, ["status", "-w", str(tmp_path / "ws")])
    assert status.exit_code == 0 and "pages: ok" in status.output and "127.0.0.1" in status.output
    missing = runner.invoke(app, ["status", "-w", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "no workspace" in missing.output
    bad_seeds = tmp_path / "bad.txt"
    bad_seeds.write_text("not a url\n")
    bad = runner.invoke(app, ["crawl", str(bad_seeds), "-w", str(tmp_path / "ws2")])
    assert bad.exit_code == 1 and "not an http(s) URL" in bad.output
    for command in ("crawl", "status"):
        assert runner.invoke(app, [command, "--help"]).exit_code == 0
