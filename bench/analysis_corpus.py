"""A deterministic corpus of many comments for the analysis benchmark, grown from the hand-labelled sets.

Each comment joins sentences of two labelled comments, half the time on the same topic (so texts repeat words,
not whole letters), sometimes with a greeting or a closing; one in ten is a copy of a campaign letter with light edits.
"""

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consultations.analysis.text import sentences  # noqa: E402
from tests.consultations.labelled_set import LABELLED_SETS, load  # noqa: E402

GREETINGS = ["", "", "", "いつもお世話になっております。", "こんにちは。", "はじめまして。"]
CLOSINGS = ["", "", "", "よろしくお願いします。", "以上です。"]


def corpus(count: int, seed: int = 12) -> list[dict]:
    """`count` comments as dicts: text, card, part (the card's number or '')."""
    rng = random.Random(seed)
    rows = []
    by_topic: dict[str, list] = {}
    letters = []
    for name in LABELLED_SETS:
        labelled = load(name)
        for comment in labelled.inputs:
            if comment.receipt in labelled.campaign:
                letters.append(comment)
            elif comment.receipt not in labelled.language:
                by_topic.setdefault(labelled.topic[comment.receipt], []).append(comment)
    topics = sorted(by_topic)
    for _ in range(count):
        if rng.random() < 0.1:
            letter = rng.choice(letters)
            text = rng.choice(GREETINGS) + letter.text.replace("ください", rng.choice(["ください", "下さい"]))
            rows.append({"text": text, "card": letter.card, "part": letter.part})
            continue
        pool = by_topic[rng.choice(topics)]
        # Half the comments stray: their last sentence is on another topic, as residents' often are.
        first, second = rng.choice(pool), rng.choice(pool if rng.random() < 0.5 else by_topic[rng.choice(topics)])
        parts = sentences(first.text)[:2] + sentences(second.text)[-1:]
        text = rng.choice(GREETINGS) + "".join(parts) + rng.choice(CLOSINGS)
        rows.append({"text": text, "card": first.card, "part": first.part})
    return rows
