"""Agreement of an analysis with hand labels: ARI and NMI for topics, pairwise precision/recall for campaigns."""

import math
from collections import Counter
from itertools import combinations


def _pairs(count: int) -> float:
    return count * (count - 1) / 2


def adjusted_rand_index(truth: list, predicted: list) -> float:
    joint = Counter(zip(truth, predicted, strict=True))
    rows, columns = Counter(truth), Counter(predicted)
    index = sum(_pairs(n) for n in joint.values())
    row_pairs, column_pairs = sum(_pairs(n) for n in rows.values()), sum(_pairs(n) for n in columns.values())
    expected = row_pairs * column_pairs / _pairs(len(truth)) if len(truth) > 1 else 0.0
    maximum = (row_pairs + column_pairs) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def _entropy(counts: Counter, total: int) -> float:
    return -sum(n / total * math.log(n / total) for n in counts.values() if n)


def normalized_mutual_information(truth: list, predicted: list) -> float:
    """NMI with the arithmetic mean of the two entropies (scikit-learn's default)."""
    total = len(truth)
    joint = Counter(zip(truth, predicted, strict=True))
    rows, columns = Counter(truth), Counter(predicted)
    mutual = sum(n / total * math.log(n * total / (rows[a] * columns[b])) for (a, b), n in joint.items())
    mean_entropy = (_entropy(rows, total) + _entropy(columns, total)) / 2
    return 1.0 if mean_entropy == 0 else mutual / mean_entropy


def pair_precision_recall(truth_groups: list[set], predicted_groups: list[set]) -> tuple[float, float]:
    """Over pairs of items put together: share of predicted pairs that are true, and of true pairs found."""

    def pairs(groups: list[set]) -> set[frozenset]:
        return {frozenset(pair) for group in groups for pair in combinations(sorted(group), 2)}

    truth, predicted = pairs(truth_groups), pairs(predicted_groups)
    precision = len(truth & predicted) / len(predicted) if predicted else 1.0
    recall = len(truth & predicted) / len(truth) if truth else 1.0
    return precision, recall
