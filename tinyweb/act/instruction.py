"""Parse an instruction ("click the second Read more link") into what to do and what to look for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tinyweb.errors import TinywebError

ROLE_WORDS: dict[str, str] = {
    "text box": "field",
    "text field": "field",
    "search box": "field",
    "search bar": "field",
    "searchbar": "field",
    "input field": "field",
    "textbox": "field",
    "textarea": "field",
    "field": "field",
    "input": "field",
    "box": "field",
    "check box": "checkbox",
    "checkbox": "checkbox",
    "radio button": "checkbox",
    "radio": "checkbox",
    "toggle": "checkbox",
    "drop-down": "select",
    "dropdown": "select",
    "menu item": "button",
    "button": "button",
    "btn": "button",
    "tab": "button",
    "icon": "button",
    "hyperlink": "link",
    "link": "link",
}
ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
    "ninth": 9, "9th": 9, "tenth": 10, "10th": 10, "last": -1,
}  # fmt: skip
CLICK_VERBS = (
    "double click", "double-click", "click on", "click", "tap on", "tap", "press", "push", "hit", "select",
    "choose", "pick", "open", "follow", "go to", "navigate to", "visit", "check", "uncheck", "toggle",
)  # fmt: skip
TYPE_VERBS = ("type", "enter", "fill in", "fill out", "fill", "input", "write", "put", "search for")
SCROLL_VERBS = ("scroll", "swipe", "page")
DIRECTIONS = ("up", "down", "left", "right")
FILLER = re.compile(r"the|a|an|on|at|in|into|to|of|saying|says|labell?ed|called|named|titled|please|that|which|text")
QUOTED = re.compile(r"\"([^\"]+)\"|“([^”]+)”|‘([^’]+)’|'([^']+)'(?![a-z])|«([^»]+)»")


@dataclass(frozen=True)
class Intent:
    action: str
    """click, type or scroll."""
    target: str = ""
    """Text that names the element to act on ('' when the role or ordinal alone picks it)."""
    role: str | None = None
    """link, button, field, checkbox or select when the instruction names one."""
    ordinal: int | None = None
    """1-based position among equally good matches in reading order; -1 for 'last'."""
    value: str | None = None
    """Text to type (type actions)."""
    direction: str | None = None
    """up, down, left or right (scroll actions)."""


def parse_instruction(text: str) -> Intent:
    instruction = " ".join(text.strip().split())
    if not instruction:
        raise TinywebError('the instruction is empty: say what to do, e.g. "click the Sign up button"')
    lower = instruction.lower()
    verb = _leading(lower, SCROLL_VERBS)
    if verb:
        direction = next((d for d in DIRECTIONS if re.search(rf"\b{d}\b", lower)), None)
        if direction is None:
            direction = "up" if re.search(r"\btop\b", lower) else "down"
        return Intent("scroll", direction=direction)
    verb = _leading(lower, TYPE_VERBS)
    if verb:
        return _type_intent(instruction, verb)
    verb = _leading(lower, CLICK_VERBS)
    rest = instruction[len(verb) :] if verb else instruction
    return _target_intent("click", rest)


def _leading(lower: str, verbs: tuple[str, ...]) -> str | None:
    for verb in verbs:
        if lower == verb or lower.startswith(verb + " "):
            return verb
    return None


def _type_intent(instruction: str, verb: str) -> Intent:
    rest = instruction[len(verb) :].strip()
    if verb == "search for":
        value, _ = _first_quoted(rest)
        return Intent("type", target="search", role="field", value=value or rest.strip(" .!"))
    quoted, outside = _first_quoted(rest)
    if verb.startswith("fill"):
        # fill (in) the Email field with "bob"
        match = re.match(r"(.*?)\s+with\s+(.+)$", rest, re.I)
        if match:
            value, _ = _first_quoted(match.group(2))
            intent = _target_intent("type", match.group(1))
            return _with_value(intent, value or match.group(2).strip(" ."))
    if quoted is not None:
        # type "bob" into the Email field / type into Email: "bob"
        intent = _target_intent("type", outside)
        return _with_value(intent, quoted)
    match = re.match(r"(.+?)\s+(?:into|in|on)\s+(.+)$", rest, re.I)
    if match:
        return _with_value(_target_intent("type", match.group(2)), match.group(1).strip())
    return Intent("type", role="field", value=rest)


def _with_value(intent: Intent, value: str) -> Intent:
    return Intent("type", intent.target, intent.role or "field", intent.ordinal, value)


def _target_intent(action: str, rest: str) -> Intent:
    quoted, outside = _first_quoted(rest)
    words = outside.split()
    role, words = _take_phrase(words, ROLE_WORDS, plural=True)
    ordinal, words = _take_phrase(words, ORDINALS)
    target = quoted if quoted is not None else " ".join(_strip_fillers(words))
    return Intent(action, target.strip(" .,!?:\"'"), role, ordinal)


def _take_phrase(words: list[str], table: dict, plural: bool = False) -> tuple:
    """Find the last phrase of `table` among the words (longest first): its value and the words without it."""
    bare = [w.lower().strip(".,!?:;") for w in words]
    for i in reversed(range(len(bare))):  # the last role word: "click the Select Market button"
        for phrase, value in sorted(table.items(), key=lambda kv: -len(kv[0])):
            parts = phrase.split()
            if i + len(parts) > len(bare):
                continue
            window = bare[i : i + len(parts)]
            if window[:-1] == parts[:-1] and (window[-1] == parts[-1] or (plural and window[-1] == parts[-1] + "s")):
                return value, words[:i] + words[i + len(parts) :]
    return None, words


def _strip_fillers(words: list[str]) -> list[str]:
    def filler(word: str) -> bool:
        return bool(FILLER.fullmatch(word.lower().strip(".,!?:;")))

    while words and filler(words[0]):
        words = words[1:]
    while words and words[-1].lower().strip(".,!?:;") in ("please", "text", "now"):
        words = words[:-1]
    return words


def _first_quoted(text: str) -> tuple[str | None, str]:
    match = QUOTED.search(text)
    if not match:
        return None, text
    value = next(group for group in match.groups() if group is not None)
    return value, text[: match.start()] + " " + text[match.end() :]
