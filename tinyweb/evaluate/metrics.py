"""Design2Code-style metrics of a generated page against its reference.

Blocks are text nodes read from the DOM (tinyweb.evaluate.render). Reference and generated
blocks are paired by the Hungarian algorithm on text similarity (pairs below
MATCH_THRESHOLD stay unmatched), then:

- block_match: area of matched blocks (both pages) over the area of all blocks (both pages),
  so missing and hallucinated blocks both cost;
- text: difflib SequenceMatcher ratio of matched texts;
- position: 1 - max(|dx|, |dy|) of matched block centres, each page's size normalised to 1;
- color: 1 - CIEDE2000/100 of matched text colours;
  text, position and color are averaged over matched pairs weighted by their area, as
  Design2Code does; each is 0 when nothing matched;
- ssim: screenshot SSIM over the windows where either page has content (tinyweb.evaluate.image),
  standing in for Design2Code's CLIP score;
- score: the mean of those five.
Two pages without any text blocks match perfectly on the block metrics.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from difflib import SequenceMatcher

import numpy as np

from tinyweb.evaluate.render import RenderedPage, TextBlock

MATCH_THRESHOLD = 0.5
BLOCK_METRICS = ("block_match", "text", "position", "color")
VISUAL_METRICS = (*BLOCK_METRICS, "ssim")


@dataclass(frozen=True)
class BlockScores:
    block_match: float
    text: float
    position: float
    color: float
    matched: int
    reference_blocks: int
    generated_blocks: int


def text_similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < MATCH_THRESHOLD or matcher.quick_ratio() < MATCH_THRESHOLD:
        return 0.0
    return matcher.ratio()


def _similarity_matrix(reference: list[TextBlock], generated: list[TextBlock]) -> np.ndarray:
    matrix = np.zeros((len(reference), len(generated)))
    for i, ref in enumerate(reference):
        for j, gen in enumerate(generated):
            matrix[i, j] = 1.0 if ref.text == gen.text else text_similarity(ref.text, gen.text)
    return matrix


def match_blocks(reference: list[TextBlock], generated: list[TextBlock]) -> list[tuple[int, int, float]]:
    """Pairs (reference index, generated index, text similarity) maximising total similarity."""
    from scipy.optimize import linear_sum_assignment

    if not reference or not generated:
        return []
    similarity = _similarity_matrix(reference, generated)
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    pairs = zip(rows.tolist(), cols.tolist(), strict=True)
    return [(i, j, float(similarity[i, j])) for i, j in pairs if similarity[i, j] >= MATCH_THRESHOLD]


def _centre(block: TextBlock, width: float, height: float) -> tuple[float, float]:
    return (block.x + block.w / 2) / max(width, 1.0), (block.y + block.h / 2) / max(height, 1.0)


def block_scores(reference: RenderedPage, generated: RenderedPage) -> BlockScores:
    from tinyweb.evaluate.color import color_similarity

    ref_blocks, gen_blocks = reference.blocks, generated.blocks
    counts = {"reference_blocks": len(ref_blocks), "generated_blocks": len(gen_blocks)}
    if not ref_blocks and not gen_blocks:
        return BlockScores(1.0, 1.0, 1.0, 1.0, 0, **counts)
    pairs = match_blocks(ref_blocks, gen_blocks)
    if not pairs:
        return BlockScores(0.0, 0.0, 0.0, 0.0, 0, **counts)
    total_area = sum(b.area for b in ref_blocks) + sum(b.area for b in gen_blocks)
    weights = np.array([ref_blocks[i].area + gen_blocks[j].area for i, j, _ in pairs])
    texts = np.array([sim for _, _, sim in pairs])
    positions = []
    for i, j, _ in pairs:
        rx, ry = _centre(ref_blocks[i], reference.width, reference.height)
        gx, gy = _centre(gen_blocks[j], generated.width, generated.height)
        positions.append(1 - max(abs(rx - gx), abs(ry - gy)))
    colors = color_similarity([ref_blocks[i].color for i, _, _ in pairs], [gen_blocks[j].color for _, j, _ in pairs])
    weight_sum = max(float(weights.sum()), 1e-12)
    return BlockScores(
        block_match=float(weights.sum() / max(total_area, 1e-12)),
        text=float((texts * weights).sum() / weight_sum),
        position=float((np.array(positions) * weights).sum() / weight_sum),
        color=float((colors * weights).sum() / weight_sum),
        matched=len(pairs),
        **counts,
    )


def page_metrics(reference: RenderedPage, generated: RenderedPage, generated_html: str) -> dict:
    """Every per-page figure: validity, the visual metrics, their mean, and structure statistics.

    An invalid generated page scores 0 on every visual metric.
    """
    from tinyweb.evaluate.image import screenshot_similarity
    from tinyweb.evaluate.structure import structure_stats, validity

    valid = validity(generated_html, generated)
    figures: dict = {"valid": valid["valid"], "validity": valid}
    if valid["valid"] and reference.rendered:
        blocks = block_scores(reference, generated)
        scores = asdict(blocks)
        scores["ssim"] = screenshot_similarity(reference.png, generated.png)
    else:
        scores = dict.fromkeys(VISUAL_METRICS, 0.0)
        scores.update(matched=0, reference_blocks=len(reference.blocks), generated_blocks=len(generated.blocks))
    figures.update(scores)
    figures["score"] = float(np.mean([scores[name] for name in VISUAL_METRICS]))
    figures["structure"] = structure_stats(generated_html)
    return figures


SUMMARY_FIELDS = ("valid", *VISUAL_METRICS, "score")
STRUCTURE_FIELDS = ("tags", "depth", "unique_tags")


def summarise(per_page: list[dict]) -> dict:
    """Means over pages of the visual metrics, validity rate and structure statistics."""
    if not per_page:
        return {"pages": 0}
    summary: dict = {"pages": len(per_page)}
    for name in SUMMARY_FIELDS:
        summary[name] = float(np.mean([float(page[name]) for page in per_page]))
    for name in STRUCTURE_FIELDS:
        summary[name] = float(np.mean([page["structure"][name] for page in per_page]))
    return summary
