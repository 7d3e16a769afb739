"""Drafts of a topic: key phrases for its title and an extractive 意見の概要 whose sentences cite comments.

Key phrases are the terms most particular to a topic (its share of the term against the other topics'). The
summary takes members' own sentences that carry most of those phrases, a few with different words each, turns
each into 「…という意見。」 and cites every member that contains at least half of its words; the citation rule
then checks every sentence again, and one that fails is dropped, never published.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from consultations.analysis.citations import CommentEvidence, check_sentence, claim_words
from consultations.analysis.text import is_greeting, sentences, tagger

TITLE_PHRASES = 3
MAX_SENTENCES = 3
CANDIDATE_MEMBERS = 60
SENTENCE_LENGTH = (8, 120)
ENDING = re.compile(r"[。．.！!？?\s]+$")
# Polite endings of residents' sentences and their plain forms, tried in order.
PLAIN_FORMS = [
    (re.compile(r"([てで])(ください|下さい|いただきたい|頂きたい|もらいたい|ほしい|欲しい)(です)?$"), r"\1ほしい"),
    (re.compile(r"(べきだ|べき|必要だ|必要)(と|だと)(思います|考えます|思う|考える)$"), r"\1"),
    (re.compile(r"(だ)?と(思います|考えます|思う|考える)$"), ""),
    (re.compile(r"(ほしい|欲しい|たい|ない|良い|よい|いい|しい|い)です$"), r"\1"),
    (re.compile(r"ありません$"), "ない"),
    (re.compile(r"できません$"), "できない"),
    (re.compile(r"でした$"), "だった"),
    (re.compile(r"です$"), ""),
]


@dataclass(frozen=True)
class DraftSentence:
    text: str
    cites: tuple[str, ...]


def key_phrases(topic_terms: list[tuple[str, ...]], other_topics: list[Counter]) -> list[str]:
    """Terms ranked by how much more this topic uses them than the others (c-TF-IDF), phrases first on ties."""
    counts = Counter(term for terms in topic_terms for term in set(terms))
    topics_with = Counter(term for other in other_topics for term in other)
    total = len(other_topics) + 1
    scored = sorted(
        counts,
        key=lambda term: (
            -counts[term] * math.log(1 + total / (1 + topics_with[term])) * (1.3 if len(term) > 3 else 1),
            term,
        ),
    )
    chosen: list[str] = []
    for term in scored:
        if counts[term] < 2 and len(topic_terms) > 1:
            continue
        if any(term in other or other in term for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == TITLE_PHRASES:
            break
    return chosen or scored[:1]


def plain_form(sentence: str) -> str:
    """A resident's polite sentence in the plain form a summary uses (…してください → …してほしい)."""
    body = ENDING.sub("", sentence.strip())
    for pattern, replacement in PLAIN_FORMS:
        changed = pattern.sub(replacement, body)
        if changed != body:
            return changed
    if body.endswith("ます"):
        nodes = list(tagger()(body))
        if len(nodes) >= 2 and nodes[-1].surface == "ます" and nodes[-2].feature.pos1 == "動詞":
            verb = nodes[-2]
            base = verb.feature.orthBase or verb.surface
            return body[: len(body) - len("ます") - len(verb.surface)] + base
    return body


def as_summary(sentence: str) -> str:
    return f"{plain_form(sentence).rstrip('、')}という意見。"


def summarise(
    members: list[str],
    texts: dict[str, str],
    evidence: dict[str, CommentEvidence],
    weights: dict[str, float],
) -> list[DraftSentence]:
    """Up to MAX_SENTENCES cited sentences for the topic whose members (receipts, representatives first) are given."""
    topic = set(members)
    # Sentences come from the members whose words weigh most in the topic (a bounded number, so a topic of
    # thousands costs what one of a hundred does); citations are still checked against every member.
    central = sorted(members, key=lambda r: (-sum(weights.get(w, 0.0) for w in evidence[r].lemmas), r))
    candidates: list[tuple[float, str, str]] = []
    for receipt in central[:CANDIDATE_MEMBERS]:
        for sentence in sentences(texts[receipt]):
            if is_greeting(sentence) or not SENTENCE_LENGTH[0] <= len(sentence) <= SENTENCE_LENGTH[1]:
                continue
            claimed = claim_words(sentence)
            if not claimed:
                continue
            score = sum(weights.get(word, 0.0) for word in claimed) / math.sqrt(len(claimed))
            candidates.append((score, receipt, sentence))
    candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
    postings: dict[str, np.ndarray] = {}

    def holders(word: str) -> np.ndarray:
        """Positions of the members whose words include `word`, found once per word (not per sentence)."""
        if word not in postings:
            found = [i for i, receipt in enumerate(members) if word in evidence[receipt].lemmas]
            postings[word] = np.array(found, dtype=np.int64)
        return postings[word]

    wanted = min(MAX_SENTENCES, 1 + len(members) // 5)
    chosen: list[DraftSentence] = []
    covered: set[str] = set()
    cited_sources: set[str] = set()
    for _score, source, sentence in candidates:
        claimed = set(claim_words(sentence))
        if source in cited_sources or len(claimed & covered) * 2 > len(claimed):
            continue
        text = as_summary(sentence)
        support = np.bincount(np.concatenate([holders(word) for word in claimed]), minlength=len(members))
        backed = np.flatnonzero(support * 2 >= len(claimed)).tolist()
        cites = tuple(members[i] for i in sorted({*backed, members.index(source)}))
        if check_sentence(text, cites, topic, evidence):
            continue
        chosen.append(DraftSentence(text, cites))
        covered |= claimed
        cited_sources.update(cites)
        if len(chosen) == wanted:
            break
    return chosen
