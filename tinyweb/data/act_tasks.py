"""Grounding prompts from captured pages: prompts/act/train.jsonl and val.jsonl.

Each page of pages.db is rendered (the semantic page with framework.css when build-css has
run, else the styled capture; JavaScript off, network off) at 1280x800; its DOM screen gives
the tasks (tinyweb.act.tasks): click instructions with their target box, text->box ("where is
'Contact us'?"), box->text, and type instructions for named fields. Boxes and points are
0-1000 (GUICourse). The prompt is the run's prompt format with the instruction as the request
and the screen in the llama2d layout as its context; "words" holds each screen word's
[char start, char end, x, y] in the prompt, for pos2d. Validation pages are held out whole.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from tinyweb.errors import TinywebError

CLICKS_PER_PAGE = 8
LOCATES_PER_PAGE = 4
TYPES_PER_PAGE = 3
SCREENS_FILE = "val_screens.jsonl"
"""The validation pages' screens (items with boxes), so evaluation needs no browser."""
LINK_CSS = re.compile(r"<link[^>]*href=[\"']?framework\.css[\"']?[^>]*>", re.I)


@dataclass(frozen=True)
class ActPromptOptions:
    val_fraction: float = 0.1
    """Share of pages held out for validation (--val-fraction)."""
    seed: int = 0
    """Seed of the page split and task sampling (--seed)."""
    limit_pages: int | None = None
    """Use at most this many pages (--limit)."""
    format_name: str = "tinyweb"
    """Prompt format (--format): tinyweb, chat or alpaca."""
    viewport: tuple[int, int] = (1280, 800)
    """Viewport pages are rendered at."""

    def __post_init__(self):
        if not 0 <= self.val_fraction < 1:
            raise TinywebError("--val-fraction must be in [0, 1)")
        if self.limit_pages is not None and self.limit_pages < 1:
            raise TinywebError("--limit must be >= 1")


def page_html(record, framework_css: str) -> str | None:
    """The page to render: semantic html with framework.css inlined, else the styled capture."""
    if record.semantic_html and framework_css:
        style = f"<style>{framework_css}</style>"
        html = record.semantic_html
        return LINK_CSS.sub(lambda _: style, html, count=1) if LINK_CSS.search(html) else style + html
    return record.styled_html


async def _render_screens(pages: list[tuple[str, str]], viewport, on_progress) -> dict:
    from tinyweb.act.dom import dom_screen
    from tinyweb.browser import BrowserOptions, BrowserPool

    screens = {}
    async with BrowserPool(BrowserOptions(viewport=viewport, pages=1, network="none")) as pool:
        for done, (url, html) in enumerate(pages, 1):
            async with pool.page() as page:
                try:
                    await page.set_content(html, wait_until="load", timeout=30000)
                    screens[url] = await dom_screen(page, screenshot=False)
                except Exception:  # one page that fails to render is skipped and counted
                    pass
            if on_progress:
                on_progress(done, len(pages))
    return screens


def task_records(screen, page, prompt_format, rng: random.Random, tokenizer=None) -> list[dict]:
    from tinyweb.act.layout import action_completion, screen_layout
    from tinyweb.act.tasks import click_tasks, field_tasks, locate_tasks

    layout = screen_layout(screen)
    shown = [box for _, box in layout.segments]
    tasks = click_tasks(screen, rng, CLICKS_PER_PAGE) + locate_tasks(screen, rng, LOCATES_PER_PAGE)
    tasks += field_tasks(screen, rng)[:TYPES_PER_PAGE]
    records = []
    for index, task in enumerate(tasks):
        box = [round(v) for v in task.target.box]
        point = [round((box[0] + box[2]) / 2), round((box[1] + box[3]) / 2)]
        if task.kind != "type" and not any(_overlaps(task.target.box, s) for s in shown):
            continue  # the target's words did not fit in the prompt
        if task.kind in ("click", "type"):
            answer = {"action": task.kind, "point_1000": point, "box_1000": box, "text": task.target.text}
            completion = action_completion({**answer, "value": task.value})
        elif task.kind == "text2box":
            completion = json.dumps(
                {"box_1000": box, "point_1000": point, "text": task.target.text}, ensure_ascii=False
            )
        else:
            completion = json.dumps({"text": task.target.text}, ensure_ascii=False)
        completion = completion.strip()
        fields = prompt_format.record(task.instruction, completion, tokenizer, context=layout.text)
        start = fields["prompt"].find(layout.text.strip())
        words = [[s + start, e + start, round(x, 1), round(y, 1)] for s, e, x, y in layout.spans] if start >= 0 else []
        records.append(
            {
                "id": f"{page.content_hash or abs(hash(page.url))}-{index}",
                "url": page.url,
                "label": task.instruction,
                "topic": page.topic,
                "task": "act",
                "kind": task.kind,
                "target_box_1000": box,
                "target_text": task.target.text,
                "screen": [screen.width, screen.height],
                **fields,
                "words": words,
            }
        )
    return records


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def write_act_prompts(
    workspace,
    val_fraction: float = 0.1,
    seed: int = 0,
    limit_pages: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    format_name: str = "tinyweb",
    tokenizer=None,
) -> dict:
    """Render the workspace's pages, write prompts/act/{train,val}.jsonl + format.json; a summary dict."""
    from tinyweb.data.formats import get_format
    from tinyweb.store import PageStore
    from tinyweb.workspace import Workspace

    options = ActPromptOptions(val_fraction, seed, limit_pages, format_name)
    prompt_format = get_format(options.format_name)
    ws = workspace if isinstance(workspace, Workspace) else Workspace.open(Path(workspace))
    css = ws.framework_css.read_text(encoding="utf-8") if ws.framework_css.is_file() else ""
    with PageStore(ws.db_path) as store:
        records = [r for r in store.pages(status="ok") if r.semantic_html or r.styled_html]
    rng = random.Random(seed)
    records.sort(key=lambda r: r.url)
    rng.shuffle(records)
    records = records[: options.limit_pages]
    if not records:
        raise TinywebError("no captured pages to build act tasks from: run `tinyweb embed` or `tinyweb crawl` first")
    pages = [(r.url, page_html(r, css)) for r in records]
    screens = asyncio.run(_render_screens(pages, options.viewport, on_progress))
    val_count = round(len(records) * options.val_fraction)
    if options.val_fraction > 0 and len(records) > 1:
        val_count = max(1, val_count)
    val_urls = {r.url for r in records[:val_count]}
    out = {"train": [], "val": []}
    for record in records:
        if record.url in screens:
            split = "val" if record.url in val_urls else "train"
            out[split].extend(task_records(screens[record.url], record, prompt_format, rng, tokenizer))
    directory = ws.prompts_dir / "act"
    directory.mkdir(parents=True, exist_ok=True)
    for split, rows in out.items():
        with (directory / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (directory / SCREENS_FILE).open("w", encoding="utf-8") as handle:
        for url in sorted(val_urls & set(screens)):
            handle.write(json.dumps({"url": url, "screen": screens[url].to_dict()}, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for row in out["train"] + out["val"]:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    summary = {
        "pages": len(records),
        "rendered": len(screens),
        "failed": len(records) - len(screens),
        "val_pages": len(val_urls & set(screens)),
        "train": len(out["train"]),
        "val": len(out["val"]),
        "kinds": kinds,
        "train_path": str(directory / "train.jsonl"),
        "val_path": str(directory / "val.jsonl"),
    }
    meta = {"format": options.format_name, "task": "act", "options": asdict(options), "summary": summary}
    (directory / "format.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return summary
