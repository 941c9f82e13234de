"""Generation with a tiny run trained here in seconds: prompts, determinism, files, screenshots, CLI."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from functools import cache
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from tinyweb.cli import app
from tinyweb.generate.sample import END_OF_PAGE, SamplingOptions, cut_page

PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
    '<link rel="stylesheet" href="framework.css"></head><body class="{topic}-page">'
    '<h1 class="{topic}-heading">{title}</h1><p class="{topic}-text">{text}</p></body></html>'
)
EXAMPLES = [
    ("a bakery page", PAGE.format(topic="bakery", title="Fresh bread", text="Sourdough and rye every morning.")),
    ("a football club page", PAGE.format(topic="football", title="Match day", text="Fixtures and results.")),
    ("a photo studio page", PAGE.format(topic="photo", title="Portraits", text="Book a session in our studio.")),
]
FRAMEWORK_CSS = (
    ".bakery-heading { color: #5a3e2b; }\n.football-heading { color: #1b5e20; }\n.photo-heading { color: #222; }\n"
    ".bakery-text, .football-text, .photo-text { font-family: sans-serif; }"
)
TRAIN_STEPS = 120


@cache
def tiny_workspace() -> Path:
    """A workspace with prompts (val = one page per topic) and two trained micro runs: tiny and tiny-short.

    Shared by test_generate and test_eval (built once per test session).
    """
    import torch

    from tinyweb.model.sample_run import tiny_run, write_prompt_files

    workspace = Path(tempfile.mkdtemp(prefix="tinyweb-generate-"))
    atexit.register(shutil.rmtree, workspace, True)
    (workspace / "pages.db").touch()
    (workspace / "framework.css").write_text(FRAMEWORK_CSS, encoding="utf-8")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a micro model: one thread is as fast, and does not spin on a busy machine
    try:
        tiny_run(workspace, EXAMPLES * 4, run="tiny-short", max_steps=10)
        tiny_run(workspace, EXAMPLES * 4, run="tiny", max_steps=TRAIN_STEPS, lr=1e-2)
    finally:
        torch.set_num_threads(threads)
    write_prompt_files(workspace, EXAMPLES * 4, val_count=3)
    return workspace


@pytest.fixture(scope="module")
def workspace() -> Path:
    return tiny_workspace()


@pytest.fixture(scope="module")
def generator(workspace):
    from tinyweb.generate.models import load_run_generator

    return load_run_generator(workspace / "runs" / "tiny", device="cpu")


def test_prompt_is_exactly_the_training_prompt(workspace, generator):
    record = json.loads((workspace / "prompts" / "train.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert generator.prompt(record["label"]) == record["prompt"]
    assert generator.framework_css == FRAMEWORK_CSS
    assert generator.max_length == 512


def test_sampling_is_deterministic_with_a_seed(generator):
    from tinyweb.generate.sample import sample

    def run(seed: int) -> str:
        options = SamplingOptions(max_new_tokens=60, temperature=1.0, seed=seed)
        return sample(generator.model, generator.tokenizer, [generator.prompt("a bakery page")], options)[0].text

    first = run(3)
    assert first == run(3)
    assert any(run(seed) != first for seed in (4, 5, 6))


def test_streamed_text_is_the_page_text(generator):
    from tinyweb.generate.sample import sample

    pieces: list[str] = []
    options = SamplingOptions(max_new_tokens=80, temperature=0)
    result = sample(
        generator.model, generator.tokenizer, [generator.prompt("a bakery page")], options, on_text=pieces.append
    )[0]
    streamed = "".join(pieces)
    assert len(pieces) > 1
    assert streamed.startswith(result.text) or result.text.startswith(streamed)


def test_trained_run_writes_a_page_like_its_training_data(generator):
    from tinyweb.generate.sample import sample

    options = SamplingOptions(max_new_tokens=200, temperature=0)
    result = sample(generator.model, generator.tokenizer, [generator.prompt("a bakery page")], options)[0]
    assert result.text.startswith("<!DOCTYPE html>") and result.text.endswith("</html>")
    assert result.stop in ("eos", "end-of-page")
    assert 'class="bakery-' in result.text or 'class="football-' in result.text or 'class="photo-' in result.text


def test_batched_rows_stop_on_their_own():
    assert cut_page("<p>x</p></html>\n[TINY-WEB-DEV-TITLE]", []) == ("<p>x</p></html>", "end-of-page")
    assert cut_page("<p>x</p><|im_end|>more", ["<|im_end|>"]) == ("<p>x</p>", "stop-string")
    assert cut_page("<p>x", []) == ("<p>x", None)
    assert END_OF_PAGE == "</html>"


def test_generate_pages_writes_variants_and_screenshots(workspace, generator, tmp_path):
    from tinyweb.generate.pages import GenerateOptions, generate_pages

    streamed: dict[int, str] = {}
    options = GenerateOptions(
        "a football club page",
        out=tmp_path / "club.html",
        screenshot=tmp_path / "club.png",
        variants=2,
        sampling=SamplingOptions(max_new_tokens=150, seed=1),
    )
    result = generate_pages(options, lambda i, t: streamed.__setitem__(i, streamed.get(i, "") + t), generator)
    assert [p.path.name for p in result.pages] == ["club-1.html", "club-2.html"]
    assert [p.screenshot.name for p in result.pages] == ["club-1.png", "club-2.png"]
    assert set(streamed) == {0, 1}
    for page in result.pages:
        html = page.path.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and FRAMEWORK_CSS in html
        assert LexborHTMLParser(html).css_first("title") is not None
        assert LexborHTMLParser(html).css_first("link") is None
        assert page.screenshot.read_bytes().startswith(b"\x89PNG")
        assert page.valid
    assert result.tokens > 0 and result.tokens_per_s > 0


def test_plain_model_path(workspace, generator, tmp_path):
    """--model with a plain Hugging Face model directory (here: the tiny run's weights, saved as a model)."""
    from tinyweb.generate.pages import GenerateOptions, generate_pages

    plain = tmp_path / "plain-model"
    generator.model.save_pretrained(plain)
    generator.tokenizer.save_pretrained(plain)
    options = GenerateOptions(
        "a bakery page",
        model=str(plain),
        workspace=workspace,
        out=tmp_path / "p.html",
        sampling=SamplingOptions(max_new_tokens=30, temperature=0),
    )
    result = generate_pages(options)
    assert result.source == str(plain)
    assert result.prompt.startswith("<|im_start|>user\na bakery page")  # its tokenizer has a chat template
    assert FRAMEWORK_CSS in result.pages[0].path.read_text(encoding="utf-8")


def test_baseline_is_the_model_before_training(generator):
    import torch

    from tinyweb.generate.models import load_baseline
    from tinyweb.model.tiny import build_tiny_model

    baseline = load_baseline(generator)
    fresh = build_tiny_model(generator.tokenizer, "micro", 512, seed=0)
    name, weight = next(iter(baseline.model.state_dict().items()))
    assert torch.equal(weight, fresh.state_dict()[name])
    assert not torch.equal(weight, generator.model.state_dict()[name])
    assert baseline.name == "tiny (before training)" and baseline.prompt("x") == generator.prompt("x")


def test_generate_cli(workspace, tmp_path):
    out = tmp_path / "page.html"
    args = ["generate", "a bakery page", "-w", str(workspace), "--run", "tiny", "-o", str(out)]
    args += ["--screenshot", str(tmp_path / "page.png"), "--max-new-tokens", "100", "--seed", "2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.is_file() and (tmp_path / "page.png").is_file()
    assert str(out) in result.output.replace("\n", "")
    again = CliRunner().invoke(
        app, [*args[:-6], "-o", str(tmp_path / "again.html"), "--max-new-tokens", "100", "--seed", "2", "-q"]
    )
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again.html").read_text() == out.read_text()


def test_generate_cli_errors(tmp_path):
    result = CliRunner().invoke(app, ["generate", "a page", "-w", str(tmp_path)])
    assert result.exit_code == 1 and "no finished page run" in result.output
    result = CliRunner().invoke(app, ["generate", "a page", "--run", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "no run at" in result.output
    result = CliRunner().invoke(app, ["generate", "a page", "--top-p", "0", "--run", "x"])
    assert result.exit_code == 1 and "--top-p" in result.output
    assert "Traceback" not in result.output


def test_generate_help():
    result = CliRunner().invoke(app, ["generate", "--help"])
    assert result.exit_code == 0 and "--screenshot" in result.output and "--max-new-tokens" in result.output


def test_run_lookup(tmp_path):
    from tinyweb.errors import TinywebError
    from tinyweb.generate.models import find_run_dir

    for name, task, status in (("old", "page", "done"), ("act", "act", "done"), ("busy", "page", "training")):
        (tmp_path / "runs" / name).mkdir(parents=True)
        info = {"name": name, "task": task, "status": status}
        (tmp_path / "runs" / name / "run.json").write_text(json.dumps(info), encoding="utf-8")
    assert find_run_dir(None, tmp_path) == tmp_path / "runs" / "old"  # newest finished page run
    assert find_run_dir("busy", tmp_path) == tmp_path / "runs" / "busy"
    assert find_run_dir(tmp_path / "runs" / "act", tmp_path, task="act") == tmp_path / "runs" / "act"
    with pytest.raises(TinywebError, match="trained for the act task"):
        find_run_dir("act", tmp_path)
    assert find_run_dir("runs/old", tmp_path) == tmp_path / "runs" / "old"  # as the issue writes it: --run runs/NAME
