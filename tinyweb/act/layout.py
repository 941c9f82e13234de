"""The llama2d layout: a screen as text the model reads, each word with its (x, y), plus the action prompt.

A screen becomes one line per text segment (words side by side with no large gap), prefixed
by the segment's centre in 0-1000: `157,39 About us`. With pos2d every screen word's tokens
also carry that word's own midpoint (`spans`); instruction and answer tokens carry none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tinyweb.act.screen import Item, Screen

MAX_WORDS = 400
"""Words of a screen the prompt holds (reading order); the rest is left out."""
SEGMENT_GAP = 0.9
"""A gap wider than this many word-heights starts a new segment."""
HEADER = "[SCREEN] words at x,y of 0-1000\n"
INSTRUCTION = "[INSTRUCTION] "
ANSWER = "\n[ACTION] "


@dataclass
class Layout:
    text: str
    """The screen block of the prompt."""
    spans: list[tuple[int, int, float, float]]
    """(char start, char end, x, y) of each screen word in `text`: its midpoint, 0-1000."""
    segments: list[tuple[str, tuple[float, float, float, float]]]
    """Each line of the block: its text and its box."""


def segments_of(screen: Screen, max_words: int = MAX_WORDS) -> list[list[Item]]:
    """Screen words in reading order grouped into segments; elements split segments (DOM screens)."""
    words = screen.words[:max_words]
    elements = screen.elements

    def holder(word: Item) -> int:
        cx, cy = word.center
        for index, element in enumerate(elements):
            x0, y0, x1, y1 = element.box
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                return index
        return -1

    segments: list[list[Item]] = []
    previous_holder = None
    for word in words:
        current = holder(word) if elements else -1
        if segments:
            last = segments[-1][-1]
            height_px = (last.box[3] - last.box[1]) * screen.height / 1000
            gap_px = (word.box[0] - last.box[2]) * screen.width / 1000
            if word.line == last.line and -2 <= gap_px <= SEGMENT_GAP * height_px and current == previous_holder:
                segments[-1].append(word)
                previous_holder = current
                continue
        segments.append([word])
        previous_holder = current
    return segments


def screen_layout(screen: Screen, max_words: int = MAX_WORDS) -> Layout:
    text = HEADER
    spans: list[tuple[int, int, float, float]] = []
    lines: list[tuple[str, tuple]] = []
    for segment in segments_of(screen, max_words):
        box = (
            min(w.box[0] for w in segment),
            min(w.box[1] for w in segment),
            max(w.box[2] for w in segment),
            max(w.box[3] for w in segment),
        )
        text += f"{round((box[0] + box[2]) / 2)},{round((box[1] + box[3]) / 2)}"
        for word in segment:
            text += " "
            start = len(text)
            text += word.text
            spans.append((start, len(text), *word.center))
        text += "\n"
        lines.append((" ".join(w.text for w in segment), box))
    return Layout(text, spans, lines)


def act_prompt(screen: Screen, instruction: str, max_words: int = MAX_WORDS) -> tuple[str, list]:
    """The whole prompt the model completes, and the pos2d spans of its screen words."""
    layout = screen_layout(screen, max_words)
    return f"{layout.text}{INSTRUCTION}{instruction.strip()}{ANSWER}", layout.spans


def action_completion(action: dict) -> str:
    """The answer as the model writes it: compact JSON with the 0-1000 fields only, then a newline."""
    keys = ("action", "point_1000", "box_1000", "text", "value", "direction")
    return json.dumps({k: action[k] for k in keys if action.get(k) is not None}, ensure_ascii=False) + "\n"
