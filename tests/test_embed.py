"""`tinyweb embed` on real pages: clean output, small styles, high pixel fidelity, clear failures."""

from __future__ import annotations

import socket
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from tinyweb.capture.embed import EmbedOptions, embed
from tinyweb.cli import app
from tinyweb.store import PageStore

runner = CliRunner()


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_real_pages_capture_clean_small_and_faithful(fixtures: Path, tmp_path: Path):
    pages = sorted((fixtures / "corpus").glob("*.html"))
    summary = embed(EmbedOptions(inputs=tuple(map(str, pages)), workspace=tmp_path, verify=True, network="same-host"))
    assert len(summary.ok) == len(pages) and not summary.failed
    for record in summary.ok:
        tree = LexborHTMLParser(record.styled_html)
        assert not tree.css("script, style, link, noscript, [class], [id], [onclick]"), record.url
        assert record.elements > 50
        assert record.declarations / record.elements < 8, record.url
        assert record.fidelity >= 0.99, (record.url, record.fidelity)
        assert record.size_match, record.url
        assert record.text.strip() and record.raw_html
    with PageStore(tmp_path / "pages.db") as store:
        assert store.count("ok") == len(pages)
        stored = store.get(summary.ok[0].url)
        assert stored.styled_html == summary.ok[0].styled_html and stored.fidelity == summary.ok[0].fidelity
    assert (tmp_path / "embed.json").is_file()


def test_cli_embed_writes_files_and_skips_what_is_stored(fixtures: Path, tmp_path: Path):
    page = fixtures / "corpus" / "2310.html"
    out = tmp_path / "out"
    result = runner.invoke(app, ["embed", str(page), "-w", str(tmp_path / "ws"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "2310.html").read_text().startswith("<!DOCTYPE html PUBLIC")
    assert "pages captured" in result.output
    again = runner.invoke(app, ["embed", str(page), "-w", str(tmp_path / "ws")])
    assert again.exit_code == 0
    assert "already in store" in again.output


def test_bad_inputs_fail_one_line_each_and_the_batch_goes_on(fixtures: Path, tmp_path: Path, local_server):
    base, routes, folder = local_server
    routes["/image"] = (200, "image/png", b"\x89PNG\r\n\x1a\n", 0)
    routes["/missing"] = (404, "text/html", b"<h1>gone</h1>", 0)
    routes["/slow"] = (200, "text/html", b"<html><body>" + b"x" * 100, 30)
    (folder / "ok.html").write_text("<html><body><h1>served</h1></body></html>")
    binary = tmp_path / "binary.html"
    binary.write_bytes(b"\x00\x01\x02\x03" * 100)
    inputs = [
        str(fixtures / "corpus" / "13166.html"),
        str(tmp_path / "nope.html"),
        str(binary),
        "ftp://example.com/",
        "http://",
        f"{base}/ok.html",
        f"{base}/image",
        f"{base}/missing",
        f"{base}/slow",
        f"http://127.0.0.1:{closed_port()}/",
    ]
    result = runner.invoke(app, ["embed", *inputs, "-w", str(tmp_path / "ws"), "--timeout", "2"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")] if result.stderr_bytes else []
    text = result.output + (result.stderr if result.stderr_bytes else "")
    for expected in [
        "no such file",
        "not an HTML file",
        "only http and https",
        "no host",
        "content-type image/png",
        "HTTP 404",
        "timed out after 2s",
        "host unreachable",
    ]:
        assert expected in text, expected
    with PageStore(tmp_path / "ws" / "pages.db") as store:
        assert store.count("ok") == 2
        assert store.count("error") == 8
        kinds = {r.error_kind for r in store.pages("error")}
    assert kinds == {"invalid-input", "not-html", "http", "timeout", "unreachable"}
    assert all("Traceback" not in line for line in errors)


def test_help_for_every_command():
    for command in ([], ["embed"], ["defaults"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_defaults_json_shows_the_user_agent_stylesheet():
    import json

    result = runner.invoke(app, ["defaults", "h1", "a[href]", "input[type=checkbox]", "--json"])
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)
    assert table["h1"]["font-size"] == "32px" and table["h1"]["display"] == "block"
    assert table["a[href]"]["cursor"] == "pointer"
    assert "width" not in table["h1"]  # width: auto is not a default the stylesheet sets
    listed = runner.invoke(app, ["defaults", "--tags", "h2,ul", "--json"])
    assert sorted(json.loads(listed.stdout)) == ["h2", "ul"]


def test_renderer_crash_is_one_error_and_the_pool_recovers(fixtures: Path):
    import asyncio

    from tinyweb.browser import BrowserOptions, BrowserPool
    from tinyweb.capture.page import CaptureOptions, capture_page
    from tinyweb.capture.sources import Source

    page_file = Source((fixtures / "corpus" / "2310.html").resolve().as_uri(), "file", "2310.html")

    async def go():
        async with BrowserPool(BrowserOptions(pages=1, network="none")) as pool:
            async with pool.page() as page:
                crashed, _ = await capture_page(
                    page, Source("chrome://crash", "url", "crash"), CaptureOptions(timeout_s=10)
                )
            async with pool.page() as page:
                after, _ = await capture_page(page, page_file, CaptureOptions(timeout_s=10))
        return crashed, after

    crashed, after = asyncio.run(go())
    assert crashed.error_kind == "crash" and crashed.error == "the renderer crashed on this page"
    assert after.ok and after.styled_html
