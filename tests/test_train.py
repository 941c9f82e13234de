"""QLoRA on the CPU: a tiny base model saved locally, loaded in 4-bit through bitsandbytes, LoRA-trained."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("bitsandbytes")
pytest.importorskip("peft")

from tinyweb.errors import TinywebError  # noqa: E402
from tinyweb.model.options import TrainOptions  # noqa: E402
from tinyweb.model.sample_run import write_prompt_files  # noqa: E402
from tinyweb.model.train import TrainProgress, train  # noqa: E402

WORDS = ["bakery", "football", "photo", "news", "garden", "music", "travel", "recipe"]


def sample_pages(count: int = 8) -> list[tuple[str, str]]:
    pages = []
    for i in range(count):
        w = WORDS[i % len(WORDS)]
        html = (
            f'<!DOCTYPE html><html lang="en"><head><title>{w}</title></head><body>'
            f'<nav class="{w}-nav"><a class="{w}-nav-link" href="/">Home</a></nav>'
            f'<h1 class="{w}-heading">The {w} page {i}</h1><p class="{w}-text">Welcome to our {w}.</p></body></html>'
        )
        pages.append((f"a {w} landing page", html))
    return pages


@pytest.fixture(scope="module")
def base_model(tmp_path_factory) -> Path:
    """A micro Llama + BPE tokenizer saved like a hub model: the stand-in for a downloaded base model."""
    from tinyweb.model.tiny import build_tiny_model, train_tokenizer

    folder = tmp_path_factory.mktemp("base")
    tokenizer = train_tokenizer([label + html for label, html in sample_pages()] * 4, vocab_size=400)
    model = build_tiny_model(tokenizer, "micro", max_seq_len=512, seed=1)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture
def workspace(tmp_path) -> Path:
    write_prompt_files(tmp_path, sample_pages(), val_count=2)
    (tmp_path / "framework.css").write_text(".bakery-heading{color:red}", encoding="utf-8")
    return tmp_path


def qlora_options(workspace: Path, base: Path, **overrides) -> TrainOptions:
    settings = dict(
        workspace=workspace,
        base_model=str(base),
        run="q",
        quant="4bit",
        lora_r=8,
        lora_alpha=16,
        lora_dropout=0.0,
        max_steps=6,
        lr=1e-2,
        batch_size=4,
        max_seq_len=256,
        warmup_ratio=0.0,
        device="cpu",
    )
    settings.update(overrides)
    return TrainOptions(**settings)


def adapter_tensors(run_dir: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(run_dir / "adapter" / "adapter_model.safetensors"))


def test_qlora_4bit_loss_falls_and_only_adapter_trains(workspace, base_model):
    summary = train(qlora_options(workspace, base_model, max_steps=10))
    history = summary.loss_history
    assert len(history) == 10 and summary.steps == 10
    assert sum(history[-3:]) / 3 < sum(history[:3]) / 3 - 0.2, history
    run_dir = summary.run_dir
    tensors = adapter_tensors(run_dir)
    assert tensors and all("lora_" in name for name in tensors)
    assert summary.trainable_params == sum(t.numel() for t in tensors.values())
    assert any(float(t.abs().sum()) > 0 for name, t in tensors.items() if "lora_B" in name)  # B starts at zero
    info = json.loads((run_dir / "run.json").read_text())
    assert info["quant"] == "4bit" and info["status"] == "done" and info["format"] == "tinyweb"
    assert info["data"]["train_sha256"] and info["metrics"]["epochs"][-1]["eval_loss"] is not None
    assert (run_dir / "framework.css").read_text() == ".bakery-heading{color:red}"

    from tinyweb.model.load import load_run

    loaded = load_run(run_dir, device="cpu")
    linear = loaded.model.base_model.model.model.layers[0].self_attn.q_proj.base_layer
    assert type(linear).__name__ == "Linear4bit"  # the 4-bit base came back, frozen
    assert not any(p.requires_grad for n, p in loaded.model.named_parameters() if "lora_" not in n)
    assert loaded.prompt("a bakery page") == "[TINY-WEB-DEV-TITLE]\na bakery page\n\n[TINY-WEB-DEV-CODE]\n"


def test_plain_lora_and_merge(workspace, base_model):
    """--quant none: plain LoRA; the base file is never rewritten; --merge writes a 16-bit model/ that reloads."""
    before = (base_model / "model.safetensors").read_bytes()
    summary = train(qlora_options(workspace, base_model, quant="none", max_steps=3, run="plain", merge=True))
    assert (base_model / "model.safetensors").read_bytes() == before
    info = json.loads((summary.run_dir / "run.json").read_text())
    assert info["quant"] == "none" and info["merged"] is True
    assert summary.merged_dir == summary.run_dir / "model"
    config = json.loads((summary.merged_dir / "config.json").read_text())
    assert config["dtype"] == "bfloat16"

    from tinyweb.model.load import load_run

    loaded = load_run(summary.run_dir, device="cpu")
    assert type(loaded.model).__name__ == "LlamaForCausalLM"  # merged: no adapter left


def test_resume_continues_from_saved_step(workspace, base_model):
    straight = train(qlora_options(workspace, base_model, run="straight", max_steps=4, lora_dropout=0.1))

    def interrupt(event: TrainProgress) -> None:
        if event.phase == "train" and event.step == 3:
            raise KeyboardInterrupt

    options = qlora_options(workspace, base_model, run="cut", max_steps=4, save_steps=2, lora_dropout=0.1)
    with pytest.raises(KeyboardInterrupt):
        train(options, interrupt)
    checkpoints = sorted(p.name for p in (options.run_dir / "checkpoints").iterdir())
    assert checkpoints == ["step-000002"]
    with pytest.raises(TinywebError, match="--resume"):
        train(options)
    resumed = train(
        qlora_options(workspace, base_model, run="cut", max_steps=4, save_steps=2, lora_dropout=0.1, resume=True)
    )
    assert resumed.resumed_from == 2 and resumed.steps == 4 and len(resumed.loss_history) == 2
    assert resumed.loss_history == pytest.approx(straight.loss_history[2:], rel=1e-4)
    a, b = adapter_tensors(straight.run_dir), adapter_tensors(resumed.run_dir)
    assert all(torch.allclose(a[k], b[k], atol=1e-5) for k in a)


def test_epochs_record_eval_loss_and_perplexity(workspace, base_model):
    summary = train(qlora_options(workspace, base_model, run="ep", max_steps=None, epochs=2, batch_size=4))
    epochs = json.loads((summary.run_dir / "run.json").read_text())["metrics"]["epochs"]
    assert [e["epoch"] for e in epochs] == [1, 2]
    assert all(e["perplexity"] == pytest.approx(2.718281828 ** e["eval_loss"], rel=1e-6) for e in epochs)
    assert summary.steps == 4  # 8 records / batch 4 = 2 steps per epoch


def test_tiny_overfits_and_reloads(tmp_path):
    from tinyweb.model.load import load_run
    from tinyweb.model.sample_run import tiny_run

    pages = sample_pages(4)
    run_dir = tiny_run(tmp_path, pages, max_steps=60, lr=5e-3, batch_size=4, warmup_ratio=0.0)
    info = json.loads((run_dir / "run.json").read_text())
    epochs = info["metrics"]["epochs"]
    assert epochs[-1]["train_loss"] < 0.25 * epochs[0]["train_loss"], epochs
    assert info["init"] == "tiny" and (run_dir / "model").is_dir()
    loaded = load_run(run_dir, device="cpu")
    prompt = loaded.prompt(pages[0][0])
    ids = loaded.tokenizer(prompt, return_tensors="pt")
    out = loaded.model.generate(**ids, max_new_tokens=12, do_sample=False)
    text = loaded.tokenizer.decode(out[0][ids["input_ids"].shape[1] :], skip_special_tokens=True)
    assert text.startswith("<!DOCTYPE html>")


def test_errors_empty_malformed_unknown_and_existing(tmp_path, base_model):
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "train.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(TinywebError, match="empty dataset"):
        train(TrainOptions(workspace=tmp_path, init="tiny", tiny_size="micro", max_steps=1))
    (prompts / "train.jsonl").write_text('{"prompt": "a", "completion": "b"}\n{"prompt": "a", \n', encoding="utf-8")
    with pytest.raises(TinywebError, match=r"train.jsonl:2: malformed JSON"):
        train(TrainOptions(workspace=tmp_path, init="tiny", tiny_size="micro", max_steps=1))
    (prompts / "train.jsonl").write_text('{"prompt": "a"}\n', encoding="utf-8")
    with pytest.raises(TinywebError, match=r"train.jsonl:1: missing string field\(s\) completion"):
        train(TrainOptions(workspace=tmp_path, init="tiny", tiny_size="micro", max_steps=1))
    write_prompt_files(tmp_path, sample_pages(3))
    with pytest.raises(TinywebError, match="unknown base model 'nobody/no-such-model'.*--init tiny"):
        train(TrainOptions(workspace=tmp_path, base_model="nobody/no-such-model", max_steps=1))
    with pytest.raises(TinywebError, match="no prompt file"):
        train(TrainOptions(workspace=tmp_path / "elsewhere", init="tiny", max_steps=1))


@pytest.mark.parametrize(
    "overrides, flag",
    [
        ({"lora_r": 0}, "--lora-r"),
        ({"quant": "3bit"}, "--quant"),
        ({"max_steps": 0}, "--max-steps"),
        ({"lr": -1.0}, "--lr"),
        ({"init": "tiny"}, "exactly one of"),
        ({"task": "chat"}, "--task"),
        ({"lora_dropout": 1.5}, "--lora-dropout"),
        ({"max_seq_len": 4}, "--max-seq-len"),
        ({"run": "../x"}, "--run"),
    ],
)
def test_options_name_the_flag(overrides, flag):
    settings = {"base_model": "x", **overrides}
    with pytest.raises(TinywebError, match=flag):
        TrainOptions(**settings)


def test_oom_message_suggests_knobs():
    from tinyweb.model.train import oom_message

    message = oom_message(TrainOptions(base_model="x", batch_size=8, grad_accum=2))
    assert "--batch-size 1 with --grad-accum 16" in message and "--dry-run" in message


def test_pos2d_act_run_trains_the_gate(tmp_path):
    from tinyweb.data.formats import get_format
    from tinyweb.model.train import train

    fmt = get_format("tinyweb")
    directory = tmp_path / "prompts" / "act"
    directory.mkdir(parents=True)
    records = []
    for i, (target, x) in enumerate([("Sign up", 120), ("Home", 640), ("Contact", 900)] * 2):
        screen = "Home Sign up Contact"
        record = fmt.record(f"click {target}", json.dumps({"action": "click", "point_1000": [x, 40]}), context=screen)
        start = record["prompt"].index(screen)
        words = [[start + s, start + e, float(xx), 40.0] for s, e, xx in ((0, 4, 640), (5, 12, 120), (13, 20, 900))]
        records.append(
            {"id": str(i), "url": f"u{i}", "label": target, "topic": None, "task": "act", **record, "words": words}
        )
    (directory / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    options = TrainOptions(
        workspace=tmp_path, init="tiny", task="act", pos2d=True, tiny_size="micro", vocab_size=400, max_steps=4,
        batch_size=3, device="cpu", lr=1e-2,
    )  # fmt: skip
    summary = train(options)
    info = json.loads((summary.run_dir / "run.json").read_text())
    assert summary.run_dir.name == "tiny-act" and info["task"] == "act" and info["pos2d"] is True
    gate = torch.load(summary.run_dir / "pos2d.pt", weights_only=True)["gate"]
    assert float(gate.abs().sum()) > 0  # starts at zero: it trained, so positions reached the model
