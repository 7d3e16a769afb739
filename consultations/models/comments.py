"""Public comments, their moderation history and the prefecture's responses (県の考え方)."""

import hashlib
import re
import secrets
import unicodedata
from datetime import datetime

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from consultations.cachetags import COMMENTS, RESULTS
from consultations.choices import (
    RESIDENCE_CHOICES,
    AgeGroup,
    Channel,
    CommentState,
    Publication,
    TargetPart,
)
from consultations.masking import PLACEHOLDERS, mask_personal_data, personal_data_kinds
from home.models import optional_page_link

# No 0/O, 1/I/L: receipt numbers are read aloud on the phone and typed from paper.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_receipt_number() -> str:
    body = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"{body[:4]}-{body[4:]}"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{secret}".encode()).hexdigest()


def fingerprint(text: str) -> str:
    """Same fingerprint for texts that differ only in width, case, spaces, punctuation or symbols.

    Organised campaigns send one text many times with small edits of this kind; grouping them lets staff
    answer once and report the count honestly.
    """
    normalised = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(ch for ch in normalised if unicodedata.category(ch)[0] in {"L", "N"})
    return hashlib.sha256(kept.encode()).hexdigest()[:32]


class ResponseTopic(models.Model):
    """A group of comments on one point with the prefecture's response and how the plan reflects it."""

    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="topics",
        verbose_name=_("意見募集"),
    )
    target_page = optional_page_link(_("対象のページ"))
    title = models.CharField(_("論点"), max_length=200)
    summary = models.TextField(_("提出意見の概要"))
    response = models.TextField(_("県の考え方"))
    reflection = models.ForeignKey(
        "consultations.ReflectionStatus",
        null=True,  # a draft accepted from the analysis has none until staff choose
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("反映状況"),
    )
    sort_order = models.PositiveIntegerField(_("表示順"), default=0)

    panels = [
        FieldPanel("consultation"),
        FieldPanel("target_page"),
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("response"),
        FieldPanel("reflection"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("意見の論点と県の考え方")
        verbose_name_plural = _("意見の論点と県の考え方")
        ordering = ["consultation", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.title

    def purge_tags(self) -> set[str]:
        return {RESULTS(self.consultation_id)}


# Which states a comment may move to from each state ("" is a comment not stored yet). Received means no moderator
# has looked at it, so a decision is never undone back to it, only changed to another decision.
STATE_CHANGES: dict[str, frozenset[str]] = {
    "": frozenset(CommentState.values),
    CommentState.RECEIVED: frozenset({CommentState.PUBLISHED, CommentState.REJECTED, CommentState.SPAM}),
    CommentState.PUBLISHED: frozenset({CommentState.REJECTED, CommentState.SPAM}),
    CommentState.REJECTED: frozenset({CommentState.PUBLISHED, CommentState.SPAM}),
    CommentState.SPAM: frozenset({CommentState.PUBLISHED, CommentState.REJECTED}),
}


class IllegalStateChange(ValueError):
    """A state change the moderation rules do not allow (STATE_CHANGES)."""

    def __init__(self, from_state: str, to_state: str) -> None:
        super().__init__(f"a comment cannot move from {from_state or 'new'!r} to {to_state!r}")
        self.from_state = from_state
        self.to_state = to_state


def state_choices_from(state: str) -> list[tuple[str, str]]:
    """The states a moderator may pick for a comment now in `state` (itself included: no change)."""
    allowed = STATE_CHANGES[state] | ({state} if state else set())
    return [(value, label) for value, label in CommentState.choices if value in allowed]


class CommentQuerySet(models.QuerySet):
    def published(self) -> "CommentQuerySet":
        return self.filter(state=CommentState.PUBLISHED).exclude(publication=Publication.NOT_PUBLISHED)

    def with_group_size(self) -> "CommentQuerySet":
        same_text = (
            Comment.objects.filter(
                consultation=models.OuterRef("consultation"), fingerprint=models.OuterRef("fingerprint")
            )
            .order_by()
            .values("fingerprint")
            .annotate(size=models.Count("pk"))
            .values("size")
        )
        return self.annotate(group_size=models.Subquery(same_text, output_field=models.IntegerField()))


class Comment(models.Model):
    """One resident's comment on the consultation, with its exact target in the plan."""

    # What identifies or reaches the sender, removed once the retention period after the results has passed.
    # The text, target, age group, municipality, state and topic stay: the published results are made of them.
    PERSONAL_FIELDS = ("name", "email", "client_key")

    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("意見募集"),
    )
    receipt_number = models.CharField(_("受付番号"), max_length=9, unique=True, default=new_receipt_number)
    secret_hash = models.CharField(max_length=64, editable=False, blank=True)

    target_page = optional_page_link(_("対象のページ"), help_text=_("空欄は計画全体への意見です。"))
    target_part = models.CharField(_("対象の部分"), max_length=10, choices=TargetPart.choices, default="whole")
    target_item = models.CharField(_("対象の項目ID"), max_length=64, blank=True)
    target_label = models.CharField(
        _("対象"), max_length=500, blank=True, help_text=_("受付時点の対象（カード番号・項目の文）。")
    )

    body = models.TextField(_("ご意見"))
    name = models.CharField(_("氏名・ニックネーム"), max_length=100, blank=True)
    age_group = models.CharField(_("年代"), max_length=3, choices=AgeGroup.choices, blank=True)
    residence = models.CharField(_("お住まい"), max_length=12, choices=RESIDENCE_CHOICES, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    publication = models.CharField(_("公表の可否"), max_length=10, choices=Publication.choices)
    language = models.CharField(_("言語"), max_length=10, default="ja")
    channel = models.CharField(_("提出方法"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    # The row's id in a typed-up file (manage.py import_comments): importing the same rows again adds nothing.
    external_id = models.CharField(_("取込ファイルの番号"), max_length=100, blank=True)

    state = models.CharField(
        _("状態"), max_length=12, choices=CommentState.choices, default=CommentState.RECEIVED, db_index=True
    )
    moderator_note = models.TextField(_("担当者メモ"), blank=True)
    topic = models.ForeignKey(
        ResponseTopic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        verbose_name=_("論点"),
    )

    submitted_at = models.DateTimeField(_("受付日時"), default=timezone.now, db_index=True)
    fingerprint = models.CharField(max_length=32, editable=False, db_index=True)
    client_key = models.CharField(max_length=64, editable=False, blank=True)
    receipt_mail_sent_at = models.DateTimeField(_("受付メール送信日時"), null=True, blank=True, editable=False)
    moderators_notified_at = models.DateTimeField(_("担当者への通知日時"), null=True, blank=True, editable=False)
    personal_data_purged_at = models.DateTimeField(_("個人情報の削除日時"), null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    # Comments are many and written in bursts: keep them out of Wagtail's reference index (the admin
    # searches them with plain SQL, which also finds Japanese substrings).
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("意見")
        verbose_name_plural = _("意見")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["consultation", "state", "-submitted_at"]),
            models.Index(fields=["consultation", "fingerprint"]),
            models.Index(fields=["consultation", "client_key", "submitted_at"]),
            models.Index(fields=["target_page", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "external_id"],
                condition=~models.Q(external_id=""),
                name="comment_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.short_body}"

    def save(self, *args, **kwargs) -> None:
        self.fingerprint = fingerprint(self.body)
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        comment.loaded_state = comment.__dict__.get("state")  # to tell when a change reaches public pages
        return comment

    def purge_tags(self) -> set[str]:
        """Pages to purge after a save: only when the comment is or was public (new arrivals are not)."""
        published = CommentState.PUBLISHED
        if published not in (self.state, getattr(self, "loaded_state", None)):
            return set()
        tags = {RESULTS(self.consultation_id)}
        if self.target_page_id:
            target_key = Page.objects.filter(pk=self.target_page_id).values_list("translation_key", flat=True).first()
            tags.add(COMMENTS(target_key))
        return tags

    def change_state(self, to: str, by=None, note: str = "") -> "CommentStateChange":
        """Move the comment to state `to` and record who did it, when and why: the one place a comment's state
        changes (the admin form, bulk actions, services, tasks). A comment not stored yet is saved with `to` as
        its first state. Raises IllegalStateChange for a change STATE_CHANGES does not allow."""
        from_state = "" if self._state.adding else self.state
        if to not in STATE_CHANGES[from_state]:
            raise IllegalStateChange(from_state, to)
        with transaction.atomic():
            self.state = to
            if from_state:
                self.save(update_fields=["state"])
            else:
                self.save()
            return CommentStateChange.objects.create(
                comment=self, from_state=from_state, to_state=to, changed_by=by, note=note[:200]
            )

    @property
    def masked_body(self) -> str:
        """The text as anyone but a moderator reading this comment sees it: personal data as placeholders."""
        return mask_personal_data(self.body)

    @property
    def short_body(self) -> str:
        return re.sub(r"\s+", " ", self.masked_body)[:40]

    @property
    def personal_data_found(self) -> list[str]:
        """What kinds of personal data the text holds, as labels for moderators' warnings."""
        return [PLACEHOLDERS[kind] for kind in personal_data_kinds(self.body)]

    def issue_secret(self) -> str:
        """A fresh secret for the status page; only its hash is kept."""
        secret = secrets.token_urlsafe(9)
        self.secret_hash = hash_secret(secret)
        return secret

    def matches(self, email_or_secret: str) -> bool:
        given = email_or_secret.strip()
        if not given:
            return False
        if self.email and secrets.compare_digest(self.email.casefold(), given.casefold()):
            return True
        return bool(self.secret_hash) and secrets.compare_digest(self.secret_hash, hash_secret(given))

    def clear_personal_data(self, pseudonym_salt: bytes, now: datetime) -> None:
        """Blank the PERSONAL_FIELDS (not saved here: the purge writes many comments in batches).

        The results page counts commenters as distinct client keys, so the key becomes a pseudonym from a salt
        the purge never stores: one per sender within the run, the count stays the same, and nothing leads
        back to an address any more.
        """
        self.name = ""
        self.email = ""
        if self.client_key:
            self.client_key = "purged:" + hashlib.sha256(pseudonym_salt + self.client_key.encode()).hexdigest()[:32]
        self.personal_data_purged_at = now

    @property
    def public_name(self) -> str:
        return self.name if self.publication == Publication.WITH_NAME and self.name else ""


class CommentStateChange(models.Model):
    """Who moved a comment from one state to another, and when: the moderation history."""

    wagtail_reference_index_ignore = True

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(max_length=12, choices=CommentState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=CommentState.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("担当者")
    )
    changed_at = models.DateTimeField(_("日時"), auto_now_add=True)
    note = models.CharField(_("メモ"), max_length=200, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("状態の変更履歴")

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.from_state} → {self.to_state}"
