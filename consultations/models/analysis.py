"""What an analysis run proposes and what staff make of it: topics, comments' places in them, cited sentences."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnalysisRun(models.Model):
    """One run of the analysis over a consultation's comments; the admin's progress bar polls it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待機中")
        RUNNING = "running", _("実行中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")

    consultation = models.ForeignKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="analysis_runs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=40, blank=True)
    topic_count = models.PositiveSmallIntegerField(null=True, blank=True)
    # The per-comment steps run as chunks, possibly on several Celery workers; the last one to finish starts
    # the rest of the run.
    chunks = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    result = models.TextField(blank=True)  # the JSON of the command-line contract
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("分析の実行")

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.status} {self.progress}%"


class AnalysisChunk(models.Model):
    """What one chunk of a run computed for its comments (masked text, language, words, fingerprint), kept until
    the run combines the chunks; ordered by comment, whichever worker wrote it."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="chunk_results")
    position = models.PositiveIntegerField()
    rows = models.JSONField(default=list)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "position"], name="analysis_chunk_position_unique")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.position}"


class ProposedTopic(models.Model):
    """A topic found by the analysis or shaped by staff, until it is accepted as a 論点 (ResponseTopic)."""

    consultation = models.ForeignKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="proposed_topics"
    )
    key = models.CharField(max_length=20)
    title = models.CharField(_("見出し"), max_length=200)
    key_phrases = models.JSONField(default=list, blank=True)
    targets = models.JSONField(default=list, blank=True)
    accepted_as = models.OneToOneField(
        "consultations.ResponseTopic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
        verbose_name=_("論点"),
    )

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["consultation", "pk"]
        constraints = [models.UniqueConstraint(fields=["consultation", "key"], name="proposed_topic_key_unique")]
        verbose_name = _("論点の候補")

    def __str__(self) -> str:
        return self.title


class TopicPlacement(models.Model):
    """Where a comment stands in the analysis: its topic, campaign and language; staff may confirm or set it aside."""

    comment = models.OneToOneField("consultations.Comment", on_delete=models.CASCADE, related_name="placement")
    topic = models.ForeignKey(
        ProposedTopic, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements"
    )
    campaign = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=10, blank=True)
    matched = models.JSONField(default=list, blank=True)  # key phrases found in it, highlighted on the board
    confirmed = models.BooleanField(_("確定"), default=False)  # a re-run never moves a confirmed comment
    outlier = models.BooleanField(_("外れ値"), default=False)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("意見の分類")

    def __str__(self) -> str:
        return f"{self.comment_id} → {self.topic_id}"


class SummarySentence(models.Model):
    """One sentence of a 意見の概要 with the comments it stands on (checked by the citation rule)."""

    proposed_topic = models.ForeignKey(
        ProposedTopic, null=True, blank=True, on_delete=models.CASCADE, related_name="sentences"
    )
    response_topic = models.ForeignKey(
        "consultations.ResponseTopic", null=True, blank=True, on_delete=models.CASCADE, related_name="sentences"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    cites = models.ManyToManyField("consultations.Comment", related_name="+")

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposed_topic__isnull=False) | models.Q(response_topic__isnull=False),
                name="summary_sentence_has_topic",
            )
        ]

    def __str__(self) -> str:
        return self.text
