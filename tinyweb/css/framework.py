"""The build-css stage: mine a class framework from the styled pages and convert every page.

Reads pages.db (styled html) and topics.json; writes framework.css, framework.json, each
page's semantic html (in pages.db) and build-css.json; reports coverage, sizes and the
compression of the corpus in characters and tokens.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from tinyweb.css.base import base_css, choose_base, rebase
from tinyweb.css.convert import embed_framework, page_elements, rewrite_page
from tinyweb.css.mine import AtomSet, mine_classes
from tinyweb.css.naming import class_names
from tinyweb.css.report import CompressionReport, compression_report
from tinyweb.css.tokens import DEFAULT_TOKENIZER, token_counter
from tinyweb.errors import TinywebError
from tinyweb.store import PageStore
from tinyweb.workspace import Workspace

NO_TOPIC = "site"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildCssOptions:
    workspace: Path
    """Workspace with pages.db (and topics.json, from `tinyweb topics`)."""
    min_support: int = 3
    """A class must serve at least this many elements."""
    max_classes: int = 1000
    """Upper bound on the classes in framework.css."""
    tokenizer: str = DEFAULT_TOKENIZER
    """Tokenizer for the compression figures: cl100k_base (offline) or a hub id or local path."""
    verify: bool = True
    """Render semantic and styled pages and compare pixels."""
    concurrency: int = 2
    """Pages rendered at once while verifying."""
    base: bool = True
    """Move declarations most elements of a tag carry into a type rule (others get `revert`)."""

    def __post_init__(self):
        if self.min_support < 2:
            raise TinywebError("--min-support must be >= 2 (a class used once saves nothing)")
        if self.max_classes < 1:
            raise TinywebError("--max-classes must be >= 1")
        if self.concurrency < 1:
            raise TinywebError("--concurrency must be >= 1")


@dataclass
class BuildCssSummary:
    pages: int
    classes: int
    coverage: float
    """Share of the elements' declarations (atoms) served by base rules and classes, not inline."""
    framework_bytes: int
    framework_tokens: int
    compression: CompressionReport
    topics_used: bool
    median_fidelity: float | None = None
    min_fidelity: float | None = None
    fidelity: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    top_classes: list[tuple[str, int, str]] = field(default_factory=list)
    """(name, elements using it, declarations) of the most used classes."""


def build_css(options: BuildCssOptions, on_progress: Progress | None = None) -> BuildCssSummary:
    started = time.perf_counter()
    progress = on_progress or (lambda stage, done, total: None)
    workspace = Workspace.open(options.workspace)
    with PageStore(workspace.db_path) as store:
        pages = [p for p in store.pages(status="ok") if p.styled_html]
        if not pages:
            raise TinywebError(
                f"no captured pages in {workspace.db_path}: run `tinyweb embed` or `tinyweb crawl` first"
            )
        page_topics, topics_used = _page_topics(workspace, pages)
        count_tokens = token_counter(options.tokenizer)
        atom_cost = lru_cache(maxsize=None)(lambda atom: count_tokens(atom) + 1.0)

        # (topic, tag, role, atoms) of every element, counted: pages repeat the same elements a lot.
        elements: Counter[tuple[str, str, str, tuple[str, ...]]] = Counter()
        for done, page in enumerate(pages, 1):
            for element in page_elements(LexborHTMLParser(page.styled_html)):
                elements[(page_topics[page.url], element.tag, element.role, element.atoms)] += 1
            progress("read styles", done, len(pages))
        base = _choose_base(elements, atom_cost, options.min_support) if options.base else {}

        element_sets: Counter[AtomSet] = Counter()
        topics_of: dict[AtomSet, Counter[str]] = defaultdict(Counter)
        roles_of: dict[AtomSet, Counter[str]] = defaultdict(Counter)
        for (topic, tag, role, atoms), n in elements.items():
            atom_set = frozenset(rebase(base.get(tag, ()), atoms))
            if atom_set:
                element_sets[atom_set] += n
                topics_of[atom_set][topic] += n
                roles_of[atom_set][role] += n

        progress("mine classes", 0, 1)
        mined = mine_classes(element_sets, atom_cost, options.min_support, options.max_classes)
        progress("mine classes", 1, 1)
        names = _name_classes(mined, topics_of, roles_of)
        framework_css = _framework_css(base, mined.classes, names)
        _write_framework_json(workspace, mined, names, topics_of, roles_of)
        workspace.framework_css.write_text(framework_css, encoding="utf-8")

        def classes_for(tag: str, atoms: tuple[str, ...]) -> tuple[list[str], list[str]]:
            rebased = frozenset(rebase(base.get(tag, ()), atoms))
            if not rebased:
                return [], []
            cover = mined.covers[rebased]
            return [names[i] for i in cover.classes], list(cover.remainder)

        semantic: dict[str, str] = {}
        for done, page in enumerate(pages, 1):
            semantic[page.url] = rewrite_page(page.styled_html, classes_for, page.url)
            store.update_columns(page.url, commit=False, semantic_html=semantic[page.url])
            progress("convert pages", done, len(pages))
        store.conn.commit()

        fidelity: dict[str, float] = {}
        if options.verify:
            fidelity = _verify(pages, semantic, framework_css, options.concurrency, progress)
            for url, share in fidelity.items():
                store.update_columns(url, commit=False, semantic_fidelity=share)
            store.conn.commit()

    total_atoms = sum(len(atoms) * n for (_, _, _, atoms), n in elements.items())
    inline_atoms = sum(len(mined.covers[s].remainder) * n for s, n in element_sets.items())
    shares = sorted(fidelity.values())
    summary = BuildCssSummary(
        pages=len(pages),
        classes=len(mined.classes),
        coverage=max(0.0, 1 - inline_atoms / total_atoms) if total_atoms else 0.0,
        framework_bytes=len(framework_css.encode()),
        framework_tokens=count_tokens(framework_css),
        compression=compression_report(
            [(p.url, p.styled_html, semantic[p.url]) for p in pages], count_tokens, framework_css
        ),
        topics_used=topics_used,
        median_fidelity=statistics.median(shares) if shares else None,
        min_fidelity=shares[0] if shares else None,
        fidelity=fidelity,
        seconds=time.perf_counter() - started,
        top_classes=sorted(
            ((names[i], mined.usage[i], "; ".join(sorted(c))) for i, c in enumerate(mined.classes)),
            key=lambda row: -row[1],
        )[:8],
    )
    workspace.write_manifest(
        "build-css",
        {k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()},
        [str(workspace.db_path)],
        {k: v for k, v in asdict(summary).items() if k not in ("fidelity",)},
    )
    return summary


def _page_topics(workspace: Workspace, pages) -> tuple[dict[str, str], bool]:
    if not workspace.topics_path.is_file():
        return {p.url: NO_TOPIC for p in pages}, False
    try:
        assigned = json.loads(workspace.topics_path.read_text(encoding="utf-8"))["pages"]
    except (ValueError, KeyError) as exc:
        raise TinywebError(f"{workspace.topics_path} is not a topics file: run `tinyweb topics` again") from exc
    return {p.url: assigned.get(p.url, NO_TOPIC) for p in pages}, True


def _name_classes(mined, topics_of, roles_of) -> list[str]:
    topics = [Counter() for _ in mined.classes]
    roles = [Counter() for _ in mined.classes]
    for atom_set, cover in mined.covers.items():
        for index in cover.classes:
            topics[index].update(topics_of[atom_set])
            roles[index].update(roles_of[atom_set])
    return class_names(topics, roles, mined.usage)


def _choose_base(elements, atom_cost, min_elements: int) -> dict[str, tuple[str, ...]]:
    tag_elements: Counter[str] = Counter()
    tag_atoms: Counter[tuple[str, str]] = Counter()
    for (_, tag, _, atoms), n in elements.items():
        tag_elements[tag] += n
        for atom in atoms:
            tag_atoms[(tag, atom)] += n
    return choose_base(tag_elements, tag_atoms, atom_cost, min_elements)


def _framework_css(base: dict[str, tuple[str, ...]], classes: list[AtomSet], names: list[str]) -> str:
    lines = [
        "/* tinyweb framework: a base rule per tag, then classes mined from the corpus, named topic-role.",
        "   No two classes an element carries set the same property, and classes outrank the base rules,",
        "   so rule order never changes a computed value. */",
        *base_css(base),
    ]
    for index in sorted(range(len(classes)), key=lambda i: names[i]):
        lines.append(f".{names[index]} {{ {'; '.join(sorted(classes[index]))} }}")
    return "\n".join(lines) + "\n"


def _write_framework_json(workspace: Workspace, mined, names, topics_of, roles_of) -> None:
    entries = {}
    for index, atom_set in enumerate(mined.classes):
        topic, role = names[index].split("-", 1)
        entries[names[index]] = {
            "declarations": sorted(atom_set),
            "support": mined.usage[index],
            "topic": topic,
            "role": role,
        }
    workspace.framework_json.write_text(json.dumps(dict(sorted(entries.items())), indent=2) + "\n", encoding="utf-8")


def _verify(pages, semantic, framework_css, concurrency, progress) -> dict[str, float]:
    from tinyweb.css.verify import verify_pages

    pairs = [(p.url, p.styled_html, embed_framework(semantic[p.url], framework_css)) for p in pages]
    done = Counter()

    def on_page(url: str, share: float) -> None:
        done["n"] += 1
        progress("verify", done["n"], len(pairs))

    return verify_pages(pairs, concurrency, on_page)
