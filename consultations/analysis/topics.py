"""Topics: spherical k-means over what a comment says and what it is about.

A comment's vector joins four kinds of evidence, each block L2-normalised and weighted:
- its words (TF-IDF of content lemmas and compound nouns);
- the card it targets (one-hot): the strongest single hint, chosen by the resident;
- how close its words are to each card's own text (the plan's goal, issues, measures and KPI rows), so a comment
  that uses a card's vocabulary lands near that card even when it targets the whole plan;
- whether it is about a KPI row, which lets KPI remarks on different cards meet.
Comments are grouped by average linkage (on k-means micro-clusters when there are many); the number of topics
is the cut with the best silhouette on a fixed, evenly spread sample (at most about √n), unless it is given.
Everything is seeded: the same comments give the same topics.
"""

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

WORD_WEIGHT = 1.0
TARGET_WEIGHT = 0.6
AFFINITY_WEIGHT = 0.4
KPI_WEIGHT = 0.7
MAX_VOCABULARY = 3000
SAMPLE = 1200
MAX_TOPICS = 60
TOPICS_PER_ROOT = 1.2
MICRO_CLUSTERS = 400
ITERATIONS = 40
SEED = 20221001


@dataclass(frozen=True)
class Unit:
    """One thing to cluster: a comment, or a campaign represented by one of its letters."""

    terms: tuple[str, ...]
    card: str = ""
    part: str = ""


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class Space:
    """The vector space of one run: vocabulary and IDF from the comments and the plan's cards."""

    def __init__(self, units: list[Unit], cards: dict[str, tuple[str, ...]]) -> None:
        self.cards = sorted(cards)
        card_index = {key: i for i, key in enumerate(self.cards)}
        documents = [unit.terms for unit in units] + [cards[key] for key in self.cards]
        df = Counter(term for terms in documents for term in set(terms))
        unit_df = Counter(term for unit in units for term in set(unit.terms))
        # Words at least two comments share (or a card and a comment): the rest cannot bring comments together.
        shared = [term for term, count in df.items() if count >= 2 and unit_df[term] >= 1]
        shared.sort(key=lambda term: (-df[term], term))
        self.vocabulary = {term: i for i, term in enumerate(sorted(shared[:MAX_VOCABULARY]))}
        total = len(documents)
        self.idf = np.zeros(len(self.vocabulary), dtype=np.float64)
        for term, i in self.vocabulary.items():
            self.idf[i] = math.log((1 + total) / (1 + df[term])) + 1
        self.prototypes = _normalise_rows(self.tfidf([cards[key] for key in self.cards]))
        self.card_index = card_index

    def tfidf(self, documents: list[tuple[str, ...]]) -> np.ndarray:
        matrix = np.zeros((len(documents), len(self.vocabulary)), dtype=np.float64)
        for row, terms in enumerate(documents):
            for term, count in Counter(terms).items():
                column = self.vocabulary.get(term)
                if column is not None:
                    matrix[row, column] = (1 + math.log(count)) * self.idf[column]
        return matrix

    def vectors(self, units: list[Unit]) -> np.ndarray:
        words = _normalise_rows(self.tfidf([unit.terms for unit in units]))
        affinity = np.clip(words @ self.prototypes.T, 0, None) if self.cards else np.zeros((len(units), 0))
        affinity = _normalise_rows(affinity**2)  # squared: the closest cards count, the long tail does not
        target = np.zeros((len(units), len(self.cards)))
        kpi = np.zeros((len(units), 1))
        for row, unit in enumerate(units):
            if unit.card in self.card_index:
                target[row, self.card_index[unit.card]] = 1.0
            if unit.part == "kpi":
                kpi[row, 0] = 1.0
        joined = np.hstack([WORD_WEIGHT * words, AFFINITY_WEIGHT * affinity, TARGET_WEIGHT * target, KPI_WEIGHT * kpi])
        return _normalise_rows(joined)


def kmeans(vectors: np.ndarray, k: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means with k-means++ seeding from a fixed seed. Returns (labels, unit-length centroids)."""
    n = len(vectors)
    k = max(1, min(k, n))
    rng = np.random.Generator(np.random.PCG64(seed))
    chosen = [0]
    distance = 1.0 - vectors @ vectors[0]
    for _ in range(1, k):
        weights = np.clip(distance, 0, None) ** 2
        total = weights.sum()
        pick = int(rng.choice(n, p=weights / total)) if total > 0 else int(np.argmax(distance))
        chosen.append(pick)
        distance = np.minimum(distance, 1.0 - vectors @ vectors[pick])
    centroids = vectors[chosen].copy()
    labels = np.full(n, -1)
    for _ in range(ITERATIONS):
        similarity = vectors @ centroids.T
        new_labels = similarity.argmax(axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        for cluster in range(k):
            members = labels == cluster
            if members.any():
                centroids[cluster] = vectors[members].sum(axis=0)
            else:  # an emptied cluster restarts at the unit worst served by its centroid
                worst = int(similarity.max(axis=1).argmin())
                centroids[cluster] = vectors[worst]
                labels[worst] = cluster
        centroids = _normalise_rows(centroids)
    return labels, centroids


def silhouette(vectors: np.ndarray, labels: np.ndarray) -> float:
    distance = 1.0 - vectors @ vectors.T
    clusters = np.unique(labels)
    if len(clusters) < 2:
        return -1.0
    mean_to = np.stack([distance[:, labels == c].mean(axis=1) for c in clusters], axis=1)
    sizes = np.array([(labels == c).sum() for c in clusters])
    own = np.searchsorted(clusters, labels)
    own_size = sizes[own]
    # a: mean distance to the other members of its own cluster (0 for a singleton, whose score is 0)
    a = mean_to[np.arange(len(labels)), own] * own_size / np.maximum(own_size - 1, 1)
    mean_to[np.arange(len(labels)), own] = np.inf
    b = mean_to.min(axis=1)
    scores = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(scores.mean())


def dendrogram(vectors: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Average-linkage merges of unit vectors, from micro-clusters when there are many.

    The mean cosine between two groups is the dot product of their vector sums over the product of their sizes,
    so the merges need only the groups' sums, never all pairs of comments. Returns (micro-cluster of each
    vector, merges in order as (kept, absorbed) micro-cluster pairs).
    """
    n = len(vectors)
    if n > MICRO_CLUSTERS:
        micro, _centroids = kmeans(vectors, MICRO_CLUSTERS)
    else:
        micro = np.arange(n)
    m = int(micro.max()) + 1 if n else 0
    sums = np.zeros((m, vectors.shape[1]))
    np.add.at(sums, micro, vectors)
    sizes = np.bincount(micro, minlength=m).astype(np.float64)
    gram = sums @ sums.T
    mean = gram / np.outer(sizes, sizes)
    np.fill_diagonal(mean, -np.inf)
    active = np.ones(m, dtype=bool)
    merges: list[tuple[int, int]] = []
    for _ in range(m - 1):
        kept, absorbed = divmod(int(np.argmax(mean)), m)
        kept, absorbed = min(kept, absorbed), max(kept, absorbed)
        merges.append((kept, absorbed))
        gram[kept] += gram[absorbed]
        gram[:, kept] += gram[:, absorbed]
        sizes[kept] += sizes[absorbed]
        active[absorbed] = False
        mean[kept] = np.where(active, gram[kept] / (sizes[kept] * sizes), -np.inf)
        mean[kept, kept] = -np.inf
        mean[:, kept] = mean[kept]
        mean[absorbed] = -np.inf
        mean[:, absorbed] = -np.inf
    return micro, merges


def cut(micro: np.ndarray, merges: list[tuple[int, int]], k: int) -> np.ndarray:
    """Labels 0…k-1 (numbered in order of first appearance) after all but the last k-1 merges."""
    m = int(micro.max()) + 1
    parent = list(range(m))
    for kept, absorbed in merges[: max(0, m - k)]:
        parent[absorbed] = kept

    def root(item: int) -> int:
        while parent[item] != item:
            item = parent[item]
        return item

    roots = np.array([root(item) for item in range(m)])[micro]
    _values, labels = np.unique(roots, return_inverse=True)
    order = {value: rank for rank, value in enumerate(dict.fromkeys(labels.tolist()))}
    return np.array([order[label] for label in labels.tolist()])


def candidate_counts(n: int) -> list[int]:
    # At most about √n topics: a topic should gather enough comments to be answered as one point.
    top = max(2, min(MAX_TOPICS, round(TOPICS_PER_ROOT * math.sqrt(n))))
    return list(range(2, top + 1))


def cluster(vectors: np.ndarray, count: int | None = None) -> np.ndarray:
    """Topic labels for unit vectors; k is the best silhouette on an evenly spread sample unless `count` is given."""
    n = len(vectors)
    if n == 0:
        return np.zeros(0, dtype=int)
    if n < 4 and not count:
        return np.zeros(n, dtype=int)
    micro, merges = dendrogram(vectors)
    groups = int(micro.max()) + 1
    if count:
        return cut(micro, merges, min(count, groups))
    sample = np.linspace(0, n - 1, min(n, SAMPLE)).round().astype(int)
    best_k, best_score = 1, -np.inf
    for k in candidate_counts(n):
        if k > groups:
            break
        score = silhouette(vectors[sample], cut(micro, merges, k)[sample])
        if score > best_score + 1e-9:
            best_k, best_score = k, score
    return cut(micro, merges, best_k)
