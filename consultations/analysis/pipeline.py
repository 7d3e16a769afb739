"""One analysis run: languages, campaigns, topics and drafts of a consultation's comments, as plain data.

Input order does not matter (comments are taken in receipt order) and nothing depends on the clock, so the
same comments and settings give byte-identical JSON. Comments staff confirmed in a topic stay in it; other
comments are proposed into the existing topics when they are close enough, and the rest form new topics.
"""

import base64
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from consultations.analysis import campaigns, drafts, topics
from consultations.analysis.citations import CommentEvidence
from consultations.analysis.text import Words, detect_language, normalise, words

FOREIGN = "foreign"
FOREIGN_TITLE = "外国語の意見"
# How close a new comment must be to a confirmed topic's centre to be proposed into it.
PROPOSE_SIMILARITY = 0.3


@dataclass(frozen=True)
class CommentInput:
    receipt: str
    text: str  # as it may be shown: masked
    card: str = ""  # card number, e.g. "2-4-2"; empty for the plan as a whole
    part: str = ""
    target: str = ""  # 該当箇所 as shown, e.g. "2-4-2 KPI 1"
    sender: str = ""  # one sender's comments share it; empty: a sender of its own
    external_id: str = ""
    translation: str = ""  # Japanese, when a translator is configured and the comment is in another language
    topic: str = ""  # the topic staff confirmed it in (kept as it is)


@dataclass(frozen=True)
class Prepared:
    """The per-comment part of a run, which depends on the comment's own text alone: its language, words and
    campaign fingerprint. Computed comment by comment (in chunks on several workers past one machine), it is the
    same whoever computes it, so the run's output does not depend on how the comments were split."""

    language: str
    lemmas: tuple[str, ...]
    phrases: tuple[str, ...]
    exact: str
    signature: bytes

    def as_json(self) -> dict:
        return {
            "language": self.language,
            "lemmas": list(self.lemmas),
            "phrases": list(self.phrases),
            "exact": self.exact,
            "signature": base64.b64encode(self.signature).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Prepared":
        return cls(
            language=data["language"],
            lemmas=tuple(data["lemmas"]),
            phrases=tuple(data["phrases"]),
            exact=data["exact"],
            signature=base64.b64decode(data["signature"]),
        )


def prepare(text: str, translation: str = "") -> Prepared:
    """Language, content words and fingerprint of one (masked) comment and its Japanese translation, if any."""
    language = detect_language(text)
    analysed = text if language == "ja" else translation
    found = words(analysed, "ja") if analysed else words(text, language)
    exact, signature = campaigns.fingerprint(translation or text)
    return Prepared(language, found.lemmas, found.phrases, exact, signature)


@dataclass
class TopicResult:
    key: str
    title: str
    key_phrases: list[str]
    targets: list[str]
    members: list[str]
    senders: int
    campaigns: list[list[str]]
    summary: list[drafts.DraftSentence] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "targets": self.targets,
            "comments": len(self.members),
            "senders": self.senders,
            "campaigns": self.campaigns,
            "summary": [{"text": sentence.text, "cites": list(sentence.cites)} for sentence in self.summary],
        }


@dataclass
class CommentResult:
    receipt: str
    external_id: str
    text: str
    language: str
    topic: str | None
    campaign: str | None
    matched: list[str]  # the topic's key phrases found in the comment (highlighted on the board)

    def as_json(self) -> dict:
        return {
            "receipt": self.receipt,
            "external_id": self.external_id,
            "text": self.text,
            "language": self.language,
            "topic": self.topic,
            "campaign": self.campaign,
        }


@dataclass
class Result:
    comments: list[CommentResult]
    topics: list[TopicResult]
    campaign_members: dict[str, list[str]]

    def as_json(self) -> dict:
        return {
            "comments": [comment.as_json() for comment in self.comments],
            "topics": [topic.as_json() for topic in self.topics],
        }

    def dumps(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _senders(members: list[CommentInput]) -> int:
    return len({comment.sender or f"receipt:{comment.receipt}" for comment in members})


def _term_weights(receipts: list[str], evidence: dict[str, CommentEvidence], others: list[Counter]) -> dict:
    """How particular each term is to these comments against the other topics (c-TF-IDF)."""
    counts = Counter(term for receipt in receipts for term in evidence[receipt].lemmas)
    topics_with = Counter(term for other in others for term in other)
    total = len(others) + 1
    return {
        term: count / len(receipts) * math.log(1 + total / (1 + topics_with[term])) for term, count in counts.items()
    }


def analyse(
    comments: list[CommentInput],
    cards: dict[str, str],
    topic_count: int | None = None,
    progress: Callable[[int, str], None] = lambda percent, step: None,
    prepared: dict[str, Prepared] | None = None,
) -> Result:
    """Analyse `comments` against the plan's card texts (card number → its text).

    `prepared` (receipt → `prepare(comment.text, comment.translation)`) may come from elsewhere, e.g. Celery
    workers; what is missing is computed here.
    """
    comments = sorted(comments, key=lambda comment: comment.receipt)
    by_receipt = {comment.receipt: comment for comment in comments}
    index_of = {comment.receipt: i for i, comment in enumerate(comments)}
    progress(5, "words")
    prepared = dict(prepared or {})
    for comment in comments:
        if comment.receipt not in prepared:
            prepared[comment.receipt] = prepare(comment.text, comment.translation)
    ready = [prepared[comment.receipt] for comment in comments]
    languages = [item.language for item in ready]
    progress(30, "campaigns")
    groups = campaigns.group(
        [comment.translation or comment.text for comment in comments], [(item.exact, item.signature) for item in ready]
    )
    campaign_of: dict[str, str] = {}
    campaign_members: dict[str, list[str]] = {}
    multi = sorted((g for g in groups if len(g) > 1), key=lambda g: (-len(g), comments[g[0]].receipt))
    for number, members in enumerate(multi, start=1):
        key = f"c{number}"
        campaign_members[key] = [comments[i].receipt for i in members]
        for i in members:
            campaign_of[comments[i].receipt] = key

    # What a comment is analysed in: its own text if Japanese, else its translation ('' without one).
    analysed = [
        comment.text if language == "ja" else comment.translation
        for comment, language in zip(comments, languages, strict=True)
    ]
    found = [Words(item.lemmas, item.phrases) for item in ready]
    evidence = {
        comment.receipt: CommentEvidence(frozenset(found[i].terms), normalise(analysed[i] or comment.text))
        for i, comment in enumerate(comments)
    }
    card_terms = {number: words(text).terms for number, text in cards.items()}

    progress(45, "topics")
    # A campaign is clustered once, through its first letter; its members follow it.
    units_index = [g[0] for g in groups if analysed[g[0]]]
    units = [topics.Unit(found[i].terms, comments[i].card, comments[i].part) for i in units_index]
    vectors = topics.Space(units, card_terms).vectors(units)
    group_of = {member: g for g in groups for member in g}
    topic_of: dict[str, str] = {}
    confirmed = {comment.receipt: comment.topic for comment in comments if comment.topic}
    topic_of.update(confirmed)

    unit_topic: dict[int, str] = {}
    free_rows: list[int] = []
    existing = sorted(set(confirmed.values()))
    centres = {}
    for key in existing:
        rows = [row for row, i in enumerate(units_index) if confirmed.get(comments[i].receipt) == key]
        if rows:
            centre = vectors[rows].sum(axis=0)
            centres[key] = centre / (np.linalg.norm(centre) or 1.0)
    for row, i in enumerate(units_index):
        key = confirmed.get(comments[i].receipt)
        if key:
            unit_topic[row] = key
        elif centres:
            similarity = {k: float(vectors[row] @ c) for k, c in centres.items()}
            best = max(sorted(similarity), key=lambda k: similarity[k])
            if similarity[best] >= PROPOSE_SIMILARITY:
                unit_topic[row] = best
            else:
                free_rows.append(row)
        else:
            free_rows.append(row)
    new_count = max(1, topic_count - len(existing)) if topic_count else None
    labels = topics.cluster(vectors[free_rows], new_count) if free_rows else np.zeros(0, dtype=int)
    progress(75, "drafts")
    fresh: dict[int, list[int]] = defaultdict(list)
    for row, label in zip(free_rows, labels, strict=True):
        fresh[int(label)].append(row)
    # New topics numbered after the existing ones, largest first.
    taken = {int(key[1:]) for key in existing if key[:1] == "t" and key[1:].isdigit()}
    number = max(taken, default=0)
    sizes = {label: sum(len(group_of[units_index[row]]) for row in rows) for label, rows in fresh.items()}
    for label in sorted(fresh, key=lambda lab: (-sizes[lab], comments[units_index[fresh[lab][0]]].receipt)):
        number += 1
        for row in fresh[label]:
            unit_topic[row] = f"t{number}"
    for row, i in enumerate(units_index):
        for member in group_of[i]:
            topic_of.setdefault(comments[member].receipt, unit_topic[row])

    # Other languages without a translation: placed by their target where Japanese comments on it went.
    card_topics: dict[str, Counter] = defaultdict(Counter)
    for comment in comments:
        if comment.receipt in topic_of and comment.card:
            card_topics[comment.card][topic_of[comment.receipt]] += 1
    for i, comment in enumerate(comments):
        if comment.receipt in topic_of:
            continue
        placed = card_topics.get(comment.card)
        if placed and comment.card:
            topic_of[comment.receipt] = min(placed, key=lambda key: (-placed[key], key))
        else:
            topic_of[comment.receipt] = FOREIGN
        for member in group_of[i]:
            topic_of.setdefault(comments[member].receipt, topic_of[comment.receipt])

    members_of: dict[str, list[str]] = defaultdict(list)
    for comment in comments:
        members_of[topic_of[comment.receipt]].append(comment.receipt)
    term_counts = {
        key: Counter(term for receipt in receipts for term in evidence[receipt].lemmas)
        for key, receipts in members_of.items()
    }
    results: list[TopicResult] = []
    for key in sorted(members_of, key=lambda k: (k == FOREIGN, -len(members_of[k]), k)):
        receipts = members_of[key]
        others = [counts for other, counts in term_counts.items() if other != key]
        # Campaigns count once for the phrases, as they do for the clustering.
        distinct = [
            r
            for r in receipts
            if analysed[index_of[r]] and (campaign_of.get(r) is None or campaign_members[campaign_of[r]][0] == r)
        ]
        distinct_set = set(distinct)
        phrase_terms = drafts.key_phrases([tuple(evidence[r].lemmas) for r in distinct], others)
        title = FOREIGN_TITLE if key == FOREIGN else "・".join(phrase_terms)
        targets = Counter(by_receipt[r].target for r in receipts if by_receipt[r].target)
        weights = _term_weights(distinct, evidence, others)
        summary = (
            drafts.summarise(
                distinct + [r for r in receipts if r not in distinct_set],
                {r: analysed[index_of[r]] or by_receipt[r].text for r in receipts},
                evidence,
                weights,
            )
            if key != FOREIGN
            else []
        )
        results.append(
            TopicResult(
                key=key,
                title=title,
                key_phrases=phrase_terms,
                targets=[target for target, _n in sorted(targets.items(), key=lambda item: (-item[1], item[0]))],
                members=receipts,
                senders=_senders([by_receipt[r] for r in receipts]),
                campaigns=sorted(
                    {tuple(campaign_members[campaign_of[r]]) for r in receipts if r in campaign_of},
                    key=lambda members: (-len(members), members[0]),
                ),
                summary=summary,
            )
        )
    for topic in results:
        topic.campaigns = [list(members) for members in topic.campaigns]
    phrases_of = {topic.key: topic.key_phrases for topic in results}
    progress(95, "output")
    comment_results = [
        CommentResult(
            receipt=comment.receipt,
            external_id=comment.external_id,
            text=comment.text,
            language=languages[i],
            topic=topic_of[comment.receipt],
            campaign=campaign_of.get(comment.receipt),
            matched=[p for p in phrases_of.get(topic_of[comment.receipt], []) if p in evidence[comment.receipt].lemmas],
        )
        for i, comment in enumerate(comments)
    ]
    progress(100, "done")
    return Result(comment_results, results, campaign_members)
