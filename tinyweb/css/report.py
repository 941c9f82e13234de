"""Compression of the page corpus, styled -> semantic, in characters and tokens."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass

STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')


@dataclass
class CompressionReport:
    styled_chars: int
    semantic_chars: int
    styled_tokens: int
    semantic_tokens: int
    median_token_ratio: float
    """Median over pages of styled tokens / semantic tokens (framework.css not counted)."""
    median_char_ratio: float
    median_ceiling_ratio: float
    """Median of styled tokens / tokens with every style attribute deleted: the most any class scheme can give."""
    corpus_token_ratio_with_framework: float
    """All styled tokens / (all semantic tokens + framework.css once)."""


def compression_report(
    pages: list[tuple[str, str, str]], count_tokens: Callable[[str], int], framework_css: str
) -> CompressionReport:
    token_ratios, char_ratios, ceilings = [], [], []
    styled_chars = semantic_chars = styled_tokens = semantic_tokens = 0
    for _url, styled, semantic in pages:
        st, se = count_tokens(styled), count_tokens(semantic)
        bare = count_tokens(STYLE_ATTRIBUTE.sub("", styled))
        styled_chars += len(styled)
        semantic_chars += len(semantic)
        styled_tokens += st
        semantic_tokens += se
        token_ratios.append(st / max(se, 1))
        char_ratios.append(len(styled) / max(len(semantic), 1))
        ceilings.append(st / max(bare, 1))
    return CompressionReport(
        styled_chars=styled_chars,
        semantic_chars=semantic_chars,
        styled_tokens=styled_tokens,
        semantic_tokens=semantic_tokens,
        median_token_ratio=statistics.median(token_ratios),
        median_char_ratio=statistics.median(char_ratios),
        median_ceiling_ratio=statistics.median(ceilings),
        corpus_token_ratio_with_framework=styled_tokens / max(semantic_tokens + count_tokens(framework_css), 1),
    )
