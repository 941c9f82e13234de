"""Labels: the request a page answers, written like a user would ask ("a menu page for a bakery website").

Strategies (LABELS registry): title (cleaned of site-name noise), description, topic, auto
(all of them combined). Each starts with the kind of page, guessed from its URL and title.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|»|«|/|:)\s+")
NOISE = re.compile(r"^(home|homepage|home page|start|startseite|accueil|inicio|welcome( to)?|index)$", re.I)
WELCOME = re.compile(r"^welcome to\s+", re.I)

# (words in the URL path or title) -> kind of page; first match wins
KINDS: list[tuple[tuple[str, ...], str]] = [
    (("contact", "kontakt", "contacto", "impressum"), "contact"),
    (("about", "ueber-uns", "uber-uns", "team"), "about"),
    (("menu", "speisekarte", "carte"), "menu"),
    (("order", "checkout", "cart", "basket", "warenkorb"), "order form"),
    (("booking", "book", "reserve", "reservation", "termin"), "booking"),
    (("join", "signup", "sign-up", "register", "membership"), "sign-up"),
    (("login", "signin", "sign-in"), "login"),
    (("fixtures", "results", "table", "standings", "schedule"), "fixtures and results"),
    (("portfolio", "gallery", "galerie", "photos"), "portfolio"),
    (("pricing", "prices", "preise", "plans"), "pricing"),
    (("faq", "help", "support"), "FAQ"),
    (("shop", "store", "product", "products"), "shop"),
    (("blog", "news", "article", "post", "story", "aktuelles"), "article"),
    (("event", "events", "veranstaltungen"), "events"),
]

LANGUAGES = {
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "fi": "Finnish",
    "ru": "Russian",
    "ja": "Japanese",
    "zh": "Chinese",
    "ko": "Korean",
    "tr": "Turkish",
    "cs": "Czech",
}


@dataclass(frozen=True)
class PageFacts:
    """What a label is made from."""

    url: str
    title: str = ""
    description: str = ""
    topic: str | None = None
    lang: str = ""


def site_names(titles: list[str]) -> set[str]:
    """Title segments that recur across pages (the site's name): noise to drop from labels."""
    counts = Counter()
    for title in titles:
        counts.update({part.strip().lower() for part in SEPARATORS.split(title or "") if part.strip()})
    threshold = max(2, int(0.3 * len(titles)))
    return {segment for segment, n in counts.items() if n >= threshold}


def clean_title(title: str, noise: set[str] = frozenset()) -> str:
    """The page's own part of its title: site name, "Home" and "Welcome to" removed.

    The site name is a segment recurring across the corpus's titles (`noise`) or, by the
    "Page | Site" convention, a short (<= 3 words) last segment after the page's own.
    """
    parts = [p.strip() for p in SEPARATORS.split(title or "") if p.strip()]
    kept = [p for p in parts if p.lower() not in noise and not NOISE.match(p)]
    if len(kept) > 1 and len(kept) == len(parts) and len(kept[-1].split()) <= 3:
        kept = kept[:-1]
    text = " - ".join(kept) if kept else ""
    return WELCOME.sub("", text).strip(" .")


def page_kind(url: str, title: str = "") -> str:
    path = urlsplit(url).path.lower()
    words = set(re.split(r"[^a-z0-9-]+", path + " " + (title or "").lower()))
    for keys, kind in KINDS:
        if words & set(keys):
            return kind
    stem = path.rstrip("/").rsplit("/", 1)[-1]
    if stem in ("", "index.html", "index.htm", "index.php", "home", "home.html"):
        return "landing"
    return "content"


GENERIC_TOPICS = {"site", "page", "pages", "misc", "other", "others", "general", "outlier", "outliers", "unknown"}


def topic_words(topic: str | None) -> str:
    """The topic as words; "" for placeholder topics (build-css names unthemed classes site-ROLE)."""
    words = re.sub(r"[-_]+", " ", topic or "").strip()
    return "" if words.lower() in GENERIC_TOPICS else words


def language(lang: str) -> str:
    return LANGUAGES.get((lang or "").split("-")[0].lower(), "")


def short(text: str, words: int = 30) -> str:
    parts = (text or "").split()
    return " ".join(parts[:words]) + ("..." if len(parts) > words else "")


def _kind_phrase(page: PageFacts) -> str:
    kind = page_kind(page.url, page.title)
    return f"an {kind} page" if kind[0] in "aeiouAEIOU" else f"a {kind} page"


def title_label(page: PageFacts, noise: set[str]) -> str:
    title = clean_title(page.title, noise)
    if not title:
        return f"{_kind_phrase(page)} for {urlsplit(page.url).hostname or 'a website'}"
    return f'{_kind_phrase(page)} titled "{title}"'


def description_label(page: PageFacts, noise: set[str]) -> str:
    if not (page.description or "").strip():
        return title_label(page, noise)
    return f"{_kind_phrase(page)}: {short(page.description)}"


def topic_label(page: PageFacts, noise: set[str]) -> str:
    topic = topic_words(page.topic)
    if not topic:
        return title_label(page, noise)
    return f"{_kind_phrase(page)} for a {topic} website"


def auto_label(page: PageFacts, noise: set[str]) -> str:
    """Kind, topic, language, title and description, as far as known."""
    text = _kind_phrase(page)
    if topic_words(page.topic):
        text += f" for a {topic_words(page.topic)} website"
    if language(page.lang):
        text += f" in {language(page.lang)}"
    title = clean_title(page.title, noise)
    if title:
        text += f', titled "{title}"'
    description = (page.description or "").strip()
    if description and description.lower() not in (page.title or "").lower():
        text += f": {short(description, 25)}"
    return text


LABELS: dict[str, Callable[[PageFacts, set[str]], str]] = {
    "title": title_label,
    "description": description_label,
    "topic": topic_label,
    "auto": auto_label,
}
