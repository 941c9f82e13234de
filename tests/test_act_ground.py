"""The grounding baseline hits the right element for text, role, ordinal and field targets (DOM and OCR)."""

from __future__ import annotations

import pytest

from tests.test_act_screen import SHOP, dom_and_ocr
from tinyweb.act.ground import NotFound, ground
from tinyweb.act.instruction import parse_instruction
from tinyweb.act.model import InvalidAction, parse_action
from tinyweb.act.tasks import hit


@pytest.fixture(scope="module")
def screens():
    return dom_and_ocr(SHOP)


def element(screen, text, kind=None, index=0):
    matches = [e for e in screen.elements if e.text == text and (kind is None or e.kind == kind)]
    return matches[index]


@pytest.mark.parametrize(
    ("instruction", "text", "kind", "index"),
    [
        ("click Contact us", "Contact us", "link", 0),  # text target
        ("click on 'About us'", "About us", "link", 0),
        ("press Log in", "Log in", "button", 0),
        ("click the Sign up button", "Sign up", "button", 0),  # role target
        ("open the menu link", "Our Menu", "link", 0),  # partial text + role
        ("click the second Read more link", "Read more", "link", 1),  # ordinal
        ("click the last read more link", "Read more", "link", 2),
        ("click the 2nd link", "About us", "link", 0),  # role + ordinal, no text
        ('type "bob@example.com" into the Email address field', "Email address", "field", 0),  # fields
        ("fill the email field with x@y.z", "Email address", "field", 0),
        ("type Ann in the your name field", "Your name", "field", 0),  # field named by its nearest label
        ("search for chocolate cake", "Search", "field", 0),
    ],
)
def test_dom_path_hits_the_element(screens, instruction, text, kind, index):
    dom, _ = screens
    action = ground(dom, instruction)
    assert hit(action.point_1000, element(dom, text, kind, index).box), action
    result = action.to_dict(dom)
    assert set(result) >= {"action", "x", "y", "box", "point_1000", "box_1000", "text", "confidence"}
    x0, y0, x1, y1 = result["box"]
    assert x0 <= result["x"] <= x1 and y0 <= result["y"] <= y1


@pytest.mark.parametrize(
    ("instruction", "text", "index"),
    [
        ("click Contact us", "Contact us", 0),
        ("click the Sign up button", "Sign up", 0),
        ("click the third Read more link", "Read more", 2),
        ("click Croissants", None, 0),
    ],
)
def test_ocr_path_hits_the_element(screens, instruction, text, index):
    dom, ocr = screens
    action = ground(ocr, instruction)
    if text is None:
        target = next(w for w in dom.words if w.text == "Croissants").box
    else:
        target = element(dom, text, None, index).box
    assert hit(action.point_1000, target), (action, target)


def test_type_and_scroll_actions(screens):
    dom, _ = screens
    typed = ground(dom, 'type "hello" into the search box').to_dict(dom)
    assert typed["action"] == "type" and typed["value"] == "hello"
    scroll = ground(dom, "scroll down").to_dict(dom)
    assert scroll["action"] == "scroll" and scroll["direction"] == "down" and (scroll["x"], scroll["y"]) == (640, 400)


def test_missing_target_is_a_clear_error(screens):
    with pytest.raises(NotFound, match="no 'Zebra'"):
        ground(screens[0], "click the Zebra button")
    with pytest.raises(NotFound):
        ground(screens[0], "click the ninth Read more link")


def test_instruction_parsing():
    assert parse_instruction("click the Select Market button").target == "Select Market"
    intent = parse_instruction('type "a b" into the Email field')
    assert (intent.action, intent.value, intent.target, intent.role) == ("type", "a b", "Email", "field")
    assert parse_instruction("scroll up").direction == "up"
    assert parse_instruction("tap the third tab").ordinal == 3


def test_model_output_is_parsed_or_rejected():
    action = parse_action(
        '{"action": "click", "point_1000": [100, 200], "box_1000": [50, 150, 150, 250], "text": "Go"}'
    )
    assert action.point_1000 == (100.0, 200.0) and action.text == "Go"
    assert parse_action('{"action": "scroll", "direction": "up"}').direction == "up"
    for bad in ("no json here", '{"action": "dance"}', '{"action": "click", "point_1000": [1200, 5]}', '{"action":'):
        with pytest.raises(InvalidAction):
            parse_action(bad)
