"""Analysis workflows around the Django models: run the analysis, keep what staff decided, shape topics, accept
them as 論点 with summaries that pass the citation rule.

The text analysis itself (consultations/analysis) knows nothing of Django; this module feeds it the
consultation's comments (masked) and the plan's card texts, and stores what it proposes.
"""

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.analysis.citations import CommentEvidence, Violation, check_sentence, split_citations
from consultations.analysis.pipeline import FOREIGN, CommentInput, Prepared, Result, analyse, prepare
from consultations.choices import CommentState, TargetPart
from consultations.masking import mask_personal_data
from consultations.models import Comment, ConsultationPage, ResponseTopic
from consultations.models.analysis import AnalysisChunk, AnalysisRun, ProposedTopic, SummarySentence, TopicPlacement
from plan.models import InitiativePage

ANALYSED_STATES = (CommentState.RECEIVED, CommentState.PUBLISHED)
SENTENCE = re.compile(r"[^〕]*〕|[^〕]+$")


class SummaryRefused(ValueError):
    """A summary that breaks the citation rule; `messages` say which sentence and why, in Japanese."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def card_text(card: InitiativePage) -> str:
    parts = [card.title, card.subtitle]
    parts += [block.value["text"] for block in card.goal]
    parts += [str(block.value) for field in (card.issues, card.overview, card.measures) for block in field]
    for row in card.kpi_rows():
        shown = row.shown
        parts += [shown.indicator, shown.target]
    return "\n".join(part for part in parts if part)


def plan_cards(consultation: ConsultationPage) -> dict[int, InitiativePage]:
    """The consultation's plan's live Japanese cards by page id (all cards when no plan is chosen)."""
    cards = InitiativePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE)
    if consultation.document_id:
        cards = cards.descendant_of(consultation.document)
    return {card.pk: card for card in cards.prefetch_related("kpis")}


def item_positions(card: InitiativePage) -> dict[str, dict[str, int]]:
    """1-based positions of the card's KPI rows and measure items by the id a comment's target keeps."""
    return {
        TargetPart.KPI: {str(row.translation_key): i for i, row in enumerate(card.kpi_rows(), start=1)},
        TargetPart.MEASURE: {block.id: i for i, block in enumerate(card.measures, start=1)},
    }


def target_label(comment: Comment, card: InitiativePage | None, positions: dict[str, dict[str, int]]) -> str:
    """該当箇所 as the results table shows it: card number and part, with the item's position in it."""
    if comment.target_page_id is None:
        return _("計画全体")
    if card is None:
        return comment.target_label
    if comment.target_part == TargetPart.WHOLE:
        return card.number
    label = f"{card.number} {TargetPart(comment.target_part).label}"
    position = positions.get(comment.target_part, {}).get(comment.target_item)
    return f"{label} {position}" if position else label


def analysed_comments(consultation: ConsultationPage):
    return (
        Comment.objects.filter(consultation=consultation.source_consultation, state__in=ANALYSED_STATES)
        .select_related("placement__topic")
        .order_by("receipt_number")
    )


def japanese_translation(comment: Comment) -> str:
    """The comment in Japanese when a translator backend is configured (DeepL); '' otherwise."""
    if not settings.DEEPL_API_KEY or comment.language.split("-")[0] == "ja":
        return ""
    from consultations.services import japanese_rendering

    return mask_personal_data(japanese_rendering(comment))


def prepared_rows(comments: Iterable[Comment]) -> list[dict]:
    """The per-comment steps of a run (masking, translation, language, words, campaign fingerprint) as JSON-ready
    rows. A row depends on its comment alone, so however the comments are split into chunks the rows are the
    same; these are the steps Celery workers run in parallel past one machine."""
    rows = []
    for comment in comments:
        text = mask_personal_data(comment.body)
        translation = japanese_translation(comment)
        rows.append(
            {"id": comment.pk, "text": text, "translation": translation, **prepare(text, translation).as_json()}
        )
    return rows


def analysis_inputs(
    consultation: ConsultationPage, rows: dict[int, dict]
) -> tuple[list[CommentInput], dict[str, Prepared], dict[str, str]]:
    """The analysis input of each prepared comment still analysed (by comment id in `rows`), what was prepared
    for it, and the plan's card texts by card number."""
    cards = plan_cards(consultation)
    positions = {pk: item_positions(card) for pk, card in cards.items()}
    inputs, prepared = [], {}
    for comment in analysed_comments(consultation).defer("body").iterator(chunk_size=2000):
        row = rows.get(comment.pk)
        if row is None:  # arrived after the run started: the next run takes it
            continue
        card = cards.get(comment.target_page_id)
        placement = getattr(comment, "placement", None)
        confirmed = placement.topic.key if placement and placement.confirmed and placement.topic else ""
        inputs.append(
            CommentInput(
                receipt=comment.receipt_number,
                text=row["text"],
                card=card.number if card else "",
                part=comment.target_part,
                target=target_label(comment, card, positions.get(comment.target_page_id, {})),
                sender=comment.client_key or comment.email.casefold(),
                external_id=comment.external_id,
                translation=row["translation"],
                topic=confirmed,
            )
        )
        prepared[comment.receipt_number] = Prepared.from_json(row)
    return inputs, prepared, {card.number: card_text(card) for card in cards.values()}


# Share of the progress bar the per-comment steps take; the combining analysis takes the rest.
PREPARE_SHARE = 60


def comment_chunks(consultation: ConsultationPage, size: int) -> list[list[int]]:
    """Ids of the comments a run analyses, in receipt order, in chunks of `size`."""
    ids = list(analysed_comments(consultation).values_list("pk", flat=True))
    return [ids[start : start + size] for start in range(0, len(ids), max(1, size))]


def chunk_rows(ids: list[int]) -> list[dict]:
    return prepared_rows(Comment.objects.filter(pk__in=ids).order_by("receipt_number"))


def finish_analysis(
    consultation: ConsultationPage,
    rows: Iterable[dict],
    topic_count: int | None = None,
    progress: Callable[[int, str], None] = lambda percent, step: None,
) -> Result:
    """Combine the prepared rows (in any order: the analysis takes comments in receipt order), analyse and store."""
    inputs, prepared, cards = analysis_inputs(consultation, {row["id"]: row for row in rows})
    result = analyse(inputs, cards, topic_count, progress, prepared)
    store_result(consultation, result)
    return result


def run_analysis(
    consultation: ConsultationPage,
    topic_count: int | None = None,
    progress: Callable[[int, str], None] = lambda percent, step: None,
    chunk_size: int | None = None,
) -> Result:
    """Analyse the consultation's comments in this process and store the proposal; what staff confirmed stays
    where it is. The same steps as a run on Celery workers, so the same output."""
    consultation = consultation.source_consultation
    chunks = comment_chunks(consultation, chunk_size or settings.ANALYSIS_CHUNK_SIZE)
    rows: list[dict] = []
    for done, ids in enumerate(chunks, start=1):
        rows += chunk_rows(ids)
        progress(PREPARE_SHARE * done // len(chunks), "prepare")
    return finish_analysis(consultation, rows, topic_count, combined_progress(progress))


def combined_progress(progress: Callable[[int, str], None]) -> Callable[[int, str], None]:
    """The analysis's own 0–100 % mapped onto what is left of the bar after the per-comment steps."""
    return lambda percent, step: progress(PREPARE_SHARE + (100 - PREPARE_SHARE) * percent // 100, step)


@transaction.atomic
def store_result(consultation: ConsultationPage, result: Result) -> None:
    topics = {topic.key: topic for topic in ProposedTopic.objects.filter(consultation=consultation)}
    for found in result.topics:
        topic = topics.get(found.key) or ProposedTopic(consultation=consultation, key=found.key)
        if topic.accepted_as_id is None:  # an accepted topic keeps the title and summary staff gave it
            topic.title = found.title[:200] if found.key != FOREIGN else _("外国語の意見")
            topic.key_phrases = found.key_phrases
        topic.targets = found.targets
        topic.save()
        topics[found.key] = topic
        if topic.accepted_as_id is None:
            topic.sentences.all().delete()
            store_sentences(topic, [(sentence.text, sentence.cites) for sentence in found.summary])
    # Topics the run no longer proposes and staff never accepted go; accepted ones stay with their members.
    ProposedTopic.objects.filter(consultation=consultation, accepted_as__isnull=True).exclude(
        key__in=[topic.key for topic in result.topics]
    ).delete()
    # Comments staff placed (confirmed or set aside) keep their placement; the others are placed afresh, in bulk.
    placements = TopicPlacement.objects.filter(comment__consultation=consultation)
    kept = {p.comment_id: p for p in placements.filter(models.Q(confirmed=True) | models.Q(outlier=True))}
    placements.exclude(comment_id__in=kept).delete()
    ids = dict(Comment.objects.filter(consultation=consultation).values_list("receipt_number", "pk"))
    fresh, changed = [], []
    for found in result.comments:
        placement = kept.get(ids[found.receipt])
        if placement is None:
            placement = TopicPlacement(comment_id=ids[found.receipt], topic=topics.get(found.topic))
            fresh.append(placement)
        else:
            changed.append(placement)
        placement.campaign = found.campaign or ""
        placement.language = found.language
        placement.matched = found.matched
    TopicPlacement.objects.bulk_update(changed, ["campaign", "language", "matched"], batch_size=500)
    TopicPlacement.objects.bulk_create(fresh, batch_size=1000)


def store_sentences(topic: ProposedTopic | ResponseTopic, sentences: list[tuple[str, tuple[str, ...]]]) -> None:
    owner = {"proposed_topic": topic} if isinstance(topic, ProposedTopic) else {"response_topic": topic}
    ids = dict(
        Comment.objects.filter(receipt_number__in={r for _t, cites in sentences for r in cites}).values_list(
            "receipt_number", "pk"
        )
    )
    for position, (text, cites) in enumerate(sentences):
        sentence = SummarySentence.objects.create(position=position, text=text, **owner)
        sentence.cites.set([ids[receipt] for receipt in cites])


# The citation rule on what staff type.


def violation_message(number: int, violation: Violation) -> str:
    receipts = "、".join(violation.receipts)
    messages = {
        "no_citation": _("%(n)d文目: 根拠となる意見の受付番号を文末の〔 〕に書いてください。"),
        "unknown_comment": _("%(n)d文目: 受付番号 %(receipts)s の意見はこの意見募集にありません。"),
        "outside_topic": _("%(n)d文目: 受付番号 %(receipts)s の意見はこの論点に含まれていません。"),
        "unsupported": _(
            "%(n)d文目: 内容の語の半分以上が、引用した意見に見当たりません（見当たらない語: %(words)s）。"
        ),
    }
    return messages[violation.code] % {"n": number, "receipts": receipts, "words": "、".join(violation.missing)}


def topic_members(topic: ProposedTopic | ResponseTopic) -> list[Comment]:
    if topic.pk is None:  # a 論点 being created has no comments yet
        return []
    if isinstance(topic, ProposedTopic):
        return list(Comment.objects.filter(placement__topic=topic))
    return list(topic.comments.all())


def parse_summary(text: str, topic: ProposedTopic | ResponseTopic) -> list[tuple[str, tuple[str, ...]]]:
    """Sentences of a typed summary with their cited receipts; SummaryRefused if any breaks the citation rule."""
    members = {comment.receipt_number: comment for comment in topic_members(topic)}
    consultation_id = topic.consultation_id
    sentences = [split_citations(part) for part in SENTENCE.findall(text.strip()) if part.strip()]
    cited = {receipt for _text, cites in sentences for receipt in cites}
    known = {
        c.receipt_number: c for c in Comment.objects.filter(consultation_id=consultation_id, receipt_number__in=cited)
    }
    evidence = {receipt: CommentEvidence.of(mask_personal_data(c.body)) for receipt, c in known.items()}
    errors = []
    for number, (body, cites) in enumerate(sentences, start=1):
        for violation in check_sentence(body, cites, set(members), evidence):
            errors.append(violation_message(number, violation))
    if not sentences:
        errors.append(_("意見の概要を書いてください。"))
    if errors:
        raise SummaryRefused(errors)
    return sentences


def summary_text(sentences: list[tuple[str, tuple[str, ...]]], with_receipts: bool = True) -> str:
    if with_receipts:
        return "".join(f"{text}〔{'、'.join(cites)}〕" for text, cites in sentences)
    return "".join(text for text, _cites in sentences)


def set_summary(topic: ProposedTopic | ResponseTopic, text: str) -> None:
    """Replace the topic's summary with staff's text, refused as a whole if one sentence breaks the rule."""
    sentences = parse_summary(text, topic)
    with transaction.atomic():
        topic.sentences.all().delete()
        store_sentences(topic, sentences)
        if isinstance(topic, ResponseTopic):
            topic.summary = summary_text(sentences, with_receipts=False)
            topic.save(update_fields=["summary"])


def draft_summary(topic: ProposedTopic | ResponseTopic) -> str:
    """The stored sentences with their receipt numbers, as staff edit them."""
    sentences = topic.sentences.prefetch_related("cites")
    return summary_text([(s.text, tuple(sorted(c.receipt_number for c in s.cites.all()))) for s in sentences])


def check_accepted_summaries(consultation: ConsultationPage) -> list[str]:
    """Every stored sentence of the consultation's 論点 checked again (comments may have moved since)."""
    errors = []
    for topic in ResponseTopic.objects.filter(consultation=consultation.source_consultation):
        text = draft_summary(topic)
        if not text:
            continue
        try:
            parse_summary(text, topic)
        except SummaryRefused as refused:
            errors += [f"{topic.title}: {message}" for message in refused.messages]
    return errors


# Shaping topics on the board.


def _next_key(consultation_id: int) -> str:
    keys = ProposedTopic.objects.filter(consultation_id=consultation_id).values_list("key", flat=True)
    numbers = [int(key[1:]) for key in keys if key[:1] == "t" and key[1:].isdigit()]
    return f"t{max(numbers, default=0) + 1}"


def move_comments(comment_ids: list[int], topic: ProposedTopic) -> int:
    """Staff put these comments in `topic`: confirmed there, so no re-run moves them."""
    placements = TopicPlacement.objects.filter(comment_id__in=comment_ids, comment__consultation=topic.consultation_id)
    return placements.update(topic=topic, confirmed=True, outlier=False)


@transaction.atomic
def merge_topics(kept: ProposedTopic, absorbed: list[ProposedTopic]) -> ProposedTopic:
    others = [topic for topic in absorbed if topic.pk != kept.pk and topic.consultation_id == kept.consultation_id]
    TopicPlacement.objects.filter(topic__in=others).update(topic=kept, confirmed=True)
    for topic in others:
        topic.delete()
    TopicPlacement.objects.filter(topic=kept).update(confirmed=True)
    return kept


@transaction.atomic
def split_topic(topic: ProposedTopic, comment_ids: list[int], title: str) -> ProposedTopic:
    new = ProposedTopic.objects.create(
        consultation_id=topic.consultation_id, key=_next_key(topic.consultation_id), title=title[:200]
    )
    TopicPlacement.objects.filter(topic=topic, comment_id__in=comment_ids).update(topic=new, confirmed=True)
    return new


def mark_outliers(comment_ids: list[int], consultation: ConsultationPage) -> int:
    """Set aside: in no topic, and a re-run leaves them there."""
    placements = TopicPlacement.objects.filter(comment_id__in=comment_ids, comment__consultation=consultation)
    return placements.update(topic=None, outlier=True, confirmed=False)


@transaction.atomic
def accept_topic(topic: ProposedTopic, summary: str | None = None) -> ResponseTopic:
    """The proposed topic becomes a 論点 with its members and its summary (checked by the citation rule)."""
    members = topic_members(topic)
    if topic.accepted_as_id:
        response = topic.accepted_as
    else:
        order = ResponseTopic.objects.filter(consultation_id=topic.consultation_id).aggregate(Max("sort_order"))
        response = ResponseTopic.objects.create(
            consultation_id=topic.consultation_id,
            title=topic.title,
            summary="",
            response="",
            sort_order=(order["sort_order__max"] or 0) + 1,
        )
        topic.accepted_as = response
        topic.save(update_fields=["accepted_as"])
    Comment.objects.filter(pk__in=[c.pk for c in members]).update(topic=response)
    TopicPlacement.objects.filter(topic=topic).update(confirmed=True)
    set_summary(response, summary if summary is not None else draft_summary(topic))
    return response


def start_run(consultation: ConsultationPage, topic_count: int | None = None) -> AnalysisRun:
    """Record a run and hand it to Celery (run at once when tasks are eager, the embedded default)."""
    from consultations.tasks import analyse_consultation

    run = AnalysisRun.objects.create(consultation=consultation.source_consultation, topic_count=topic_count)
    transaction.on_commit(lambda: analyse_consultation.delay(run.pk))
    return run


def _progress_of(run_id: int) -> Callable[[int, str], None]:
    def progress(percent: int, step: str) -> None:
        AnalysisRun.objects.filter(pk=run_id).update(progress=percent, step=step)

    return progress


def fail_run(run_id: int, error: Exception) -> None:
    AnalysisRun.objects.filter(pk=run_id).update(
        status=AnalysisRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
    )


def plan_chunks(run: AnalysisRun, size: int) -> list[list[int]]:
    """Split the run's comments into chunks and record how many there are."""
    chunks = comment_chunks(run.consultation, size)
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=AnalysisRun.Status.RUNNING, chunks=len(chunks), chunks_done=0, step="prepare"
    )
    AnalysisChunk.objects.filter(run=run).delete()
    return chunks


def prepare_chunk(run_id: int, position: int, ids: list[int]) -> bool:
    """One chunk's per-comment steps, stored for the run; True when it was the run's last chunk to finish."""
    rows = chunk_rows(ids)
    with transaction.atomic():
        run = AnalysisRun.objects.select_for_update().get(pk=run_id)  # one chunk at a time counts itself done
        AnalysisChunk.objects.update_or_create(run=run, position=position, defaults={"rows": rows})
        run.chunks_done = AnalysisChunk.objects.filter(run=run).count()
        run.progress = PREPARE_SHARE * run.chunks_done // max(run.chunks, 1)
        run.save(update_fields=["chunks_done", "progress"])
        return run.chunks_done == run.chunks


def finish_run(run: AnalysisRun) -> None:
    """Combine the run's chunks, analyse, store the proposal and the JSON; the chunks are then dropped."""
    rows = [row for chunk in AnalysisChunk.objects.filter(run=run) for row in chunk.rows]
    progress = combined_progress(_progress_of(run.pk))
    result = finish_analysis(run.consultation, rows, run.topic_count, progress)
    AnalysisChunk.objects.filter(run=run).delete()
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=AnalysisRun.Status.DONE, progress=100, result=result.dumps(), finished_at=timezone.now()
    )
