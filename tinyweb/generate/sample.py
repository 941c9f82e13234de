"""Sampling: prompts in, page text out, stopping at eos, at a format's stop string or at the end of the page.

One call samples a batch of prompts (left-padded, one forward pass per new token for the
whole batch); with a single prompt the text can be streamed as it is generated.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tinyweb.errors import TinywebError

END_OF_PAGE = "</html>"
SMALL_MODEL_PARAMS = 100_000_000
"""Below this many parameters a CPU model samples with one thread (see _cpu_threads)."""


@dataclass(frozen=True)
class SamplingOptions:
    max_new_tokens: int = 2048
    """Most tokens generated per page (also capped by the run's --max-seq-len) (--max-new-tokens)."""
    temperature: float = 0.7
    """Softmax temperature; 0 means greedy decoding (--temperature)."""
    top_p: float = 0.95
    """Nucleus sampling: keep the smallest set of tokens whose probability reaches this (--top-p)."""
    seed: int = 0
    """Seed of the sampling RNG: the same seed and inputs give the same pages (--seed)."""

    def __post_init__(self):
        if self.max_new_tokens <= 0:
            raise TinywebError("--max-new-tokens must be > 0")
        if self.temperature < 0:
            raise TinywebError("--temperature must be >= 0")
        if not 0 < self.top_p <= 1:
            raise TinywebError("--top-p must be in (0, 1]")

    @property
    def greedy(self) -> bool:
        return self.temperature == 0


@dataclass(frozen=True)
class Sample:
    text: str
    """Generated text up to and including the end of the page (the stop marker itself removed)."""
    tokens: int
    """Tokens generated (the eos included)."""
    stop: str
    """Why generation ended: eos, end-of-page, stop-string or length."""
    seconds: float
    """Wall time of the batch this sample came from."""


class _StopOnText:
    """A StoppingCriteria: a row is done once its generated tail contains one of the strings.

    Only rows whose newest token can end a stop string (its text holds the string's last
    character) are decoded, so a step usually costs one tensor lookup.
    """

    def __init__(self, tokenizer, strings: list[str], prompt_width: int):
        import torch

        self.tokenizer = tokenizer
        self.strings = [s for s in strings if s]
        self.prompt_width = prompt_width
        self.window = max((len(s) for s in self.strings), default=0) + 2
        last_chars = {s[-1] for s in self.strings}
        self.enders = torch.tensor(
            [i for i, text in enumerate(_token_texts(tokenizer)) if any(c in text for c in last_chars)] or [-1]
        )

    def __call__(self, input_ids, scores, **kwargs):
        import torch

        done = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)
        if not self.strings or input_ids.shape[1] <= self.prompt_width:
            return done
        rows = torch.isin(input_ids[:, -1].cpu(), self.enders).nonzero().flatten().tolist()
        if not rows:
            return done
        start = max(self.prompt_width, input_ids.shape[1] - self.window)
        tails = self.tokenizer.batch_decode(input_ids[rows, start:], skip_special_tokens=False)
        for row, tail in zip(rows, tails, strict=True):
            done[row] = any(s in tail for s in self.strings)
        return done


def _token_texts(tokenizer) -> list[str]:
    """The text of every token id (computed once per tokenizer, kept on it)."""
    texts = getattr(tokenizer, "_tinyweb_token_texts", None)
    if texts is None or len(texts) != len(tokenizer):
        texts = tokenizer.batch_decode([[i] for i in range(len(tokenizer))], skip_special_tokens=False)
        tokenizer._tinyweb_token_texts = texts
    return texts


@contextmanager
def _cpu_threads(model) -> Iterator[None]:
    """Sample a small CPU model with one thread: per-token matrices are too small to share, and
    with other processes on the cores, two threads spin-wait (measured 25 vs 700 tok/s here)."""
    import torch

    parameters = list(model.parameters())
    small = sum(p.numel() for p in parameters) < SMALL_MODEL_PARAMS
    if parameters[0].device.type != "cpu" or not small:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class _Stream:
    """A transformers streamer for one sequence: calls on_text with each new piece of decoded text."""

    def __init__(self, tokenizer, on_text: Callable[[str], None]):
        self.tokenizer = tokenizer
        self.on_text = on_text
        self.ids: list[int] = []
        self.sent = 0
        self.prompt_seen = False

    def put(self, value) -> None:
        if not self.prompt_seen:
            self.prompt_seen = True
            return
        self.ids.extend(int(v) for v in value.reshape(-1).tolist())
        text = self.tokenizer.decode(self.ids, skip_special_tokens=True)
        if text.endswith("\ufffd"):
            return  # half of a multi-byte character: wait for the rest
        if len(text) > self.sent:
            self.on_text(text[self.sent :])
            self.sent = len(text)

    def end(self) -> None:
        text = self.tokenizer.decode(self.ids, skip_special_tokens=True)
        if len(text) > self.sent:
            self.on_text(text[self.sent :])
            self.sent = len(text)


def _stop_token_ids(tokenizer, model, stop_strings: list[str]) -> list[int]:
    ids = set()
    configured = getattr(model.generation_config, "eos_token_id", None)
    for value in configured if isinstance(configured, list) else [configured]:
        if value is not None:
            ids.add(int(value))
    if tokenizer.eos_token_id is not None:
        ids.add(int(tokenizer.eos_token_id))
    for text in stop_strings:
        encoded = tokenizer(text, add_special_tokens=False)["input_ids"]
        if len(encoded) == 1:
            ids.add(int(encoded[0]))
    return sorted(ids)


def cut_page(text: str, stop_strings: list[str]) -> tuple[str, str | None]:
    """Text up to the end of the page (</html> kept) or the first stop string (dropped)."""
    cut, reason = len(text), None
    for stop in stop_strings:
        at = text.find(stop)
        if at != -1 and at < cut:
            cut, reason = at, "stop-string"
    at = text.lower().find(END_OF_PAGE)
    if at != -1 and at + len(END_OF_PAGE) <= cut:
        cut, reason = at + len(END_OF_PAGE), "end-of-page"
    return text[:cut], reason


def sample(
    model,
    tokenizer,
    prompts: list[str],
    options: SamplingOptions,
    stop_strings: list[str] = (),
    max_length: int | None = None,
    on_text: Callable[[str], None] | None = None,
) -> list[Sample]:
    """Generate a page for each prompt. `on_text` streams text (only for a single prompt).

    Prompts are tokenized as training tokenized them (`tokenizer(prompt)`); `max_length`
    (the run's max_seq_len) caps prompt + page, since the model never saw longer sequences.
    """
    import torch

    stop_strings = list(stop_strings)
    tokenizer.padding_side = "left"
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    encoded = [tokenizer(p)["input_ids"] for p in prompts]
    width = max(len(ids) for ids in encoded)
    input_ids = torch.full((len(encoded), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(encoded), width), dtype=torch.long)
    for row, ids in enumerate(encoded):
        input_ids[row, width - len(ids) :] = torch.tensor(ids, dtype=torch.long)
        attention[row, width - len(ids) :] = 1
    budget = options.max_new_tokens if max_length is None else min(options.max_new_tokens, max_length - width)
    if budget <= 0:
        raise TinywebError(f"the prompt takes {width} tokens: no room left in the run's {max_length}-token context")
    device = next(model.parameters()).device
    stop_ids = _stop_token_ids(tokenizer, model, stop_strings)
    from transformers import StoppingCriteriaList

    criteria = StoppingCriteriaList([_StopOnText(tokenizer, [*stop_strings, END_OF_PAGE], width)])
    kwargs = (
        {"do_sample": False}
        if options.greedy
        else {"do_sample": True, "temperature": options.temperature, "top_p": options.top_p, "top_k": 0}
    )
    streamer = _Stream(tokenizer, on_text) if on_text is not None and len(prompts) == 1 else None
    torch.manual_seed(options.seed)
    started = time.perf_counter()
    with torch.inference_mode(), _cpu_threads(model):
        output = model.generate(
            input_ids=input_ids.to(device),
            attention_mask=attention.to(device),
            max_new_tokens=budget,
            eos_token_id=stop_ids,
            pad_token_id=pad_id,
            stopping_criteria=criteria,
            streamer=streamer,
            **kwargs,
        )
    seconds = time.perf_counter() - started
    return [_sample_of(row[width:].tolist(), tokenizer, stop_ids, pad_id, stop_strings, seconds) for row in output]


def _sample_of(ids: list[int], tokenizer, stop_ids: list[int], pad_id: int, stop_strings: list[str], seconds: float):
    while ids and ids[-1] == pad_id and pad_id not in stop_ids:
        ids = ids[:-1]  # rows that finished early are padded to the batch's length
    stop = "length"
    for index, token in enumerate(ids):
        if token in stop_ids:
            ids, stop = ids[: index + 1], "eos"
            break
    text, reason = cut_page(tokenizer.decode(ids, skip_special_tokens=True), stop_strings)
    if reason is not None and stop != "eos":
        stop = reason
    return Sample(text=text, tokens=len(ids), stop=stop, seconds=seconds)
