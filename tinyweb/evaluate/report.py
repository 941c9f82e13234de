"""The eval report: metrics.json, screenshots, the pages themselves, and index.html built from metrics.json.

index.html is a plain static page (no scripts, relative links) that opens from disk: a
run summary with the baseline row, what each metric means, then per val page the reference
and generated screenshots side by side with their metrics.
"""

from __future__ import annotations

import json
import re
import time
from html import escape
from pathlib import Path

from tinyweb import __version__
from tinyweb.evaluate.metrics import VISUAL_METRICS

METRIC_LABELS = {
    "valid": ("valid", "parses, renders, and shows something"),
    "block_match": ("block match", "area of matched text blocks over the area of all text blocks"),
    "text": ("text", "character similarity of matched blocks"),
    "position": ("position", "1 - largest centre offset of matched blocks (page size = 1)"),
    "color": ("colour", "1 - CIEDE2000/100 of matched text colours"),
    "ssim": ("SSIM", "structural similarity of the two screenshots, over windows where either has content"),
    "score": ("score", "mean of block match, text, position, colour and SSIM"),
}
STRUCTURE_LABELS = {"tags": "tags", "depth": "DOM depth", "unique_tags": "unique tags"}

CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f6f6f4; }
header, main { max-width: 1400px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 40px 0 8px; }
.meta { color: #5b5b60; margin: 0 0 16px; }
table { border-collapse: collapse; background: #fff; margin: 8px 0 16px; }
th, td { border: 1px solid #d9d9d6; padding: 5px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #ecece8; }
tr.baseline td { color: #5b5b60; font-style: italic; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 16px; }
dt { font-weight: 600; }
.shots { display: grid; grid-template-columns: repeat(var(--columns), minmax(0, 1fr)); gap: 12px; }
figure { margin: 0; background: #fff; border: 1px solid #d9d9d6; }
figcaption { padding: 6px 10px; font-weight: 600; border-bottom: 1px solid #d9d9d6; }
.frame { height: 420px; overflow: auto; }
.frame img { display: block; width: 100%; height: auto; }
.missing { padding: 16px; color: #a1261b; }
section.page { border-top: 1px solid #d9d9d6; padding-bottom: 8px; }
"""


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "run"


def _write_png(path: Path, png: bytes | None) -> str | None:
    if not png:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    return f"{path.parent.name}/{path.name}"


def _write_html(path: Path, html: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return f"{path.parent.name}/{path.name}"


def build_metrics(report_dir, name, options, run_dirs, pages, references, reference_shots, systems, seconds) -> dict:
    """metrics.json's content; writes screenshots and pages under report_dir as it goes."""
    from tinyweb.evaluate.structure import structure_stats
    from tinyweb.workspace import file_sha256

    report_dir = Path(report_dir)
    slugs = []
    for system in systems:
        candidate = slug(system.name)
        while candidate in slugs or candidate == "reference":
            candidate += "-2"
        slugs.append(candidate)
    page_entries = []
    for index, (page, ref_html, ref_shot) in enumerate(zip(pages, references, reference_shots, strict=True)):
        stem = f"{index + 1:03d}"
        entry = {
            "id": page.id,
            "label": page.label,
            "url": page.url,
            "reference": {
                "screenshot": _write_png(report_dir / "shots" / f"{stem}-reference.png", ref_shot.png),
                "html": _write_html(report_dir / "pages" / f"{stem}-reference.html", ref_html),
                "error": ref_shot.error,
                "blocks": len(ref_shot.blocks),
                "structure": structure_stats(ref_html),
            },
            "results": [],
        }
        for system, system_slug in zip(systems, slugs, strict=True):
            sample = system.samples[index]
            entry["results"].append(
                {
                    "system": system_slug,
                    "screenshot": _write_png(
                        report_dir / "shots" / f"{stem}-{system_slug}.png", system.shots[index].png
                    ),
                    "html": _write_html(report_dir / "pages" / f"{stem}-{system_slug}.html", system.htmls[index]),
                    "error": system.shots[index].error,
                    "tokens": sample.tokens,
                    "stop": sample.stop,
                    **system.metrics[index],
                }
            )
        page_entries.append(entry)
    val_path = options.val_path
    return {
        "name": name,
        "task": "page",
        "tinyweb_version": __version__,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": seconds,
        "runs": [str(run_dir) for run_dir in run_dirs],
        "val_file": str(val_path),
        "val_sha256": file_sha256(str(val_path)),
        "options": {
            "limit": options.limit,
            "batch_size": options.batch_size,
            "baseline": options.baseline,
            "max_new_tokens": options.sampling.max_new_tokens,
            "temperature": options.sampling.temperature,
            "top_p": options.sampling.top_p,
            "seed": options.sampling.seed,
        },
        "systems": [
            {"name": system.name, "kind": system.kind, "slug": system_slug, "summary": system.summary}
            for system, system_slug in zip(systems, slugs, strict=True)
        ],
        "pages": page_entries,
    }


def write_report(report_dir, name, options, run_dirs, pages, references, reference_shots, systems, seconds):
    """Write metrics.json and index.html (plus shots/ and pages/); their paths."""
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    metrics = build_metrics(report_dir, name, options, run_dirs, pages, references, reference_shots, systems, seconds)
    metrics_path = report_dir / "metrics.json"
    metrics_path.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    index_path = report_dir / "index.html"
    index_path.write_text(render_index(metrics), encoding="utf-8")
    return metrics_path, index_path


def _fmt(value, percent: bool = True) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value * 100:.1f}" if percent else f"{value:.1f}"


def _summary_table(metrics: dict) -> str:
    heads = [METRIC_LABELS[k][0] for k in ("valid", *VISUAL_METRICS, "score")] + list(STRUCTURE_LABELS.values())
    rows = []
    for system in metrics["systems"]:
        s = system["summary"]
        cells = [_fmt(s.get(k)) for k in ("valid", *VISUAL_METRICS, "score")]
        cells += [_fmt(s.get(k), percent=False) for k in STRUCTURE_LABELS]
        rate = s.get("tokens_per_s")
        cells.append("-" if rate is None else f"{rate:.0f}")
        css_class = ' class="baseline"' if system["kind"] == "baseline" else ""
        rows.append(
            f"<tr{css_class}><td>{escape(system['name'])}</td>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
        )
    reference = _reference_structure(metrics)
    empty = "<td>-</td>" * (len(VISUAL_METRICS) + 2)
    rows.append(
        "<tr><td>reference pages</td>"
        + empty
        + "".join(f"<td>{_fmt(reference.get(k), percent=False)}</td>" for k in STRUCTURE_LABELS)
        + "<td>-</td></tr>"
    )
    head = "".join(f"<th>{escape(h)}</th>" for h in ["system", *heads, "tokens/s"])
    return f'<table class="summary"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _reference_structure(metrics: dict) -> dict:
    pages = metrics["pages"]
    if not pages:
        return {}
    return {k: sum(p["reference"]["structure"][k] for p in pages) / len(pages) for k in STRUCTURE_LABELS}


def _figure(caption: str, screenshot: str | None, html: str | None, error: str | None) -> str:
    link = f' (<a href="{escape(html)}">html</a>)' if html else ""
    if screenshot:
        body = f'<div class="frame"><img src="{escape(screenshot)}" alt="{escape(caption)}"></div>'
    else:
        body = f'<div class="missing">not rendered: {escape(error or "no screenshot")}</div>'
    return f"<figure><figcaption>{escape(caption)}{link}</figcaption>{body}</figure>"


def _page_section(number: int, page: dict, names: dict) -> str:
    ref = page["reference"]
    figures = [_figure("reference", ref["screenshot"], ref["html"], ref["error"])]
    rows = []
    for result in page["results"]:
        name = names[result["system"]]
        figures.append(
            _figure(f"{name}: score {_fmt(result['score'])}", result["screenshot"], result["html"], result["error"])
        )
        cells = [_fmt(result[k]) for k in ("valid", *VISUAL_METRICS, "score")]
        cells += [str(result["structure"][k]) for k in STRUCTURE_LABELS]
        cells += [str(result["tokens"]), escape(result["stop"])]
        rows.append(f"<tr><td>{escape(name)}</td>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head_names = [METRIC_LABELS[k][0] for k in ("valid", *VISUAL_METRICS, "score")] + list(STRUCTURE_LABELS.values())
    head = "".join(f"<th>{escape(h)}</th>" for h in ["system", *head_names, "tokens", "stop"])
    url = f' <span class="meta">{escape(page["url"])}</span>' if page.get("url") else ""
    return (
        f'<section class="page" id="page-{number}"><h2>{number}. {escape(page["label"])}{url}</h2>'
        f'<div class="shots" style="--columns: {len(figures)}">{"".join(figures)}</div>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def render_index(metrics: dict) -> str:
    """index.html from a metrics.json dict."""
    names = {system["slug"]: system["name"] for system in metrics["systems"]}
    definitions = "".join(
        f"<dt>{escape(label)}</dt><dd>{escape(meaning)}</dd>" for label, meaning in METRIC_LABELS.values()
    )
    sections = "".join(_page_section(i + 1, page, names) for i, page in enumerate(metrics["pages"]))
    meta = (
        f"{len(metrics['pages'])} val pages from {escape(metrics['val_file'])} · "
        f"{metrics['seconds']:.0f} s · tinyweb {escape(metrics['tinyweb_version'])} · {escape(metrics['created_at'])}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>tinyweb eval: {escape(metrics['name'])}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header><h1>tinyweb eval: {escape(metrics["name"])}</h1><p class="meta">{meta}</p></header>\n<main>\n'
        '<h2>Summary</h2>\n<p class="meta">Means over val pages, in percent (structure: per page). '
        "An invalid page scores 0 on every visual metric.</p>\n"
        f"{_summary_table(metrics)}\n<dl>{definitions}</dl>\n{sections}\n</main>\n</body>\n</html>\n"
    )
