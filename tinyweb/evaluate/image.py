"""Whole-image similarity: SSIM of two screenshots, without CLIP or any downloaded model."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

COMPARE_WIDTH = 320
"""Screenshots are scaled to this width before SSIM: layout, not anti-aliasing, is what counts."""
WINDOW = 7
K1, K2, DATA_RANGE = 0.01, 0.03, 255.0
FLAT = 1.0
"""A window whose grey-level variance is at most this is background."""
SHADE = 8.0
"""Flat windows count as content when the two pages' grey levels differ by more than this."""


def _gray(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.float64)


def _box_mean(x: np.ndarray, size: int) -> np.ndarray:
    """Mean over every size x size window (valid region only), via a summed-area table."""
    s = np.pad(x, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    total = s[size:, size:] - s[:-size, size:] - s[size:, :-size] + s[:-size, :-size]
    return total / (size * size)


def ssim_map(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SSIM of every 7x7 window (uniform window, as scikit-image's default), and where either image has content."""
    n = WINDOW * WINDOW
    cov_norm = n / (n - 1)
    ux, uy = _box_mean(a, WINDOW), _box_mean(b, WINDOW)
    vx = cov_norm * (_box_mean(a * a, WINDOW) - ux * ux)
    vy = cov_norm * (_box_mean(b * b, WINDOW) - uy * uy)
    vxy = cov_norm * (_box_mean(a * b, WINDOW) - ux * uy)
    c1, c2 = (K1 * DATA_RANGE) ** 2, (K2 * DATA_RANGE) ** 2
    s = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2))
    content = (vx > FLAT) | (vy > FLAT) | (np.abs(ux - uy) > SHADE)
    return s, content


def ssim(a: np.ndarray, b: np.ndarray, content_only: bool = False) -> float:
    """Mean SSIM of two equal-shape grey images.

    content_only: average over windows where either image is not flat or the two differ, so
    the empty background two pages share does not count as agreement (1.0 when there is none).
    """
    if a.shape != b.shape:
        raise ValueError("ssim needs images of one shape")
    if min(a.shape) < WINDOW:
        return float(np.array_equal(a, b))
    s, content = ssim_map(a, b)
    if content_only:
        return float(s[content].mean()) if content.any() else 1.0
    return float(s.mean())


def screenshot_similarity(png_a: bytes, png_b: bytes, width: int = COMPARE_WIDTH) -> float:
    """SSIM of two screenshots over the windows with content: both padded with white to a common
    canvas, scaled to `width`, compared in grey levels."""
    a, b = _gray(png_a), _gray(png_b)
    height, full_width = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    scaled = (width, max(WINDOW, round(height * width / full_width)))
    images = []
    for pixels in (a, b):
        canvas = np.full((height, full_width), 255.0)
        canvas[: pixels.shape[0], : pixels.shape[1]] = pixels
        image = Image.fromarray(canvas.astype(np.uint8)).resize(scaled, Image.Resampling.BOX)
        images.append(np.asarray(image, dtype=np.float64))
    return ssim(images[0], images[1], content_only=True)
