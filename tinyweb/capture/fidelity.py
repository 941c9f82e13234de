"""Pixel fidelity: how much of the styled page looks exactly like the original."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Fidelity:
    identical: float
    """Share of identical pixels over the larger of the two canvases (0-1)."""
    size_match: bool
    """Both full-page screenshots have the same width and height."""
    original_size: tuple[int, int]
    styled_size: tuple[int, int]


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _padded(pixels: np.ndarray, height: int, width: int, fill: int) -> np.ndarray:
    out = np.full((height, width, 3), fill, dtype=np.int16)
    out[: pixels.shape[0], : pixels.shape[1]] = pixels
    return out


def compare_screenshots(original_png: bytes, styled_png: bytes) -> tuple[Fidelity, np.ndarray]:
    """Fidelity of two screenshots, and a boolean mask of differing pixels."""
    a, b = _pixels(original_png), _pixels(styled_png)
    height, width = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    # Pad with values no real pixel has, so area outside one page always counts as different.
    pa, pb = _padded(a, height, width, -1), _padded(b, height, width, -2)
    differs = (pa != pb).any(axis=2)
    fidelity = Fidelity(
        identical=float(1.0 - differs.mean()) if differs.size else 1.0,
        size_match=a.shape[:2] == b.shape[:2],
        original_size=(a.shape[1], a.shape[0]),
        styled_size=(b.shape[1], b.shape[0]),
    )
    return fidelity, differs


def diff_png(original_png: bytes, differs: np.ndarray) -> bytes:
    """The original, faded, with differing pixels in red: where to look."""
    a = _pixels(original_png)
    canvas = np.full(differs.shape + (3,), 255, dtype=np.uint8)
    canvas[: a.shape[0], : a.shape[1]] = (a.astype(np.uint16) // 3 + 170).astype(np.uint8)
    canvas[differs] = (230, 0, 0)
    buffer = io.BytesIO()
    Image.fromarray(canvas).save(buffer, format="PNG")
    return buffer.getvalue()
