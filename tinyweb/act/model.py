"""Act with a trained run: the model reads the screen in the llama2d layout and writes the action JSON.

The prompt is the run's own prompt format with the instruction as the request and the screen
layout as its context, exactly as tinyweb.data.act_tasks wrote the training records. Output
that is not a valid action is reported (InvalidAction, with the text), never guessed.
"""

from __future__ import annotations

import json
from pathlib import Path

from tinyweb.act.ground import Action
from tinyweb.act.layout import screen_layout
from tinyweb.act.screen import Screen
from tinyweb.errors import TinywebError

ACTIONS = ("click", "type", "scroll")
MAX_NEW_TOKENS = 96


class InvalidAction(TinywebError):
    """The model's output is not a valid action JSON."""


def format_prompt(prompt_format, instruction: str, screen: Screen, tokenizer=None) -> tuple[str, list]:
    """The run's prompt for (instruction, screen) and the screen words' pos2d spans in it."""
    layout = screen_layout(screen)
    prompt = prompt_format.prompt(instruction, tokenizer, context=layout.text)
    start = prompt.find(layout.text.strip())
    if start < 0:
        raise TinywebError(f"prompt format {prompt_format.name!r} does not keep the screen text verbatim")
    return prompt, [(s + start, e + start, x, y) for s, e, x, y in layout.spans]


def parse_action(text: str) -> Action:
    """The first JSON object of the model's output as an Action; InvalidAction when it is not one."""
    snippet = text.strip()
    begin = snippet.find("{")
    if begin < 0:
        raise InvalidAction(f"the model wrote no action JSON: {snippet[:200]!r}")
    try:
        data, _ = json.JSONDecoder().raw_decode(snippet[begin:])
    except json.JSONDecodeError as exc:
        raise InvalidAction(f"the model wrote invalid JSON ({exc.msg}): {snippet[:200]!r}") from None
    if not isinstance(data, dict) or data.get("action") not in ACTIONS:
        raise InvalidAction(f"the model's action must be one of {', '.join(ACTIONS)}: {snippet[:200]!r}")
    if data["action"] == "scroll":
        direction = data.get("direction", "down")
        if direction not in ("up", "down", "left", "right"):
            raise InvalidAction(f"the model's scroll direction is not up/down/left/right: {direction!r}")
        return Action("scroll", (0.0, 0.0, 1000.0, 1000.0), direction=direction)
    box = _numbers(data.get("box_1000"), 4)
    point = _numbers(data.get("point_1000"), 2)
    if point is None and box is None:
        raise InvalidAction(f"the model's action has no valid point_1000 or box_1000: {snippet[:200]!r}")
    if point is not None and (box is None or not _inside(point, box)):
        box = (point[0], point[1], point[0], point[1])  # a point is what the model meant: keep it exact
    value = data.get("value")
    if data["action"] == "type" and not isinstance(value, str):
        raise InvalidAction(f"the model's type action has no text value: {snippet[:200]!r}")
    text = data.get("text") if isinstance(data.get("text"), str) else ""
    return Action(data["action"], box, text, 1.0, value=value)


def _numbers(value, count: int) -> tuple[float, ...] | None:
    if not isinstance(value, list) or len(value) != count:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1000 for v in value):
        return None
    if count == 4 and (value[0] > value[2] or value[1] > value[3]):
        return None
    return tuple(float(v) for v in value)


def _inside(point, box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


class RunActor:
    """A loaded run that turns (screen, instruction) into an Action; load once, ask many times."""

    def __init__(self, run_dir: Path, pos2d: bool | None = None, device: str | None = None):
        from tinyweb.model.load import load_run

        self.loaded = load_run(Path(run_dir), device=device)
        wanted = bool(self.loaded.info.get("pos2d")) if pos2d is None else pos2d
        self.pos2d = False
        if wanted:
            from tinyweb.model.pos2d import load_pos2d

            if load_pos2d(self.loaded.model, Path(run_dir)) is None:
                raise TinywebError(f"run {run_dir} has no pos2d.pt: it was not trained with --pos2d")
            self.pos2d = True

    def raw(self, screen: Screen, instruction: str) -> str:
        """The model's completion text for an instruction on a screen."""
        import torch

        tokenizer, model = self.loaded.tokenizer, self.loaded.model
        prompt, spans = format_prompt(self.loaded.prompt_format, instruction, screen, tokenizer)
        encoded = tokenizer(prompt, return_tensors="pt", return_offsets_mapping=self.pos2d)
        device = next(model.parameters()).device
        ids = encoded["input_ids"].to(device)
        kwargs = dict(
            input_ids=ids,
            attention_mask=encoded["attention_mask"].to(device),
            max_new_tokens=MAX_NEW_TOKENS,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id,
        )
        stops = self.loaded.prompt_format.stop_strings(tokenizer)
        if stops:
            kwargs.update(stop_strings=stops, tokenizer=tokenizer)
        with torch.no_grad():
            if self.pos2d:
                from tinyweb.model.pos2d import positions, token_positions

                xy, mask = token_positions([tuple(o) for o in encoded["offset_mapping"][0].tolist()], spans)
                with positions(model, torch.tensor([xy]), torch.tensor([mask])):
                    output = model.generate(**kwargs)
            else:
                output = model.generate(**kwargs)
        text = tokenizer.decode(output[0, ids.shape[1] :], skip_special_tokens=True)
        return self.loaded.prompt_format.strip_completion(text, tokenizer)

    def act(self, screen: Screen, instruction: str) -> Action:
        return parse_action(self.raw(screen, instruction))
