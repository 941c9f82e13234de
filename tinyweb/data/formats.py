"""Prompt formats: how a (label, html) pair becomes the text a model is trained on.

A format splits every example into a `prompt` (the request; its tokens are masked out
of the loss) and a `completion` (the page; the only part trained on). `prompt(label)`
is exactly what generation must feed the model, so train and generate cannot drift.
The end-of-sequence token is not part of the completion text: the trainer appends the
tokenizer's eos id after the completion, and generation stops on it.

Formats live in the FORMATS registry: `get_format("tinyweb" | "chat" | "alpaca")`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinyweb.errors import TinywebError

TITLE_MARK = "[TINY-WEB-DEV-TITLE]"
CODE_MARK = "[TINY-WEB-DEV-CODE]"

# ChatML: the chat template of the tiny tokenizer, and the fallback for tokenizers without one.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
CHATML_END = "<|im_end|>"

ALPACA_HEADER = (
    "Below is an instruction that describes a task. Write a response that appropriately completes the request."
)
ALPACA_HEADER_INPUT = (
    "Below is an instruction that describes a task, paired with an input that provides further context. "
    "Write a response that appropriately completes the request."
)


class UnknownFormat(TinywebError):
    pass


@dataclass(frozen=True)
class PromptFormat:
    """Base format: subclasses define prompt() and completion()."""

    name: str
    description: str

    def prompt(self, label: str, tokenizer=None, context: str = "") -> str:
        raise NotImplementedError

    def completion(self, html: str, tokenizer=None) -> str:
        raise NotImplementedError

    def stop_strings(self, tokenizer=None) -> list[str]:
        """Text that ends a completion besides the eos token (e.g. a chat end-of-turn marker)."""
        return []

    def strip_completion(self, text: str, tokenizer=None) -> str:
        """The page in generated text: cut at the first stop string."""
        for stop in self.stop_strings(tokenizer):
            text = text.split(stop, 1)[0]
        return text

    def record(self, label: str, html: str, tokenizer=None, context: str = "") -> dict:
        """The format-specific fields of one JSONL record: prompt, completion, text (+ extras)."""
        prompt = self.prompt(label, tokenizer, context=context)
        completion = self.completion(html, tokenizer)
        return {"prompt": prompt, "completion": completion, "text": prompt + completion}


@dataclass(frozen=True)
class TinywebFormat(PromptFormat):
    """The original tiny-webdev format: a title block then the code block."""

    def prompt(self, label: str, tokenizer=None, context: str = "") -> str:
        request = label.strip() if not context else f"{label.strip()}\n{context.strip()}"
        return f"{TITLE_MARK}\n{request}\n\n{CODE_MARK}\n"

    def completion(self, html: str, tokenizer=None) -> str:
        return html


@dataclass(frozen=True)
class ChatFormat(PromptFormat):
    """The tokenizer's chat template (ChatML when it has none): user asks, assistant answers with the page."""

    def _template(self, tokenizer) -> str | None:
        if tokenizer is not None and getattr(tokenizer, "chat_template", None):
            return None  # use the tokenizer's own
        return CHATML_TEMPLATE

    def _render(self, messages: list[dict], tokenizer, add_generation_prompt: bool) -> str:
        template = self._template(tokenizer)
        if tokenizer is None:
            from jinja2 import Template

            return Template(template).render(messages=messages, add_generation_prompt=add_generation_prompt)
        return tokenizer.apply_chat_template(
            messages, tokenize=False, add_generation_prompt=add_generation_prompt, chat_template=template
        )

    @staticmethod
    def messages(label: str, html: str | None = None, context: str = "") -> list[dict]:
        content = label.strip() if not context else f"{label.strip()}\n\n{context.strip()}"
        messages = [{"role": "user", "content": content}]
        if html is not None:
            messages.append({"role": "assistant", "content": html})
        return messages

    def prompt(self, label: str, tokenizer=None, context: str = "") -> str:
        return self._render(self.messages(label, context=context), tokenizer, add_generation_prompt=True)

    def completion(self, html: str, tokenizer=None) -> str:
        """What the template adds after the generation prompt for this answer (the page + end of turn)."""
        marker = "\x00TINYWEB-HTML\x00"
        full = self._render(self.messages("x", marker), tokenizer, add_generation_prompt=False)
        prefix = self._render(self.messages("x"), tokenizer, add_generation_prompt=True)
        if not full.startswith(prefix) or marker not in full:
            raise TinywebError("the tokenizer's chat template does not extend the generation prompt with the answer")
        return full[len(prefix) :].replace(marker, html)

    def stop_strings(self, tokenizer=None) -> list[str]:
        marker = "\x00TINYWEB-HTML\x00"
        tail = self.completion(marker, tokenizer).split(marker, 1)[1]
        return [tail.strip()] if tail.strip() else []

    def record(self, label: str, html: str, tokenizer=None, context: str = "") -> dict:
        fields = super().record(label, html, tokenizer, context=context)
        fields["messages"] = self.messages(label, html, context=context)
        return fields


@dataclass(frozen=True)
class AlpacaFormat(PromptFormat):
    """Stanford Alpaca: instruction (the label), optional input, output (the page)."""

    def prompt(self, label: str, tokenizer=None, context: str = "") -> str:
        if context.strip():
            return (
                f"{ALPACA_HEADER_INPUT}\n\n### Instruction:\n{label.strip()}\n\n"
                f"### Input:\n{context.strip()}\n\n### Response:\n"
            )
        return f"{ALPACA_HEADER}\n\n### Instruction:\n{label.strip()}\n\n### Response:\n"

    def completion(self, html: str, tokenizer=None) -> str:
        return html

    def record(self, label: str, html: str, tokenizer=None, context: str = "") -> dict:
        fields = super().record(label, html, tokenizer, context=context)
        fields.update(instruction=label.strip(), input=context.strip(), output=html)
        return fields


FORMATS: dict[str, PromptFormat] = {
    fmt.name: fmt
    for fmt in (
        TinywebFormat("tinyweb", "[TINY-WEB-DEV-TITLE] label, then [TINY-WEB-DEV-CODE] html"),
        ChatFormat("chat", "the tokenizer's chat template (ChatML if it has none)"),
        AlpacaFormat("alpaca", "Alpaca instruction / input / response"),
    )
}


def get_format(name: str) -> PromptFormat:
    """The registered format called name; a clear error listing the others."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(f"unknown prompt format {name!r}: choose one of {', '.join(FORMATS)}") from None
