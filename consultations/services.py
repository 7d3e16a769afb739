"""Workflows that touch several models: taking a comment, moderating it, sending its mail, purging its
personal data once it is no longer needed."""

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from wagtail.log_actions import log
from wagtail.models import Locale, Page
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.strings import StringValue

from consultations.cachetags import COMMENTS, RESULTS
from consultations.choices import Channel, CommentState
from consultations.models import Comment, ConsultationPage, ResponseTopic
from consultations.models.comments import fingerprint
from consultations.targets import Target
from mieplan_site import pagecache

logger = logging.getLogger(__name__)

DUPLICATE_WINDOW = timedelta(days=1)
RECEIPT_RESEND_INTERVAL = timedelta(minutes=10)


class SubmissionRefused(Exception):
    """A comment that must not be stored; `message` is for the resident, `status` the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Submission:
    comment: Comment
    secret: str  # shown once on the receipt page; empty for a duplicate
    duplicate: bool = False


def client_key(address: str) -> str:
    """A keyed hash of the client address: enough to rate-limit and spot duplicates, not to identify anyone."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:client:{address}".encode()).hexdigest()


def check_rate_limit(key: str, now: datetime) -> None:
    limit = settings.COMMENT_RATE_LIMIT
    window = settings.COMMENT_RATE_WINDOW_SECONDS
    bucket = f"comment-rate:{key}:{int(now.timestamp()) // window}"
    cache = caches["limits"]  # shared by every worker process (settings: Redis, or home.limits)
    try:
        try:
            count = cache.incr(bucket)  # one round trip once the window's counter exists
        except ValueError:
            cache.add(bucket, 0, timeout=window)
            count = cache.incr(bucket)
    except Exception:  # the cache is down: accepting the comment matters more than limiting it
        logger.warning("comment rate limit skipped: cache unavailable", exc_info=True)
        return
    if count > limit:
        raise SubmissionRefused(
            _("短い時間に多くのご意見が送信されました。しばらく時間をおいてから、もう一度送信してください。"),
            status=429,
        )


@sensitive_variables("data")  # the resident's name and address stay out of error reports
def submit_comment(
    consultation: ConsultationPage,
    target: Target,
    data: dict,
    client_address: str,
    language: str,
    now: datetime | None = None,
) -> Submission:
    """Store a resident's comment (the caller queues its mail, consultations.tasks.queue_comment_mail)."""
    now = now or timezone.now()
    if not consultation.is_open(now):
        raise SubmissionRefused(_("この意見募集は現在受け付けていません。"), status=403)
    key = client_key(client_address)
    check_rate_limit(key, now)

    duplicate = (
        # The fingerprint (indexed with the consultation) narrows it to the same text first: one address may
        # have sent many comments (a shared office or school network), and each would otherwise be compared.
        # The same text about another part of the plan is another comment.
        Comment.objects.filter(
            consultation=consultation,
            fingerprint=fingerprint(data["body"]),
            client_key=key,
            body=data["body"],
            target_page=target.page,
            target_part=target.part,
            target_item=target.item,
            submitted_at__gte=now - DUPLICATE_WINDOW,
        )
        .order_by("submitted_at")
        .first()
    )
    if duplicate is not None:
        return Submission(comment=duplicate, secret="", duplicate=True)

    comment = Comment(
        consultation=consultation,
        target_page=target.page,
        target_part=target.part,
        target_item=target.item,
        target_label=target.label[:500],
        body=data["body"],
        name=data.get("name", ""),
        age_group=data.get("age_group", ""),
        residence=data.get("residence", ""),
        email=data.get("email", ""),
        publication=data["publication"],
        language=language,
        channel=Channel.WEB,
        submitted_at=now,
        client_key=key,
    )
    secret = comment.issue_secret()
    comment.change_state(CommentState.RECEIVED, note=Channel.WEB)  # saves the comment and its history together
    return Submission(comment=comment, secret=secret)


def take_typed_up_comment(
    consultation: ConsultationPage, target: Target, data: dict, received_at: datetime, user
) -> Comment:
    """Store a comment staff typed up from paper, fax, e-mail or the counter (意見を追加).

    Staff know of it, so no moderator mail goes out; a receipt does if the sender gave an e-mail
    (send_pending_mail). Closing dates do not apply: a letter posted in time may arrive after them.
    """
    comment = Comment(
        consultation=consultation.source_consultation,
        target_page=target.page,
        target_part=target.part,
        target_item=target.item,
        target_label=target.label[:500],
        body=data["body"],
        name=data.get("name", ""),
        age_group=data.get("age_group", ""),
        residence=data.get("residence", ""),
        email=data.get("email", ""),
        publication=data["publication"],
        language=settings.LANGUAGE_CODE,
        channel=data["channel"],
        submitted_at=received_at,
        moderator_note=data.get("moderator_note", ""),
        moderators_notified_at=timezone.now(),
    )
    comment.change_state(CommentState.RECEIVED, by=user, note=data["channel"])
    return comment


def send_receipt(comment: Comment, again: bool = False) -> bool:
    """Send the receipt to the resident, once (`again`: once more, for a resubmission, at most every
    RECEIPT_RESEND_INTERVAL). Returns whether a mail went out."""
    if not comment.email:
        return False
    if comment.receipt_mail_sent_at and not (
        again and comment.receipt_mail_sent_at <= timezone.now() - RECEIPT_RESEND_INTERVAL
    ):
        return False
    with translation.override(comment.language):
        subject = _("ご意見を受け付けました（受付番号 %(number)s）") % {"number": comment.receipt_number}
        body = render_to_string("consultations/mail/receipt.txt", {"comment": comment})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [comment.email])
    Comment.objects.filter(pk=comment.pk).update(receipt_mail_sent_at=timezone.now())
    return True


def notify_moderators_of(comment: Comment) -> bool:
    if comment.moderators_notified_at:
        return False
    recipients = [address for address in settings.COMMENT_MODERATOR_EMAILS if address]
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("新しい意見が届きました（受付番号 %(number)s）") % {"number": comment.receipt_number}
            body = render_to_string("consultations/mail/moderator_notification.txt", {"comment": comment})
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    Comment.objects.filter(pk=comment.pk).update(moderators_notified_at=timezone.now())
    return bool(recipients)


def send_pending_mail(older_than: timedelta = timedelta(minutes=1)) -> int:
    """Send what could not be queued or sent earlier; run by Celery beat. Returns the number of comments handled."""
    cutoff = timezone.now() - older_than
    unsent_receipt = Q(receipt_mail_sent_at__isnull=True) & ~Q(email="")
    pending = Comment.objects.filter(submitted_at__lte=cutoff).filter(
        unsent_receipt | Q(moderators_notified_at__isnull=True)
    )
    handled = 0
    for comment in pending.iterator():
        send_receipt(comment)
        notify_moderators_of(comment)
        handled += 1
    return handled


def change_state(comments, new_state: str, user, note: str = "") -> int:
    """Move many comments to a new state (Comment.change_state), all or none; those already in it are left
    alone. Returns how many changed."""
    changed = 0
    with transaction.atomic():
        for comment in comments.select_for_update().exclude(state=new_state):
            comment.change_state(new_state, by=user, note=note)
            changed += 1
    return changed


class WrongConsultation(ValueError):
    pass


def assign_topic(comments, topic: ResponseTopic | None) -> int:
    """Put every comment of `comments` under `topic` (None: no topic), whichever page of a listing they are on.

    A topic belongs to one consultation: comments of another are refused, all or none. Returns how many moved.
    """
    with transaction.atomic():
        chosen = comments.select_for_update().order_by()
        if topic is not None:
            chosen = chosen.exclude(topic=topic)
            if chosen.exclude(consultation_id=topic.consultation_id).exists():
                raise WrongConsultation(_("選んだ意見に、この論点とは別の意見募集の意見が含まれています。"))
        else:
            chosen = chosen.exclude(topic=None)
        ids = list(chosen.values_list("pk", flat=True))
        moved = Comment.objects.filter(pk__in=ids).update(topic=topic)
        # update() sends no save signals: purge the results pages that list public comments under topics.
        shown = Comment.objects.filter(pk__in=ids, state=CommentState.PUBLISHED).values_list("consultation_id")
        consultation_ids = {pk for (pk,) in shown.distinct()}
        if consultation_ids:
            pagecache.purge({RESULTS(pk) for pk in consultation_ids})
    return moved


def find_comment(receipt_number: str, email_or_secret: str) -> Comment | None:
    number = receipt_number.strip().upper().replace(" ", "")
    if len(number) == 8:
        number = f"{number[:4]}-{number[4:]}"
    comment = Comment.objects.filter(receipt_number=number).first()
    if comment is None or not comment.matches(email_or_secret):
        return None
    return comment


def japanese_rendering(comment: Comment) -> str:
    """A machine translation of a comment into Japanese for moderators ('' for Japanese or on failure)."""
    if comment.language.split("-")[0] == "ja":
        return ""
    translator = get_machine_translator()
    source = Locale(language_code=comment.language)
    target = Locale(language_code="ja")
    if translator is None or not translator.can_translate(source, target):
        return ""
    try:
        value = StringValue.from_plaintext(comment.body)
        rendering = translator.translate(source, target, [value])[value].render_text()
    except Exception:  # the translator is a remote service: a failure must not break the moderation page
        logger.warning("machine translation of comment %s failed", comment.pk, exc_info=True)
        return ""
    # The offline memory hands back what it does not know unchanged: that is the original, not a translation.
    return "" if rendering.strip() == comment.body.strip() else rendering


PURGE_BATCH = 1000
PURGE_LOG_ACTION = "consultations.purge_personal_data"


@dataclass
class PurgeReport:
    """What a purge did (or, in a dry run, would do): comments per consultation."""

    dry_run: bool
    consultations: list[tuple[ConsultationPage, int]] = field(default_factory=list)

    @property
    def comments(self) -> int:
        return sum(count for _consultation, count in self.consultations)


def purge_personal_data(retention: timedelta, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Remove the senders' personal data from the comments of consultations whose results were published more
    than `retention` ago (ConsultationPage.personal_data_expired). Comments already purged are left alone, so
    running it again changes nothing."""
    now = now or timezone.now()
    report = PurgeReport(dry_run=dry_run)
    for consultation in ConsultationPage.objects.filter(results_published=True).order_by("pk"):
        if not consultation.personal_data_expired(retention, now):
            continue
        comments = Comment.objects.filter(consultation=consultation, personal_data_purged_at__isnull=True)
        count = comments.count() if dry_run else purge_comments(consultation, comments, now)
        if count:
            report.consultations.append((consultation, count))
    return report


def purge_comments(consultation: ConsultationPage, comments, now: datetime) -> int:
    salt = secrets.token_bytes(16)  # one per consultation and run: pseudonyms stay distinct, never linkable
    purged = 0
    with transaction.atomic():
        ids = list(comments.select_for_update().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), PURGE_BATCH):
            batch = list(Comment.objects.filter(pk__in=ids[start : start + PURGE_BATCH]).only("pk", "client_key"))
            for comment in batch:
                comment.clear_personal_data(salt, now)
            Comment.objects.bulk_update(batch, [*Comment.PERSONAL_FIELDS, "personal_data_purged_at"])
            purged += len(batch)
        if purged:
            log_purge(consultation, purged)
            # bulk_update sends no save signals: purge the cached pages that showed the names ourselves.
            shown_on = Comment.objects.filter(pk__in=ids).values("target_page")
            targets = Page.objects.filter(pk__in=shown_on).values_list("translation_key")
            pagecache.purge({RESULTS(consultation.pk), *(COMMENTS(key) for (key,) in targets)})
    return purged


def log_purge(consultation: ConsultationPage, count: int) -> None:
    """One entry in the consultation page's history (Wagtail audit log): when, and how many comments."""
    log(instance=consultation, action=PURGE_LOG_ACTION, data={"comments": count}, user=None)


CLOSE_EARLY_LOG_ACTION = "consultations.close_early"


class CannotCloseEarly(ValueError):
    pass


def close_early(consultation: ConsultationPage, reason: str, user, now: datetime | None = None) -> None:
    """End a running consultation now: the period of every language's page ends, the reason is shown on the
    public page and kept in the page's history (Wagtail's audit log)."""
    now = now or timezone.now()
    source = consultation.source_consultation
    if not source.is_open(now):
        raise CannotCloseEarly(_("受付中の意見募集だけを早期終了できます。"))
    reason = reason.strip()
    with transaction.atomic():
        for page in [source, *source.get_translations().filter(alias_of__isnull=True).specific()]:
            page.closes_at = now
            page.closed_early_at = now
            page.closed_early_reason = reason  # written in Japanese; other languages show it as written
            page.save_revision(user=user, log_action=False).publish(user=user)
        log(instance=source, action=CLOSE_EARLY_LOG_ACTION, data={"reason": reason}, user=user)
