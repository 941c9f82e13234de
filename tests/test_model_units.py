"""Units of the training stack: masking, batching, formats, the tiny tokenizer, the memory estimate."""

from __future__ import annotations

import pytest

from tinyweb.data.formats import FORMATS, get_format
from tinyweb.errors import TinywebError
from tinyweb.model.batches import IGNORE_INDEX, encode_example, length_grouped_batches

pytest.importorskip("transformers")

HTML = '<html><body><h1 class="bakery-heading">Fresh bread</h1></body></html>'


@pytest.fixture(scope="module")
def tokenizer():
    from tinyweb.model.tiny import train_tokenizer

    return train_tokenizer([get_format("tinyweb").record("a bakery page", HTML)["text"]] * 10, vocab_size=400)


def test_tiny_tokenizer_round_trips_and_saves(tokenizer, tmp_path):
    from transformers import AutoTokenizer

    text = "[TINY-WEB-DEV-TITLE]\nune boulangerie à Paris ✓\n\n[TINY-WEB-DEV-CODE]\n" + HTML
    ids = tokenizer(text)["input_ids"]
    assert tokenizer.decode(ids) == text
    assert tokenizer.convert_tokens_to_ids("[TINY-WEB-DEV-CODE]") in ids  # a single token
    tokenizer.save_pretrained(tmp_path)
    again = AutoTokenizer.from_pretrained(tmp_path)
    assert again(text)["input_ids"] == ids and again.eos_token_id == tokenizer.eos_token_id
    assert again.pad_token_id is not None and again.pad_token_id != again.eos_token_id


def test_prompt_tokens_are_masked(tokenizer):
    fmt = get_format("tinyweb")
    prompt, completion = fmt.prompt("a bakery page"), fmt.completion(HTML)
    example = encode_example(tokenizer, prompt, completion, max_len=512)
    n_prompt = len(tokenizer(prompt)["input_ids"])
    assert example.labels[:n_prompt] == [IGNORE_INDEX] * n_prompt
    assert example.labels[n_prompt:] == example.input_ids[n_prompt:]
    assert example.input_ids[-1] == tokenizer.eos_token_id
    assert tokenizer.decode(example.input_ids[n_prompt:-1]) == HTML


def test_long_examples_cut_the_completion_and_drop_long_prompts(tokenizer):
    example = encode_example(tokenizer, "[TINY-WEB-DEV-TITLE]\nx\n", HTML * 20, max_len=40)
    assert len(example) == 40 and example.truncated
    assert encode_example(tokenizer, "word " * 100, HTML, max_len=40) is None


def test_collate_masks_padding(tokenizer):
    from tinyweb.model.batches import collate

    a = encode_example(tokenizer, "p", "<p>a</p>", 64)
    b = encode_example(tokenizer, "p", HTML, 64)
    batch = collate([a, b], tokenizer.pad_token_id)
    assert batch["input_ids"].shape == batch["labels"].shape == (2, len(b))
    assert (batch["labels"][0, len(a) :] == IGNORE_INDEX).all() and (batch["attention_mask"][0, len(a) :] == 0).all()


def test_length_grouped_batches_deterministic_and_complete():
    lengths = [5, 100, 7, 98, 6, 99, 8, 97]
    batches = length_grouped_batches(lengths, 2, seed=0, epoch=0)
    assert sorted(i for b in batches for i in b) == list(range(8))
    assert batches == length_grouped_batches(lengths, 2, seed=0, epoch=0)
    assert batches != length_grouped_batches(lengths, 2, seed=0, epoch=1)
    assert all(abs(lengths[b[0]] - lengths[b[-1]]) < 10 for b in batches)  # similar lengths together


def test_formats_registry():
    assert set(FORMATS) == {"tinyweb", "chat", "alpaca"}
    with pytest.raises(TinywebError, match="unknown prompt format 'x'"):
        get_format("x")
    tiny = get_format("tinyweb").record("A bakery page", HTML)
    assert (
        tiny["prompt"] == "[TINY-WEB-DEV-TITLE]\nA bakery page\n\n[TINY-WEB-DEV-CODE]\n" and tiny["completion"] == HTML
    )
    alpaca = get_format("alpaca").record("A bakery page", HTML)
    assert alpaca["instruction"] == "A bakery page" and alpaca["output"] == HTML and alpaca["input"] == ""
    assert alpaca["prompt"].endswith("### Response:\n")


def test_chat_format_uses_tokenizer_template(tokenizer):
    chat = get_format("chat")
    record = chat.record("a bakery page", HTML, tokenizer)
    assert record["prompt"] == "<|im_start|>user\na bakery page<|im_end|>\n<|im_start|>assistant\n"
    assert record["completion"] == HTML + "<|im_end|>\n"
    assert record["messages"][-1] == {"role": "assistant", "content": HTML}
    assert chat.strip_completion(HTML + "<|im_end|>\nmore", tokenizer) == HTML
    assert chat.prompt("a bakery page") == record["prompt"]  # no tokenizer: ChatML fallback


def test_dry_run_estimate_counts_lora_params(tmp_path):
    from transformers import Qwen2Config

    from tinyweb.model.estimate import estimate_memory
    from tinyweb.model.options import TrainOptions

    # Qwen2.5-Coder-1.5B's shape (config only, no weights)
    Qwen2Config(
        hidden_size=1536,
        intermediate_size=8960,
        num_hidden_layers=28,
        num_attention_heads=12,
        num_key_value_heads=2,
        vocab_size=151936,
        tie_word_embeddings=True,
    ).save_pretrained(tmp_path)
    options = TrainOptions(base_model=str(tmp_path), batch_size=1, max_seq_len=2048)
    estimate = estimate_memory(options, device="cuda")
    assert estimate.trainable == 18_464_768  # peft's count for r=16 on all linear layers
    assert 1.50e9 < estimate.parameters < 1.56e9
    assert 3 < estimate.total_gb < 8  # the target: fits an 8 GB card
    bigger = estimate_memory(TrainOptions(base_model=str(tmp_path), batch_size=4, max_seq_len=2048), device="cuda")
    assert bigger.total_bytes > estimate.total_bytes
    plain = estimate_memory(
        TrainOptions(base_model=str(tmp_path), quant="none", batch_size=1, max_seq_len=2048), "cuda"
    )
    assert plain.parts["weights"] > 1.5 * estimate.parts["weights"]  # embeddings stay fp32 in QLoRA
