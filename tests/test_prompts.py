"""`tinyweb prompts`: labels, filters, split, formats, --extra, token statistics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinyweb.data.labels import PageFacts, auto_label, clean_title, page_kind, site_names, title_label
from tinyweb.data.prompts import PromptsOptions, make_prompts, split_of
from tinyweb.errors import TinywebError
from tinyweb.store import PageRecord, PageStore


def semantic(title: str, body: str, lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="stylesheet" href="framework.css"></head><body class="page">{body}</body></html>'
    )


def article(n: int, words: int = 40) -> str:
    text = " ".join(f"w{n}x{i}" for i in range(words))
    return f'<h1 class="news-heading">Story {n}</h1><p class="news-text">{text}</p>'


PAGES = [
    PageRecord(
        url="https://club.example/fixtures.html",
        source="crawl",
        title="Fixtures | Harbour FC",
        description="Upcoming matches and results of Harbour FC.",
        lang="de",
        topic="football",
        semantic_html=semantic("Fixtures", article(1, 200)),
    ),
    PageRecord(
        url="https://club.example/",
        source="crawl",
        title="Home | Harbour FC",
        topic="football",
        semantic_html=semantic("Home", article(2)),
    ),
    PageRecord(
        url="https://club.example/join.html",
        source="crawl",
        title="Join us | Harbour FC",
        styled_html=semantic("Join", article(3)),  # no semantic html yet: styled fallback
    ),
    PageRecord(
        url="https://club.example/empty", source="crawl", title="Empty | Harbour FC", semantic_html=semantic("E", "")
    ),
    PageRecord(
        url="https://club.example/copy",
        source="crawl",
        title="Copy | Harbour FC",
        semantic_html=semantic("Home", article(2)),
    ),
    PageRecord(
        url="https://club.example/near",
        source="crawl",
        title="Near | Harbour FC",
        semantic_html=semantic("Fixtures", article(1, 200).replace("w1x99", "changed")),
    ),
    PageRecord(
        url="https://club.example/long",
        source="crawl",
        title="Long | Harbour FC",
        semantic_html=semantic("Long", article(9, 3000)),
    ),
    PageRecord(url="https://club.example/broken", source="crawl", status="error", error="timeout"),
]
for n in range(4, 9):
    PAGES.append(
        PageRecord(
            url=f"https://club.example/news/{n}.html",
            source="crawl",
            title=f"Story {n} | Harbour FC",
            semantic_html=semantic(f"Story {n}", article(n + 10)),
        )
    )


@pytest.fixture
def workspace(tmp_path) -> Path:
    with PageStore(tmp_path / "pages.db") as store:
        for page in PAGES:
            store.save(page)
    return tmp_path


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_prompts_filters_splits_and_records(workspace):
    summary = make_prompts(PromptsOptions(workspace=workspace, max_tokens=1000, val_fraction=0.2))
    assert summary.pages == 12  # the error page is not a page
    assert summary.dropped == {"empty": 1, "too long": 1, "exact duplicate": 1, "near duplicate": 1}
    assert summary.from_styled == 1 and summary.from_semantic == 7
    train, val = read(workspace / "prompts" / "train.jsonl"), read(workspace / "prompts" / "val.jsonl")
    assert (len(train), len(val)) == (summary.train, summary.val) == (6, 2)
    assert not {r["url"] for r in train} & {r["url"] for r in val}
    for record in train + val:
        assert record["text"] == record["prompt"] + record["completion"]
        assert record["prompt"].startswith("[TINY-WEB-DEV-TITLE]\n") and record["prompt"].endswith(
            "[TINY-WEB-DEV-CODE]\n"
        )
        assert record["completion"].startswith("<!DOCTYPE html>") and record["task"] == "page"
        assert {"id", "url", "label", "topic"} <= set(record)
    fixtures = next(r for r in train + val if r["url"].endswith("fixtures.html"))
    assert fixtures["label"] == (
        'a fixtures and results page for a football website in German, titled "Fixtures": '
        "Upcoming matches and results of Harbour FC."
    )
    assert summary.tokens["train"]["count"] == 6 and summary.tokens["train"]["max"] <= 1000
    described = json.loads((workspace / "prompts" / "format.json").read_text())
    assert described["format"] == "tinyweb" and described["label"] == "auto" and "cl100k" in described["token_counter"]
    # deterministic: the same split again
    make_prompts(PromptsOptions(workspace=workspace, max_tokens=1000, val_fraction=0.2))
    assert read(workspace / "prompts" / "val.jsonl") == val


def test_prompts_load_with_datasets(workspace):
    datasets = pytest.importorskip("datasets")
    make_prompts(PromptsOptions(workspace=workspace, format="chat", max_tokens=1000))
    loaded = datasets.load_dataset("json", data_files=str(workspace / "prompts" / "train.jsonl"), split="train")
    assert loaded.num_rows > 0 and loaded[0]["messages"][0]["role"] == "user"
    assert loaded[0]["prompt"].startswith("<|im_start|>user\n")


def test_alpaca_format_and_extra(workspace, tmp_path):
    extra = tmp_path / "html_alpaca.json"
    items = [
        {"instruction": "Write a red button", "input": "", "output": "<button>Go</button>"},
        {"instruction": "Make this a list", "input": "a, b", "output": "<ul><li>a</li><li>b</li></ul>"},
    ]
    extra.write_text(json.dumps(items), encoding="utf-8")
    summary = make_prompts(PromptsOptions(workspace=workspace, format="alpaca", extra=(extra,), max_tokens=1000))
    assert summary.extra == 2
    train = read(workspace / "prompts" / "train.jsonl")
    mixed = [r for r in train if r["url"] is None]
    assert [r["output"] for r in mixed] == ["<button>Go</button>", "<ul><li>a</li><li>b</li></ul>"]
    assert "### Input:\na, b" in mixed[1]["prompt"]
    assert all(set(r) >= {"instruction", "input", "output", "prompt", "completion"} for r in train)


@pytest.mark.parametrize(
    "content, message",
    [
        (
            '[{"instruction": "x", "output": "y"}, {"instruction": "x"}]',
            r"html_alpaca.json: record 1: missing or empty 'output'",
        ),
        ('[{"instruction": "x", "output": "y"},', r"html_alpaca.json:1: malformed JSON"),
        (
            '{"instruction": "x", "output": "y"}\n{"instruction": 3, "output": "y"}\n',
            r"html_alpaca.json:2: missing or empty 'instruction'",
        ),
        ('{"instruction": "x", "output": "y"}\nnot json\n', r"html_alpaca.json:2: malformed JSON"),
    ],
)
def test_extra_errors_name_the_record(workspace, tmp_path, content, message):
    extra = tmp_path / "html_alpaca.json"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(TinywebError, match=message):
        make_prompts(PromptsOptions(workspace=workspace, extra=(extra,)))


def test_empty_dataset_and_options(tmp_path):
    PageStore(tmp_path / "pages.db").close()
    with pytest.raises(TinywebError, match="empty dataset: pages.db has no captured pages"):
        make_prompts(PromptsOptions(workspace=tmp_path))
    with pytest.raises(TinywebError, match="no workspace"):
        make_prompts(PromptsOptions(workspace=tmp_path / "none"))
    for bad, flag in [({"format": "x"}, "--format"), ({"label": "x"}, "--label"), ({"max_tokens": 0}, "--max-tokens")]:
        with pytest.raises(TinywebError, match=flag):
            PromptsOptions(**bad)
    with pytest.raises(TinywebError, match="--val-fraction"):
        PromptsOptions(val_fraction=1.0)


def test_all_too_long_says_why(workspace):
    with pytest.raises(TinywebError, match="empty dataset: all 12 pages were dropped .*too long.*--max-tokens"):
        make_prompts(PromptsOptions(workspace=workspace, max_tokens=10))


def test_labels_read_like_requests():
    titles = ["Fixtures | Harbour FC", "Home | Harbour FC", "Join us | Harbour FC", "Shop – Harbour FC"]
    noise = site_names(titles)
    assert "harbour fc" in noise
    assert clean_title("Home | Harbour FC", noise) == ""
    assert clean_title("Welcome to Bread & Co", noise) == "Bread & Co"
    assert clean_title("Fixtures | Harbour FC", noise) == "Fixtures"
    assert page_kind("https://x.example/") == "landing" and page_kind("https://x.example/menu.html") == "menu"
    home = PageFacts("https://club.example/", "Home | Harbour FC", topic="football")
    assert auto_label(home, noise) == "a landing page for a football website"
    assert title_label(home, noise) == "a landing page for club.example"
    assert "Home |" not in auto_label(home, noise)


def test_split_is_by_page_and_stable():
    urls = [f"https://x.example/{i}" for i in range(100)]
    val = split_of(urls, 0.1)
    assert len(val) == 10 and val == split_of(list(reversed(urls)), 0.1)
    assert split_of(urls[:2], 0.1) and not split_of(urls[:1], 0.5) and not split_of(urls, 0)


def test_labels_drop_trailing_site_name_generic_topics_and_repeats():
    page = PageFacts("https://x.example/a", "BNF 20.10: Surgical Tape - OpenPrescribing", "Surgical Tape", topic="site")
    assert auto_label(page, set()) == 'a content page, titled "BNF 20.10: Surgical Tape"'
    assert clean_title("Jane Doe - Assistant Professor, Department of Computer Science", set()) == (
        "Jane Doe - Assistant Professor, Department of Computer Science"
    )


def test_act_task_dispatches_to_act_tasks(tmp_path):
    pytest.importorskip("tinyweb.data.act_tasks")
    PageStore(tmp_path / "pages.db").close()
    with pytest.raises(TinywebError, match="no captured pages"):
        make_prompts(PromptsOptions(workspace=tmp_path, task="act"))
