"""The hand-labelled comments of tests/consultations/data/*.yaml as analysis input, and the scores of a run.

Used by the analysis tests and by `make bench`; the plan's card texts come from the shipped YAML, so the scores
need no database.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from consultations.analysis.metrics import (
    adjusted_rand_index,
    normalized_mutual_information,
    pair_precision_recall,
)
from consultations.analysis.pipeline import CommentInput, Result

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
LABELLED_SETS = ["analysis_labelled.yaml", "analysis_second.yaml"]
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def fake_receipt(label: str) -> str:
    digest = hashlib.sha256(label.encode()).digest()
    body = "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:8])
    return f"{body[:4]}-{body[4:]}"


def card_texts() -> dict[str, str]:
    """Card number → the card's own words (title, goal, issues, overview, measures, KPI rows)."""
    texts = {}
    for path in sorted((ROOT / "plan" / "data" / "ja").glob("cards-*.yaml")):
        for card in yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]:
            parts = [card["title"], card.get("subtitle", "")]
            parts += [goal["text"] for goal in card.get("goal", [])]
            parts += card.get("issues", []) + card.get("overview", []) + card.get("measures", [])
            for kpi in card.get("kpis", []):
                parts += [kpi["indicator"], kpi.get("target", "")]
                parts += [step["text"] for step in kpi.get("schedule", [])]
            texts[card["number"]] = "\n".join(part for part in parts if part)
    return texts


@dataclass
class Labelled:
    inputs: list[CommentInput]
    topic: dict[str, str]  # receipt → label
    campaign: dict[str, str]  # receipt → campaign key (letters only)
    language: dict[str, str]  # receipt → language (other languages only)


def load(name: str = "analysis_labelled.yaml") -> Labelled:
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    inputs, topic, campaign, language = [], {}, {}, {}

    def add(row: dict, label: str, card: str, part: str) -> str:
        receipt = fake_receipt(f"{name}:{row['id']}")
        target = f"{card} {part}" if card else ""
        inputs.append(
            CommentInput(
                receipt=receipt,
                text=row["text"],
                card=card,
                part=part,
                target=target,
                sender=f"sender:{row['id']}",
                external_id=row["id"],
            )
        )
        topic[receipt] = label
        return receipt

    for row in data["comments"]:
        add(row, row["topic"], row.get("card", ""), row.get("part", "whole"))
    for group in data.get("campaigns", []):
        for row in group["letters"]:
            campaign[add(row, group["topic"], group.get("card", ""), group.get("part", "whole"))] = group["key"]
    for row in data.get("foreign", []):
        language[add(row, row["topic"], row.get("card", ""), row.get("part", "whole"))] = row["language"]
    return Labelled(inputs, topic, campaign, language)


def scores(labelled: Labelled, result: Result) -> dict[str, float]:
    """ARI/NMI on Japanese on-topic comments, campaign pair precision/recall, language accuracy."""
    predicted = {comment.receipt: comment for comment in result.comments}
    scored = [
        r for r, label in labelled.topic.items() if label not in {"other", "foreign"} and r not in labelled.language
    ]
    truth = [labelled.topic[r] for r in scored]
    topics = [predicted[r].topic for r in scored]
    true_groups: dict[str, set] = {}
    for receipt, key in labelled.campaign.items():
        true_groups.setdefault(key, set()).add(receipt)
    found_groups = [set(members) for members in result.campaign_members.values()]
    precision, recall = pair_precision_recall(list(true_groups.values()), found_groups)
    languages_right = sum(predicted[r].language == lang for r, lang in labelled.language.items())
    return {
        "ari": adjusted_rand_index(truth, topics),
        "nmi": normalized_mutual_information(truth, topics),
        "campaign_precision": precision,
        "campaign_recall": recall,
        "language_accuracy": languages_right / len(labelled.language) if labelled.language else 1.0,
        "topics": len(result.topics),
    }
