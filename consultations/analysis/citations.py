"""The citation rule: a sentence of a summary stands on the comments it cites, or it is refused.

A sentence is accepted only if it cites at least one comment, every cited comment belongs to its topic, and at
least half of its content words occur in the cited comments. The same check runs on generated drafts and on what
staff type, so a summary can never say what nobody wrote.
"""

import re
from dataclasses import dataclass, field

from consultations.analysis.text import normalise, words

# The frame of a summary sentence (「…を求める意見」): not a claim about what residents wrote.
FRAME_LEMMAS = frozenset(
    [
        "意見",
        "求める",
        "要望",
        "提案",
        "指摘",
        "声",
        "いう",
        "複数",
        "多数",
        "寄せる",
        "述べる",
        "求め",
        "趣旨",
        "同趣旨",
    ]
)
ALNUM = "0-9A-Za-z０-９Ａ-Ｚａ-ｚ"  # receipts typed in full width count too
CITATION = re.compile(rf"[〔\[［(（]\s*([{ALNUM}\-－ー、,，・\s]+?)\s*[〕\]］)）]\s*$")
RECEIPT = re.compile(rf"[{ALNUM}]{{4}}[-－ー]?[{ALNUM}]{{4}}")
MIN_SUPPORT = 0.5


@dataclass(frozen=True)
class Violation:
    """Why a sentence was refused; the Django layer turns `code` into a message in the reader's language."""

    code: str  # "no_citation", "unknown_comment", "outside_topic", "unsupported"
    receipts: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass
class CommentEvidence:
    """What a comment offers as support: its lemmas and its normalised text (for compounds and loanwords)."""

    lemmas: frozenset[str]
    text: str

    @classmethod
    def of(cls, text: str, language: str = "ja") -> "CommentEvidence":
        found = words(text, language)
        return cls(frozenset(found.lemmas) | frozenset(found.phrases), normalise(text))


@dataclass
class Support:
    words: tuple[str, ...]
    found: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ratio(self) -> float:
        return len(self.found) / len(self.words) if self.words else 0.0


def receipt_key(receipt: str) -> str:
    """A receipt number as typed (full-width, lower case, without the hyphen) in its stored form."""
    plain = re.sub(r"[-－ー\s]", "", normalise(receipt)).upper()
    return f"{plain[:4]}-{plain[4:]}" if len(plain) == 8 else plain


def split_citations(sentence: str) -> tuple[str, tuple[str, ...]]:
    """`…を求める意見。〔K7Q2-M4TX、R8ZD-2HNC〕` → ('…を求める意見。', ('K7Q2-M4TX', 'R8ZD-2HNC'))."""
    match = CITATION.search(sentence.strip())
    if not match:
        return sentence.strip(), ()
    receipts = tuple(dict.fromkeys(receipt_key(found) for found in RECEIPT.findall(match.group(1))))
    return sentence.strip()[: match.start()].rstrip(), receipts


def claim_words(text: str) -> tuple[str, ...]:
    found = words(text)
    return tuple(dict.fromkeys(word for word in found.lemmas if word not in FRAME_LEMMAS))


def support(text: str, cited: list[CommentEvidence]) -> Support:
    claimed = claim_words(text)
    found = tuple(
        word
        for word in claimed
        if any(word in evidence.lemmas or normalise(word) in evidence.text for evidence in cited)
    )
    return Support(claimed, found)


def check_sentence(
    text: str, cites: tuple[str, ...], topic_members: set[str], evidence: dict[str, CommentEvidence]
) -> list[Violation]:
    """Every way the sentence breaks the rule (empty: accepted). `evidence` maps receipt → comment."""
    if not cites:
        return [Violation("no_citation")]
    unknown = tuple(receipt for receipt in cites if receipt not in evidence)
    if unknown:
        return [Violation("unknown_comment", receipts=unknown)]
    violations = []
    outside = tuple(receipt for receipt in cites if receipt not in topic_members)
    if outside:
        violations.append(Violation("outside_topic", receipts=outside))
    backing = support(text, [evidence[receipt] for receipt in cites])
    if not backing.words or backing.ratio < MIN_SUPPORT:
        missing = tuple(word for word in backing.words if word not in backing.found)
        violations.append(Violation("unsupported", receipts=cites, missing=missing))
    return violations
