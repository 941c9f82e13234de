"""Crawl benchmark against a local server of the shared corpus pages.

    python benchmarks/crawl.py [--corpus ../shared/corpus] [--pages 500] [--latency 0.05] [--json out.json]

The server (a separate process on 127.0.0.1) serves the corpus pages under /N.html, each
with links to the next pages added, and answers every request after --latency seconds to
stand in for a network. Side by side on the same server:

- baseline: a plain sequential httpx loop over the same URLs;
- tinyweb crawl --no-render (fetch, links, frontier, store);
- tinyweb crawl with capture (Chromium, JavaScript off), with the resident memory of the
  crawler and its browser sampled as pages are stored (the page pool must not leak tabs).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from corpus import DEFAULT_CORPUS

CONCURRENCY = 16

SERVER = r"""
import http.server, sys, time
from pathlib import Path
files = sorted(p for d in ("pages", "design2code") for p in (Path(sys.argv[1]) / d).glob("*.html"))
bodies = [f.read_bytes() for f in files]
total, latency = int(sys.argv[2]), float(sys.argv[3])

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        time.sleep(latency)
        if self.path == "/":
            body = "".join(f'<a href="/{n}.html">{n}</a> ' for n in range(total)).encode()
            body = b"<html><body>" + body + b"</body></html>"
        elif self.path.endswith(".html") and self.path[1:-5].isdigit() and int(self.path[1:-5]) < total:
            n = int(self.path[1:-5])
            links = "".join(f'<a href="/{m}.html">next</a>' for m in (n + 1, n + 2) if m < total)
            # A marker per URL keeps repeated corpus pages distinct for the content-hash dedupe.
            body = bodies[n % len(bodies)] + f"<!-- copy {n} --><p>{links}</p>".encode()
        else:
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def start_server(corpus: Path, pages: int, latency: float) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(corpus), str(pages), str(latency)], stdout=subprocess.PIPE, text=True
    )
    port = int(process.stdout.readline())
    return process, f"http://127.0.0.1:{port}"


def baseline(base: str, pages: int) -> float:
    """Pages per second of a plain sequential httpx loop."""
    started = time.perf_counter()
    with httpx.Client() as client:
        for n in range(pages):
            client.get(f"{base}/{n}.html").raise_for_status()
    return pages / (time.perf_counter() - started)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(stat[1]), []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total / 1024


def run_crawl(base: str, pages: int, render: bool, workdir: Path) -> dict:
    seeds = workdir / "seeds.txt"
    seeds.write_text(base + "/\n")
    workspace = workdir / ("render" if render else "fetch")
    command = [
        sys.executable,
        "-m",
        "tinyweb",
        "crawl",
        str(seeds),
        "-w",
        str(workspace),
        "--allow-private",
        "--per-host-delay",
        "0",
        "--concurrency",
        str(CONCURRENCY),
        "--max-pages",
        str(pages + 1),
        "--max-depth",
        "2",
        "--no-sitemaps",
        "--include",
        r"^http://127\.0\.0\.1:\d+/(\d+\.html)?$",  # only the benchmark's pages: corpus links would 404
        "--render" if render else "--no-render",
        "--no-js",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[tuple[int, float]] = []
    stop = threading.Event()

    def sample() -> None:
        import sqlite3

        db = workspace / "pages.db"
        while not stop.wait(2.0):
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        done = conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
                except sqlite3.Error:
                    continue
                samples.append((done, tree_rss_mb(process.pid)))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    process.wait()
    stop.set()
    wall = time.perf_counter() - started
    # The crawl's own clock (crawl.json) leaves out interpreter start-up, as the baseline does.
    summary = json.loads((workspace / "crawl.json").read_text())["summary"]
    seconds = summary["seconds"]
    return {
        "pages": pages + 1,
        "stored": summary["stored"],
        "failed": summary["failed"],
        "seconds": seconds,
        "wall_seconds": wall,
        "pages_per_s": (pages + 1) / seconds,
        "rss_samples": samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05, help="Seconds the server waits per response.")
    parser.add_argument("--fetch-only", action="store_true", help="Skip the capture crawl.")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    server, base = start_server(args.corpus, args.pages, args.latency)
    try:
        sequential = baseline(base, min(args.pages, 200))
        with tempfile.TemporaryDirectory() as tmp:
            fetch = run_crawl(base, args.pages, False, Path(tmp))
            render = run_crawl(base, args.pages, True, Path(tmp)) if not args.fetch_only else None
    finally:
        server.terminate()
    rss = render["rss_samples"] if render else []
    quarter = max(1, len(rss) // 4)
    early = sum(m for _, m in rss[:quarter]) / quarter if rss else 0.0
    late = sum(m for _, m in rss[-quarter:]) / quarter if rss else 0.0
    rows = [
        ("sequential httpx loop (baseline)", sequential),
        (f"tinyweb crawl --no-render, concurrency {CONCURRENCY}", fetch["pages_per_s"]),
    ]
    if render:
        rows.append(("tinyweb crawl with capture, 2 browser pages", render["pages_per_s"]))
    print(f"server latency {args.latency * 1000:.0f} ms per response, {args.pages} pages + index\n")
    print("| method | pages/s | ratio to sequential httpx |")
    print("|---|---|---|")
    for label, rate in rows:
        print(f"| {label} | {rate:.2f} | {rate / sequential:.2f}x |")
    for name, run in (("fetch-only", fetch), ("capture", render)):
        if run:
            print(f"\n{name} crawl: {run['stored']} pages stored, {run['failed']} failed, {run['seconds']:.1f} s")
    print(f"\nmemory of crawler + Chromium while capturing: first quarter {early:.0f} MB, last quarter {late:.0f} MB")
    print("samples (pages stored, MB): " + ", ".join(f"({p}, {m:.0f})" for p, m in rss[:: max(1, len(rss) // 10)]))
    if args.json:
        args.json.write_text(json.dumps({"sequential": sequential, "fetch": fetch, "render": render}, indent=2))


if __name__ == "__main__":
    main()
