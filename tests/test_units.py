"""Pure-Python pieces: sources, network policies, fidelity, store, workspace."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from tinyweb.browser import NETWORK_POLICIES, BrowserOptions, find_chromium, parse_viewport
from tinyweb.capture.fidelity import compare_screenshots
from tinyweb.capture.sources import BadSource, Source, resolve_sources
from tinyweb.errors import BrowserNotFound, TinywebError, WorkspaceError
from tinyweb.store import PageRecord, PageStore
from tinyweb.workspace import Workspace


def png(width: int, height: int, color=(255, 255, 255), dot=None) -> bytes:
    image = Image.new("RGB", (width, height), color)
    if dot:
        image.putpixel(dot, (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_fidelity_counts_identical_pixels_and_size():
    same, _ = compare_screenshots(png(10, 10), png(10, 10))
    assert same.identical == 1.0 and same.size_match
    one_off, mask = compare_screenshots(png(10, 10), png(10, 10, dot=(3, 4)))
    assert one_off.identical == pytest.approx(0.99) and mask[4, 3]
    taller, _ = compare_screenshots(png(10, 10), png(10, 20))
    assert taller.identical == pytest.approx(0.5) and not taller.size_match


def test_sources_expand_folders_and_reject_bad_input(tmp_path: Path):
    (tmp_path / "a.html").write_text("<p>a</p>")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.htm").write_text("<p>b</p>")
    (tmp_path / "notes.txt").write_text("not collected")
    (tmp_path / "empty").mkdir()
    found = resolve_sources([str(tmp_path), "https://example.com/x", "mailto:a@b", str(tmp_path / "empty")])
    files = [s for s in found if isinstance(s, Source) and s.kind == "file"]
    assert [Path(s.label).name for s in files] == ["a.html", "b.htm"]
    assert files[0].url.startswith("file://")
    assert any(isinstance(s, Source) and s.url == "https://example.com/x" for s in found)
    bad = [s for s in found if isinstance(s, BadSource)]
    assert {b.kind for b in bad} == {"invalid-input"} and len(bad) == 2
    with pytest.raises(TinywebError):
        resolve_sources([])


@pytest.mark.parametrize(
    "policy, request_url, page_url, allowed",
    [
        ("same-host", "http://a.com/x.css", "http://a.com/", True),
        ("same-host", "http://cdn.a.com/x.css", "http://a.com/", False),
        ("same-site", "http://cdn.a.com/x.css", "http://www.a.com/", True),
        ("same-site", "http://b.com/x.css", "http://a.com/", False),
        ("same-site", "https://x.bbc.co.uk/s.css", "https://www.bbc.co.uk/", True),
        ("same-host", "file:///tmp/a.css", "file:///tmp/p.html", True),
        ("same-host", "http://a.com/x.css", "file:///tmp/p.html", False),
        ("none", "http://a.com/x.css", "http://a.com/", False),
        ("none", "data:image/png;base64,AA", "http://a.com/", True),
        ("all", "http://b.com/", "http://a.com/", True),
    ],
)
def test_network_policies(policy, request_url, page_url, allowed):
    assert NETWORK_POLICIES[policy](request_url, page_url) is allowed


def test_browser_options_name_the_flag():
    with pytest.raises(TinywebError, match="--network"):
        BrowserOptions(network="some")
    with pytest.raises(TinywebError, match="--viewport"):
        parse_viewport("wide")
    assert parse_viewport("1024x768") == (1024, 768)


def test_chromium_override_must_exist(monkeypatch):
    monkeypatch.setenv("TINYWEB_CHROMIUM", "/no/such/chrome")
    with pytest.raises(BrowserNotFound, match="TINYWEB_CHROMIUM"):
        find_chromium(None)


def test_no_chromium_anywhere_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.delenv("TINYWEB_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BrowserNotFound, match="apt-get install chromium"):
        find_chromium(str(tmp_path / "no-playwright-browser"))


def test_store_round_trip_in_wal_mode(tmp_path: Path):
    with PageStore(tmp_path / "pages.db") as store:
        store.save(
            PageRecord(
                url="file:///a.html", source="file", styled_html="<p>", fidelity=0.5, size_match=True, stats={"n": 1}
            )
        )
        store.save(PageRecord(url="file:///a.html", source="file", styled_html="<p>2", fidelity=1.0, size_match=False))
        assert store.count() == 1
        page = store.get("file:///a.html")
        assert page.styled_html == "<p>2" and page.size_match is False and page.stats == {}
        assert store.schema_version() == 2
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_missing_workspace_is_a_clear_error(tmp_path: Path):
    with pytest.raises(WorkspaceError, match="no workspace"):
        Workspace.open(tmp_path / "nowhere")
    assert Workspace.create(tmp_path / "new").root.is_dir()
    assert os.path.isdir(tmp_path / "new")
