"""The grounding baseline: find the instruction's target on a screen and answer with an action.

Text is matched fuzzily (exact substrings first, then word n-grams by similarity), also inside
OCR words whose spaces were lost; a match inside a link, button or field becomes that element.
Role words (button, link, field) favour elements of that kind, ordinal words pick among equal
matches in reading order, and fields without a label borrow the nearest text (tinyweb.act.dom).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from tinyweb.act.instruction import Intent, parse_instruction
from tinyweb.act.screen import Item, Screen
from tinyweb.errors import TinywebError

MIN_SCORE = 0.6
"""Below this similarity nothing on the screen is taken for the target."""
ROLE_BONUS = 0.15
CASE_BONUS = 0.005
INTERACTIVE_BONUS = 0.01
"""Between equal text matches, the clickable one wins: "click X" means the X one can click."""
CONFUSABLES = str.maketrans({"0": "o", "1": "l", "|": "l", "!": "l", "i": "l"})


class NotFound(TinywebError):
    """The target of the instruction is not on the screen."""


@dataclass(frozen=True)
class Action:
    action: str
    box_1000: tuple[float, float, float, float]
    text: str = ""
    confidence: float = 1.0
    value: str | None = None
    direction: str | None = None

    @property
    def point_1000(self) -> tuple[float, float]:
        return (self.box_1000[0] + self.box_1000[2]) / 2, (self.box_1000[1] + self.box_1000[3]) / 2

    def to_dict(self, screen: Screen) -> dict:
        """The action JSON: x, y and box in screen pixels, the _1000 fields normalised."""
        x, y = screen.to_pixels(self.point_1000)
        result = {
            "action": self.action,
            "x": x,
            "y": y,
            "box": screen.to_pixels(self.box_1000),
            "point_1000": [round(v) for v in self.point_1000],
            "box_1000": [round(v) for v in self.box_1000],
            "text": self.text,
            "confidence": round(self.confidence, 3),
        }
        if self.value is not None:
            result["value"] = self.value
        if self.direction is not None:
            result["direction"] = self.direction
        return result

    def to_json(self, screen: Screen) -> str:
        return json.dumps(self.to_dict(screen), ensure_ascii=False)


@dataclass
class Candidate:
    box: tuple[float, float, float, float]
    text: str
    kind: str
    score: float
    sources: list = field(default_factory=list)


def normalise(text: str) -> str:
    """Lower case, no accents, no spaces or punctuation, OCR look-alikes folded (0->o, 1/i/|->l)."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if c.isalnum())
    return text.translate(CONFUSABLES)


def ground(screen: Screen, instruction: str | Intent) -> Action:
    """The baseline's action for an instruction on a screen; NotFound when nothing matches."""
    intent = parse_instruction(instruction) if isinstance(instruction, str) else instruction
    if intent.action == "scroll":
        return Action("scroll", (0.0, 0.0, 1000.0, 1000.0), "", 1.0, direction=intent.direction)
    candidates = find_candidates(screen, intent)
    if not candidates:
        kind = intent.role or ("field" if intent.action == "type" else "element")
        what = f"'{intent.target}'" if intent.target else kind
        raise NotFound(f"no {what} on the screen")
    chosen = pick(candidates, intent)
    return Action(intent.action, chosen.box, chosen.text, min(1.0, chosen.score), value=intent.value)


def find_candidates(screen: Screen, intent: Intent) -> list[Candidate]:
    role = intent.role or ("field" if intent.action == "type" else None)
    target = normalise(intent.target)
    elements = screen.elements
    found: list[Candidate] = []
    if not target:
        found = [Candidate(e.box, e.text, e.kind, 1.0) for e in elements if role is None or e.kind == role]
        return _dedupe(found)
    for element in elements:
        score = similarity(target, normalise(element.text), whole=True)
        if score >= MIN_SCORE:
            found.append(Candidate(element.box, element.text, element.kind, score))
    for text, box, score in text_matches(screen.words, target, intent.target):
        found.append(_promote(Candidate(box, text, "word", score), elements, role))
    role_on_screen = role is not None and any(e.kind == role for e in elements)
    for candidate in found:
        if candidate.kind != "word":
            candidate.score += INTERACTIVE_BONUS
        if role is not None:
            if candidate.kind == role:
                candidate.score += ROLE_BONUS
            elif candidate.kind != "word" or role_on_screen:
                candidate.score -= ROLE_BONUS
    return _dedupe([c for c in found if c.score >= MIN_SCORE])


def similarity(target: str, text: str, whole: bool = False) -> float:
    """How well `text` names `target` (both normalised): 1 = the same, lower for partial or fuzzy matches."""
    if not text:
        return 0.0
    if target == text:
        return 1.0
    if whole and target in text:
        return 0.75 + 0.2 * len(target) / len(text)
    return SequenceMatcher(None, target, text, autojunk=False).ratio()


def text_matches(words: list[Item], target: str, written: str = "") -> list[tuple[str, tuple, float]]:
    """Spans of screen text that match the (normalised) target: exact substrings of a line, else similar n-grams.

    Between exact matches, one whose words are written as in the instruction (`written`, same case) wins.
    """
    lines: dict[int, list[Item]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    exact: list[tuple[str, tuple, float]] = []
    fuzzy: list[tuple[str, tuple, float]] = []
    for line_words in lines.values():
        chars, owners, bounds = _line_chars(line_words)
        start = chars.find(target)
        while start >= 0:
            end = start + len(target)
            penalty = 0.04 * ((start not in bounds) + (end not in bounds))
            span = _span(line_words, owners, chars, start, end, 1.0 - penalty)
            if written and written in span[0]:
                span = (span[0], span[1], span[2] + CASE_BONUS)
            exact.append(span)
            start = chars.find(target, start + 1)
    if exact:
        return exact
    span_words = max(1, round(len(target) / 5))
    for line_words in lines.values():
        normals = [normalise(w.text) for w in line_words]
        for i in range(len(line_words)):
            for j in range(i + 1, min(len(line_words), i + span_words + 2) + 1):
                text = "".join(normals[i:j])
                if abs(len(text) - len(target)) > max(2, len(target) // 2):
                    continue
                score = similarity(target, text)
                if score >= MIN_SCORE:
                    box = _union([w.box for w in line_words[i:j]])
                    fuzzy.append((" ".join(w.text for w in line_words[i:j]), box, score))
    return fuzzy


def _line_chars(line_words: list[Item]) -> tuple[str, list[tuple[int, int, int]], set[int]]:
    """A line's normalised characters; for each, (word index, index in word, word length); word boundaries."""
    chars, owners, bounds = [], [], {0}
    for index, word in enumerate(line_words):
        normal = normalise(word.text)
        for position, char in enumerate(normal):
            chars.append(char)
            owners.append((index, position, len(normal)))
        bounds.add(len(chars))
    return "".join(chars), owners, bounds


def _span(line_words: list[Item], owners, chars: str, start: int, end: int, score: float):
    """Box of characters start..end of a line: whole words, or a proportional slice of a word that holds more."""
    first_word, first_pos, first_len = owners[start]
    last_word, last_pos, last_len = owners[end - 1]
    a, b = line_words[first_word].box, line_words[last_word].box
    x0 = a[0] + (a[2] - a[0]) * first_pos / first_len
    x1 = b[0] + (b[2] - b[0]) * (last_pos + 1) / last_len
    boxes = [w.box for w in line_words[first_word : last_word + 1]]
    union = _union(boxes)
    text = " ".join(w.text for w in line_words[first_word : last_word + 1])
    return text, (x0, union[1], x1, union[3]), score


def _union(boxes) -> tuple[float, float, float, float]:
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def _inside(point: tuple[float, float], box: tuple) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _promote(candidate: Candidate, elements: list[Item], role: str | None) -> Candidate:
    """A text match inside an element stands for the element (the smallest one holding its centre)."""
    center = ((candidate.box[0] + candidate.box[2]) / 2, (candidate.box[1] + candidate.box[3]) / 2)
    holders = [e for e in elements if _inside(center, e.box) and (role is None or e.kind == role)]
    if not holders:
        holders = [e for e in elements if _inside(center, e.box)]
    if not holders:
        return candidate
    element = min(holders, key=lambda e: (e.box[2] - e.box[0]) * (e.box[3] - e.box[1]))
    return Candidate(element.box, element.text or candidate.text, element.kind, candidate.score)


def _dedupe(candidates: list[Candidate]) -> list[Candidate]:
    best: dict[tuple, Candidate] = {}
    for candidate in candidates:
        key = tuple(round(v) for v in candidate.box)
        if key not in best or candidate.score > best[key].score:
            best[key] = candidate
    return list(best.values())


def reading_order(candidate: Candidate) -> tuple:
    x0, y0, x1, y1 = candidate.box
    return round((y0 + y1) / 2 / 8), x0


def pick(candidates: list[Candidate], intent: Intent) -> Candidate:
    """The best match; with an ordinal, the n-th of the equally good ones in reading order."""
    top = max(c.score for c in candidates)
    if intent.ordinal is None:
        ranked = sorted(candidates, key=lambda c: (-c.score, reading_order(c)))
        chosen = ranked[0]
        if len(ranked) > 1 and ranked[1].score > chosen.score - 0.02:
            return Candidate(chosen.box, chosen.text, chosen.kind, chosen.score * 0.8)
        return chosen
    tied = sorted((c for c in candidates if c.score >= top - 0.1), key=reading_order)
    index = intent.ordinal - 1 if intent.ordinal > 0 else len(tied) + intent.ordinal
    if not 0 <= index < len(tied):
        raise NotFound(f"asked for match {intent.ordinal} of '{intent.target or intent.role}', found {len(tied)}")
    return tied[index]
