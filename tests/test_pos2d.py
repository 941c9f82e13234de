"""pos2d: a no-op at init, its gate trains, it saves and reloads, works with LoRA and generation."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from tinyweb.model.pos2d import (  # noqa: E402
    enable_pos2d,
    encode_with_positions,
    get_pos2d,
    load_pos2d,
    positions,
    save_pos2d,
    token_positions,
)

TEXTS = ["[SCREEN]\n500,40 Sign up\n120,300 Contact us\n[ACTION] click", "[SCREEN]\n10,10 About\n[ACTION] scroll"]


def tiny_model(seed: int = 0):
    torch.manual_seed(seed)
    config = transformers.LlamaConfig(
        vocab_size=300,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=256,
    )
    return transformers.LlamaForCausalLM(config).eval()


@pytest.fixture(scope="module")
def tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=["<unk>", "<pad>"], show_progress=False)
    tok.train_from_iterator(TEXTS * 5, trainer)
    return transformers.PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>")


def spans_of(text: str) -> list:
    """(start, end, x, y) for the words after each 'x,y' prefix."""
    spans = []
    offset = 0
    for line in text.splitlines(keepends=True):
        head, _, rest = line.partition(" ")
        if "," in head and head.replace(",", "").isdigit():
            x, y = (float(v) for v in head.split(","))
            position = offset + len(head) + 1
            for word in rest.split():
                start = text.index(word, position)
                spans.append((start, start + len(word), x, y))
                position = start + len(word)
        offset += len(line)
    return spans


def batch(tokenizer):
    return encode_with_positions(tokenizer, TEXTS, [spans_of(t) for t in TEXTS])


def test_token_positions_follow_word_spans():
    xy, mask = token_positions([(0, 2), (3, 7), (7, 8), (9, 12)], [(3, 8, 100.0, 200.0)])
    assert mask == [False, True, True, False]
    assert xy[1] == (100.0, 200.0) and xy[0] == (0.0, 0.0)


def test_noop_at_init_and_gate_trains(tokenizer):
    model = tiny_model()
    inputs = batch(tokenizer)
    assert inputs["position_mask"].any()
    with torch.no_grad():
        before = model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"]).logits
    pos2d = enable_pos2d(model)
    model.train()
    with positions(model, inputs["positions"], inputs["position_mask"]):
        out = model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"], labels=inputs["input_ids"])
    assert torch.allclose(out.logits.detach(), before, atol=1e-6)  # gate is zero: nothing changes
    out.loss.backward()
    assert pos2d.gate.grad is not None and pos2d.gate.grad.abs().sum() > 0
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    optimizer.step()
    assert pos2d.gate.abs().sum() > 0  # the gate moved
    model.eval()
    with torch.no_grad(), positions(model, inputs["positions"], inputs["position_mask"]):
        after = model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"]).logits
    assert not torch.allclose(after, before, atol=1e-4)


def test_save_reload_and_generate(tmp_path, tokenizer):
    model = tiny_model()
    pos2d = enable_pos2d(model)
    with torch.no_grad():
        pos2d.gate.fill_(0.5)
    save_pos2d(model, tmp_path)
    inputs = batch(tokenizer)
    ids, attention = inputs["input_ids"][:1], inputs["attention_mask"][:1]
    xy, mask = inputs["positions"][:1], inputs["position_mask"][:1]
    with torch.no_grad(), positions(model, xy, mask):
        expected = model(input_ids=ids, attention_mask=attention).logits

    reloaded = tiny_model()  # same weights (same seed), no pos2d yet
    assert load_pos2d(reloaded, tmp_path) is not None
    assert torch.equal(get_pos2d(reloaded).gate, pos2d.gate)
    assert torch.equal(get_pos2d(reloaded).projection, pos2d.projection)
    with torch.no_grad(), positions(reloaded, xy, mask):
        assert torch.allclose(reloaded(input_ids=ids, attention_mask=attention).logits, expected, atol=1e-5)
        generated = reloaded.generate(
            input_ids=ids, attention_mask=attention, max_new_tokens=5, do_sample=False, pad_token_id=1
        )
    assert generated.shape[1] == ids.shape[1] + 5
    assert load_pos2d(tiny_model(), tmp_path / "missing") is None


def test_with_lora(tokenizer):
    peft = pytest.importorskip("peft")
    model = peft.get_peft_model(
        tiny_model(), peft.LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM")
    )
    pos2d = enable_pos2d(model)
    trainable = {name for name, p in model.named_parameters() if p.requires_grad}
    assert any("tinyweb_pos2d.gate" in name for name in trainable) and any("lora_" in name for name in trainable)
    inputs = batch(tokenizer)
    model.train()
    with positions(model, inputs["positions"], inputs["position_mask"]):
        loss = model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"], labels=inputs["input_ids"])
    loss.loss.backward()
    assert pos2d.gate.grad.abs().sum() > 0


def test_prompt_positions_mark_screen_words_only(tokenizer):
    from tinyweb.act.layout import act_prompt
    from tinyweb.act.screen import Item, Screen
    from tinyweb.model.pos2d import prompt_positions

    words = [Item("Sign", (480, 30, 500, 50), "word", 0), Item("up", (505, 30, 520, 50), "word", 0)]
    screen = Screen(1000, 1000, words)
    prompt, spans = act_prompt(screen, "click Sign up")
    xy, mask = prompt_positions(tokenizer, prompt, [list(s) for s in spans])
    offsets = tokenizer(prompt, return_offsets_mapping=True)["offset_mapping"]
    marked = {prompt[s:e].strip() for (s, e), m in zip(offsets, mask, strict=True) if m}
    assert marked and marked <= {"Sign", "up", "S", "ign", "u", "p", "Si", "gn"} | set("Signup")
    assert (490.0, 40.0) in xy and sum(mask) < len(mask)  # instruction tokens ("click Sign up") carry none
