"""The published results of a consultation: counts, topics with the prefecture's responses, changes."""

import difflib
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from wagtail.models import Page, PageLogEntry

from consultations.choices import Channel, CommentState, Publication
from consultations.models import Comment, ConsultationPage, ResponseTopic, SummarySentence
from plan.models import AreaPage, InitiativePage

COUNTED_STATES = [CommentState.RECEIVED, CommentState.PUBLISHED]


@dataclass
class TargetCount:
    label: str
    count: int
    page: Page | None = None


@dataclass
class ResultsSummary:
    comments: int
    commenters: int
    by_area: list[TargetCount] = field(default_factory=list)
    by_card: list[TargetCount] = field(default_factory=list)


def counted_comments(consultation: ConsultationPage):
    return Comment.objects.filter(consultation=consultation, state__in=COUNTED_STATES)


def summary(consultation: ConsultationPage, locale=None) -> ResultsSummary:
    """Counts for the results page; card and area names in `locale` (the reader's), default the page's."""
    locale = locale or consultation.locale
    comments = counted_comments(consultation)
    totals = comments.aggregate(
        total=Count("pk"),
        web_people=Count("client_key", filter=Q(channel=Channel.WEB), distinct=True),
        other_people=Count("pk", filter=~Q(channel=Channel.WEB)),
    )
    per_page = dict(
        comments.values_list("target_page__translation_key")
        .annotate(n=Count("pk"))
        .values_list("target_page__translation_key", "n")
    )
    cards = InitiativePage.objects.filter(locale=locale).order_by("path")
    areas = AreaPage.objects.filter(locale=locale).order_by("path")
    by_card = [
        TargetCount(f"{card.number} {card.title}", per_page.get(card.translation_key, 0), card) for card in cards
    ]
    by_area = []
    for area in areas:
        in_area = sum(c.count for c in by_card if c.page.path.startswith(area.path))
        by_area.append(TargetCount(area.title, in_area + per_page.get(area.translation_key, 0), area))
    by_area.append(TargetCount(_("計画全体・その他"), totals["total"] - sum(a.count for a in by_area)))
    return ResultsSummary(
        comments=totals["total"],
        commenters=totals["web_people"] + totals["other_people"],
        by_area=by_area,
        by_card=[c for c in by_card if c.count],
    )


def topics(consultation: ConsultationPage):
    # Each sentence of a summary links to the published comments it cites (those not published are counted out).
    published_cites = Q(cites__state=CommentState.PUBLISHED) & ~Q(cites__publication=Publication.NOT_PUBLISHED)
    sentences = SummarySentence.objects.annotate(published=Count("cites", filter=published_cites))
    return (
        ResponseTopic.objects.filter(consultation=consultation)
        .select_related("target_page")
        .prefetch_related(Prefetch("sentences", queryset=sentences))
        .annotate(comment_count=Count("comments", filter=Q(comments__state__in=COUNTED_STATES)))
    )


def published_comments(consultation: ConsultationPage, sentence_id: str = ""):
    """The consultation's published comments; only those a summary sentence cites when one is given."""
    comments = Comment.objects.published().filter(consultation=consultation).select_related("topic")
    if sentence_id:
        sentence = SummarySentence.objects.filter(
            pk=int(sentence_id) if sentence_id.isascii() and sentence_id.isdigit() and len(sentence_id) < 10 else 0,
            response_topic__consultation=consultation,
        ).first()
        comments = comments.filter(pk__in=sentence.cites.values("pk")) if sentence else comments.none()
    return comments


@dataclass
class SectionChange:
    heading: str
    lines: list[tuple[str, str]]  # (" " | "-" | "+", text)

    @property
    def changed(self) -> bool:
        return any(mark != " " for mark, _text in self.lines)


def card_text_sections(card: InitiativePage) -> list[tuple[str, list[str]]]:
    kpis = [
        " / ".join(filter(None, [row.shown.indicator, row.shown.baseline, row.shown.target])) for row in card.kpis.all()
    ]
    return [
        (_("タイトル"), [card.heading]),
        (_("めざす姿"), [b.value["text"] for b in card.goal]),
        (_("現状と課題"), [b.value for b in card.issues]),
        (_("取組概要"), [b.value for b in card.overview]),
        (_("具体的な取組"), [b.value for b in card.measures]),
        (_("KPI"), kpis),
    ]


def changes_since_closing(consultation: ConsultationPage, card: InitiativePage) -> list[SectionChange] | None:
    """The card as published when the consultation closed, against the card as published now."""
    published_then = (
        PageLogEntry.objects.filter(page=card, action="wagtail.publish", timestamp__lte=consultation.closes_at)
        .order_by("-timestamp")
        .first()
    )
    if published_then is None or published_then.revision is None:
        return None
    before = card_text_sections(published_then.revision.as_object())
    after = card_text_sections(card)
    changes = []
    for (heading, old), (_heading, new) in zip(before, after, strict=True):
        lines: list[tuple[str, str]] = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            if op == "equal":
                lines += [(" ", text) for text in old[i1:i2]]
            else:
                lines += [("-", text) for text in old[i1:i2]] + [("+", text) for text in new[j1:j2]]
        changes.append(SectionChange(heading, lines))
    return changes
