"""Grounding tasks from a DOM screen: click instructions with their target box, text<->box questions.

Targets are interactive elements whose accessible name is text visible inside them (so a
reader of the screenshot alone can find it) and unique on the screen (so the instruction has
one right answer). Boxes follow the GUICourse conventions: 0-1000 of the screen.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tinyweb.act.ground import normalise, text_matches
from tinyweb.act.screen import Item, Screen

CLICK_TEMPLATES = (
    "click {text}",
    'click on "{text}"',
    "click the {text} {role}",
    'press the "{text}" {role}',
    "open the {text} {role}",
    'tap "{text}"',
)
ROLE_NAMES = {"link": "link", "button": "button"}
MAX_TARGET_WORDS = 8
MIN_SIDE_1000 = 4.0
"""Targets smaller than this (0-1000 units) on either side are skipped: nobody clicks a speck."""


@dataclass(frozen=True)
class Task:
    kind: str
    """click, text2box, box2text or type."""
    instruction: str
    target: Item
    """The element (its box is the target box, its name the target text)."""
    value: str | None = None


def visible_name(element: Item, screen: Screen) -> bool:
    """Whether the element's name is written inside it (words of the screen within its box spell it)."""
    name = normalise(element.text)
    if not name:
        return False
    x0, y0, x1, y1 = element.box
    inside = [w for w in screen.words if x0 - 1 <= w.center[0] <= x1 + 1 and y0 - 1 <= w.center[1] <= y1 + 1]
    return name in normalise(" ".join(w.text for w in inside))


def written_elsewhere(element: Item, key: str, screen: Screen) -> bool:
    """Whether the element's text is also written outside it: from the screenshot alone, ambiguous."""
    for _, box, _ in text_matches(screen.words, key):
        center = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        if not hit(center, element.box):
            return True
    return False


def click_targets(screen: Screen) -> list[Item]:
    """Links and buttons that make unambiguous text-target click tasks."""
    counts: dict[str, int] = {}
    for word_or_element in screen.elements:
        key = normalise(word_or_element.text)
        counts[key] = counts.get(key, 0) + 1
    text_counts: dict[str, int] = {}
    for word in screen.words:
        key = normalise(word.text)
        text_counts[key] = text_counts.get(key, 0) + 1
    targets = []
    for element in screen.elements:
        if element.kind not in ROLE_NAMES or not element.text:
            continue
        words = element.text.split()
        key = normalise(element.text)
        if not 1 <= len(words) <= MAX_TARGET_WORDS or len(key) < 2 or counts[key] > 1:
            continue
        if min(element.box[2] - element.box[0], element.box[3] - element.box[1]) < MIN_SIDE_1000:
            continue
        if len(words) == 1 and text_counts.get(key, 0) > 1:
            continue  # the same word elsewhere as plain text: ambiguous without a role
        if visible_name(element, screen) and not written_elsewhere(element, key, screen):
            targets.append(element)
    return targets


def click_tasks(screen: Screen, rng: random.Random, limit: int | None = None) -> list[Task]:
    targets = click_targets(screen)
    rng.shuffle(targets)
    tasks = []
    for element in targets[:limit]:
        template = rng.choice(CLICK_TEMPLATES)
        instruction = template.format(text=element.text, role=ROLE_NAMES[element.kind])
        tasks.append(Task("click", instruction, element))
    return tasks


def field_tasks(screen: Screen, rng: random.Random) -> list[Task]:
    """Type tasks for named fields: 'type "x" into the Email field'."""
    values = ("hello", "bob@example.com", "42", "chocolate cake", "Ada Lovelace")
    tasks = []
    seen: set[str] = set()
    for element in screen.elements:
        key = normalise(element.text)
        if element.kind != "field" or not key or key in seen:
            continue
        seen.add(key)
        value = rng.choice(values)
        tasks.append(Task("type", f'type "{value}" into the {element.text} field', element, value))
    return tasks


def locate_tasks(screen: Screen, rng: random.Random, limit: int | None = None) -> list[Task]:
    """text->box ("where is 'Contact us'?") and box->text ("what does [..] say?") questions."""
    tasks = []
    targets = click_targets(screen)
    rng.shuffle(targets)
    for element in targets[:limit]:
        if rng.random() < 0.5:
            tasks.append(Task("text2box", f'where is "{element.text}"?', element))
        else:
            box = [round(v) for v in element.box]
            tasks.append(Task("box2text", f"what text is in the box {box}?", element))
    return tasks


def hit(point_1000: tuple[float, float] | list, box_1000: tuple | list) -> bool:
    """The ScreenSpot rule: the predicted point lies inside the target box."""
    x, y = point_1000
    return box_1000[0] <= x <= box_1000[2] and box_1000[1] <= y <= box_1000[3]
