"""`--init tiny`: a small Llama-architecture model and a byte-level BPE tokenizer, both built offline.

The tokenizer is trained on the corpus itself with `tokenizers` (byte level, so any text
round-trips), wrapped in PreTrainedTokenizerFast with pad/eos/bos tokens, the prompt
markers as single tokens and a ChatML chat template; it saves and loads with AutoTokenizer.
The model is built from a LlamaConfig sized by a named preset; nothing touches a hub.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tinyweb.data.formats import CHATML_END, CHATML_TEMPLATE, CODE_MARK, TITLE_MARK
from tinyweb.errors import TinywebError

PAD, EOS, BOS, UNK = "<|pad|>", "<|endoftext|>", "<|startoftext|>", "<|unk|>"
CHAT_START = "<|im_start|>"
SPECIAL_TOKENS = [PAD, EOS, BOS, UNK, CHAT_START, CHATML_END]
MARKER_TOKENS = [TITLE_MARK, CODE_MARK]


@dataclass(frozen=True)
class TinySize:
    hidden_size: int
    layers: int
    heads: int
    intermediate_size: int


TINY_SIZES: dict[str, TinySize] = {
    "micro": TinySize(hidden_size=64, layers=2, heads=2, intermediate_size=192),  # tests: trains in seconds
    "small": TinySize(hidden_size=256, layers=4, heads=4, intermediate_size=704),  # ~5M params with 4k vocab
    "base": TinySize(hidden_size=512, layers=8, heads=8, intermediate_size=1376),  # ~30M params
}


def train_tokenizer(texts: Iterable[str], vocab_size: int = 4096, min_frequency: int = 2):
    """A byte-level BPE tokenizer trained on texts, as a transformers PreTrainedTokenizerFast."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    if vocab_size < 300:
        raise TinywebError("--vocab-size must be >= 300 (256 bytes plus special tokens and merges)")
    core = Tokenizer(models.BPE(unk_token=None))
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    core.train_from_iterator(texts, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core,
        pad_token=PAD,
        eos_token=EOS,
        bos_token=BOS,
        unk_token=UNK,
        additional_special_tokens=[CHAT_START, CHATML_END],
        clean_up_tokenization_spaces=False,
    )
    tokenizer.add_tokens(MARKER_TOKENS)  # single tokens, but not special: decoding keeps them
    tokenizer.chat_template = CHATML_TEMPLATE
    tokenizer.model_max_length = 1_000_000
    return tokenizer


def build_tiny_model(tokenizer, size: str = "small", max_seq_len: int = 1024, seed: int = 0):
    """A freshly initialised LlamaForCausalLM sized by the preset, matching the tokenizer's vocabulary."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    if size not in TINY_SIZES:
        raise TinywebError(f"--tiny-size must be one of {', '.join(TINY_SIZES)}")
    preset = TINY_SIZES[size]
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=preset.hidden_size,
        intermediate_size=preset.intermediate_size,
        num_hidden_layers=preset.layers,
        num_attention_heads=preset.heads,
        num_key_value_heads=preset.heads,
        max_position_embeddings=max_seq_len,
        rms_norm_eps=1e-5,
        tie_word_embeddings=True,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    return model
