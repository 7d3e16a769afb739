"""Near-duplicates: one letter sent many times with small edits becomes one campaign.

Each text becomes a set of character 4-grams taken within its sentences (after normalisation, without greetings
and punctuation), so swapping sentences, changing width or punctuation, adding a greeting or a name moves few of
them. MinHash with fixed seeds and banded LSH find candidate pairs in near-linear time; a pair is the same letter
when the sets overlap enough (Jaccard, or containment for a letter with a paragraph added). Identical normalised
texts are joined first, without any hashing.
"""

import zlib
from collections import defaultdict

import numpy as np

from consultations.analysis.text import is_greeting, letters, normalise, sentences

SHINGLE = 4
HASHES = 60
BANDS = 20
ROWS = HASHES // BANDS
PRIME = (1 << 61) - 1
# Fixed seeds: the same texts always give the same signatures, on every machine.
_rng = np.random.Generator(np.random.PCG64(20221001))
COEF_A = _rng.integers(1, 1 << 31, size=HASHES, dtype=np.uint64)
COEF_B = _rng.integers(0, 1 << 31, size=HASHES, dtype=np.uint64)
JACCARD = 0.5
CONTAINMENT = 0.75
MIN_SHINGLES = 12
# A bucket of thousands (one letter sent by thousands, each copy lightly edited) is checked against at most this
# many of its groups, so the pairs checked grow with the comments, not with their square.
BUCKET_GROUPS = 8


def shingles(text: str) -> frozenset[int]:
    kept = [letters(normalise(sentence)) for sentence in sentences(text) if not is_greeting(sentence)]
    grams: set[int] = set()
    for sentence in kept or [letters(normalise(text))]:
        if len(sentence) < SHINGLE:
            if sentence:
                grams.add(zlib.crc32(sentence.encode()))
            continue
        grams.update(zlib.crc32(sentence[i : i + SHINGLE].encode()) for i in range(len(sentence) - SHINGLE + 1))
    return frozenset(grams)


def signature(grams: frozenset[int]) -> np.ndarray:
    values = np.fromiter(sorted(grams), dtype=np.uint64, count=len(grams))
    # (a·x + b) mod p on 31-bit a, b and 32-bit x stays below 2^64: no overflow.
    hashed = (values[:, None] * COEF_A[None, :] + COEF_B[None, :]) % np.uint64(PRIME)
    return hashed.min(axis=0)


def same_letter(a: frozenset[int], b: frozenset[int]) -> bool:
    common = len(a & b)
    if not common:
        return False
    if common / len(a | b) >= JACCARD:
        return True
    return min(len(a), len(b)) >= MIN_SHINGLES and common / min(len(a), len(b)) >= CONTAINMENT


class _Union:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def exact_key(text: str) -> str:
    return letters(normalise(text))


def fingerprint(text: str) -> tuple[str, bytes]:
    """What the grouping needs of one text, computed text by text (and so in chunks on several workers):
    its normalised letters and its MinHash signature (empty without shingles)."""
    grams = shingles(text)
    return exact_key(text), signature(grams).astype("<u8").tobytes() if grams else b""


def group(texts: list[str], fingerprints: list[tuple[str, bytes]] | None = None) -> list[list[int]]:
    """Indices of `texts` grouped by letter, each group sorted, groups in order of their first index.

    `fingerprints` (one `fingerprint(text)` per text) may be given when computed elsewhere; they are the same
    whoever computes them, so the groups are too.
    """
    if fingerprints is None:
        fingerprints = [fingerprint(text) for text in texts]
    union = _Union(len(texts))
    exact: dict[str, int] = {}
    representatives: list[int] = []
    for index, (key, _sig) in enumerate(fingerprints):
        if key in exact:
            union.join(exact[key], index)
        else:
            exact[key] = index
            representatives.append(index)

    buckets: dict[tuple, list[int]] = defaultdict(list)
    for index in representatives:
        sig = fingerprints[index][1]
        if not sig:
            continue
        step = ROWS * 8
        for band in range(BANDS):
            buckets[(band, sig[band * step : (band + 1) * step])].append(index)
    grams: dict[int, frozenset[int]] = {}

    def grams_of(index: int) -> frozenset[int]:
        if index not in grams:
            grams[index] = shingles(texts[index])
        return grams[index]

    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        # Each member is checked against the first member of each group already met in the bucket (a bounded
        # number of them): joining is transitive, so one letter of a group stands for all of it.
        heads: list[int] = []
        for b in members:
            root = union.find(b)
            for a in heads:
                if union.find(a) == root:
                    break
                if (a, b) in checked:
                    continue
                checked.add((a, b))
                if same_letter(grams_of(a), grams_of(b)):
                    union.join(a, b)
                    root = union.find(b)
                    break
            else:
                if len(heads) < BUCKET_GROUPS:
                    heads.append(b)

    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(texts)):
        groups[union.find(index)].append(index)
    return sorted(groups.values(), key=lambda members: members[0])
