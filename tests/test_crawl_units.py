"""Frontier rules without a network: normalisation, scope, traps, charsets, address safety."""

from __future__ import annotations

import re

import pytest

from tinyweb.crawl.fetch import decode_html
from tinyweb.crawl.safety import is_public
from tinyweb.crawl.urls import Scope, looks_like_trap, normalize_url


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("HTTP://Example.COM:80/a?b=2&a=1#frag", "http://example.com/a?a=1&b=2"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com/?utm_source=x&id=3&fbclid=y", "https://example.com/?id=3"),
        ("mailto:someone@example.com", None),
        ("javascript:void(0)", None),
        ("ftp://example.com/file", None),
        ("http://", None),
        ("http://[::1]:8080/", "http://[::1]:8080/"),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


def test_relative_links_resolve_against_the_page():
    assert normalize_url("../b.html", "https://example.com/a/c.html") == "https://example.com/b.html"
    assert normalize_url("//cdn.example.com/x", "https://example.com/") == "https://cdn.example.com/x"


def test_scope_rules():
    seeds = ("https://www.example.com/",)
    assert Scope(seeds).allows("https://www.example.com/a")
    assert not Scope(seeds).allows("https://blog.example.com/a")
    assert Scope(seeds, "same-domain").allows("https://blog.example.com/a")
    assert not Scope(seeds, "same-domain").allows("https://example.org/")
    assert Scope(seeds, "any").allows("https://example.org/")
    assert not Scope(seeds, exclude=re.compile(r"/tag/")).allows("https://www.example.com/tag/x")
    assert not Scope(seeds, include=re.compile(r"/news/")).allows("https://www.example.com/about")


def test_traps_are_recognised():
    assert looks_like_trap("https://e.com/" + "a/" * 5) is not None
    assert looks_like_trap("https://e.com/" + "x" * 2100) is not None
    assert looks_like_trap("https://e.com/a/b/c/d") is None


def test_charsets_are_decoded_without_mojibake():
    assert decode_html("café".encode("latin-1"), "iso-8859-1") == ("café", "iso8859-1")
    meta = b"<meta charset='windows-1252'><p>" + "naïve".encode("cp1252")
    assert decode_html(meta, None)[0].endswith("naïve")
    assert decode_html("Größe".encode(), None) == ("Größe", "utf-8")
    assert decode_html("sí".encode("cp1252"), None) == ("sí", "windows-1252")  # not UTF-8: fallback
    assert decode_html(b"\xef\xbb\xbfhola", "iso-8859-1")[0] == "hola"  # a BOM wins


@pytest.mark.parametrize(
    "address, public",
    [
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
        ("2606:4700::1111", True),
    ],
)
def test_address_safety(address, public):
    assert is_public(address) is public
