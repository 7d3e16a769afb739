from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, TranslatableMixin

from plan.blocks import ScheduleStepBlock


class KPI(TranslatableMixin, Orderable):
    """One row of a card's KPI table (取組内容/目標項目).

    A row the document re-lists on another card (再掲) stores no copy: it points at its original row.
    """

    # What a row says, in the document's column order (the open data's columns too).
    VALUE_FIELDS = ("indicator", "baseline_label", "baseline", "target_label", "target", "note")

    page = ParentalKey("plan.InitiativePage", on_delete=models.CASCADE, related_name="kpis")
    indicator = models.TextField(_("取組内容/目標項目"), blank=True)
    baseline_label = models.CharField(_("現状値の見出し"), max_length=100, blank=True)
    baseline = models.TextField(_("現状値"), blank=True)
    target_label = models.CharField(_("目標値の見出し"), max_length=100, blank=True)
    target = models.TextField(_("目標値"), blank=True)
    schedule = StreamField([("step", ScheduleStepBlock())], blank=True, verbose_name=_("実施スケジュール"))
    note = models.TextField(_("注記"), blank=True)
    repost_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reposts",
        verbose_name=_("再掲元"),
        help_text=_("他のカードの指標を再掲する場合に選びます。その場合、ほかの欄は空のままにします。"),
    )

    panels = [
        FieldPanel("indicator"),
        FieldPanel("baseline_label"),
        FieldPanel("baseline"),
        FieldPanel("target_label"),
        FieldPanel("target"),
        FieldPanel("schedule"),
        FieldPanel("note"),
        FieldPanel("repost_of"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("KPI")
        verbose_name_plural = _("KPI")

    def __str__(self) -> str:
        return self.shown.indicator

    def clean(self) -> None:
        if self.repost_of_id is None and not self.indicator.strip():
            raise ValidationError({"indicator": _("指標を入力するか、再掲元を選んでください。")})
        if self.repost_of_id is not None and self.repost_of.repost_of_id is not None:
            raise ValidationError({"repost_of": _("再掲元には、元の指標を選んでください。")})

    @property
    def is_repost(self) -> bool:
        return self.repost_of_id is not None

    @property
    def shown(self) -> "KPI":
        """The row whose values are displayed: the original (in the reader's locale) for a re-listed row.

        Translated rows keep pointing at the source-locale original (wagtail-localize #710), so localise here.
        """
        if self.repost_of_id is None:
            return self
        if self.repost_of.locale_id == self.locale_id:
            return self.repost_of
        return self.repost_of.localized

    @property
    def schedule_steps(self) -> list[dict[str, str]]:
        return [{"period": step.value["period"], "text": step.value["text"]} for step in self.schedule]
