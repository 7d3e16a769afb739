"""Yearly actuals (実績値) of the plan's KPI rows, who may report them, and what was published when."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from plan.models import KPI, Department
from progress.cachetags import PROGRESS
from progress.rules import MILESTONE_STATUSES, PLAN_FIRST_YEAR, PLAN_LAST_YEAR, RowSpec, Status, judge


class DepartmentTeam(models.Model):
    """The staff group that reports one department's actuals: its members edit only that department's rows."""

    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="teams",
        verbose_name=_("担当部局"),
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="department_team", verbose_name=_("グループ")
    )

    panels = [FieldPanel("department"), FieldPanel("group")]

    class Meta:
        verbose_name = _("部局の実績報告グループ")
        verbose_name_plural = _("部局の実績報告グループ")

    def __str__(self) -> str:
        return f"{self.department} — {self.group}"


class KPIActualQuerySet(models.QuerySet):
    def for_rows(self, translation_keys) -> "KPIActualQuerySet":
        """The published actuals of these rows (in any locale: actuals hang on the Japanese row), oldest first."""
        return self.filter(live=True, kpi__translation_key__in=translation_keys).order_by("fiscal_year")


class KPIActual(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """One fiscal year's actual of one KPI row, as its department reports it and an approver publishes it."""

    kpi = models.ForeignKey(
        KPI,
        on_delete=models.PROTECT,
        related_name="actuals",
        verbose_name=_("KPI"),
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE, "repost_of__isnull": True},
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"),
        validators=[MinValueValidator(PLAN_FIRST_YEAR), MaxValueValidator(PLAN_LAST_YEAR)],
        help_text=_("西暦の年度（2022〜2026）"),
    )
    value = models.DecimalField(
        _("実績値（数値）"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("数値の指標では必須です。"),
    )
    unit = models.CharField(_("単位"), max_length=20, blank=True, help_text=_("空欄は目標値の単位です。"))
    milestone = models.TextField(_("実績（文章）"), blank=True, help_text=_("スケジュール型の指標の到達点。"))
    milestone_status = models.CharField(
        _("スケジュールに対する状況"),
        max_length=20,
        blank=True,
        choices=[(status.value, status.label) for status in MILESTONE_STATUSES],
        help_text=_("スケジュール型の指標では必須です。"),
    )
    as_of = models.DateField(_("時点"))
    source = models.CharField(_("出典"), max_length=200)
    note = models.TextField(_("備考"), blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="actuals",
        verbose_name=_("報告部局"),
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    is_demo = models.BooleanField(_("デモデータ"), default=False, editable=False)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="kpi_actual")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="kpi_actual",
        for_concrete_model=False,
    )

    objects = KPIActualQuerySet.as_manager()

    panels = [
        FieldPanel("kpi"),
        FieldRowPanel([FieldPanel("fiscal_year"), FieldPanel("as_of")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("value"), FieldPanel("unit")]),
                FieldPanel("milestone"),
                FieldPanel("milestone_status"),
            ],
            heading=_("実績"),
        ),
        FieldPanel("source"),
        FieldPanel("note"),
        FieldPanel("department"),
    ]

    class Meta:
        verbose_name = _("KPIの実績")
        verbose_name_plural = _("KPIの実績")
        constraints = [models.UniqueConstraint(fields=["kpi", "fiscal_year"], name="progress_one_actual_per_year")]
        ordering = ["kpi__page__path", "kpi__sort_order", "fiscal_year"]

    def __str__(self) -> str:
        demo = f"{_('【デモ】')} " if self.is_demo else ""
        return f"{demo}{self.kpi.page.number} {self.kpi.indicator[:40]} {self.fiscal_year}"

    @property
    def revisions(self):
        return self._revisions

    @property
    def demo_label(self) -> str:
        return str(_("デモデータ")) if self.is_demo else ""

    @property
    def spec(self) -> RowSpec:
        return RowSpec.of(self.kpi)

    @property
    def shown_unit(self) -> str:
        return self.unit or self.spec.unit

    def display(self) -> str:
        """The actual as a reader sees it: "78.0万世帯", or the milestone text."""
        if self.value is None:
            return self.milestone
        return f"{format_number(self.value)}{self.shown_unit}"

    def clean(self) -> None:
        errors = {}
        if self.kpi_id is not None:
            spec = self.spec
            if spec.is_numeric and self.value is None:
                errors["value"] = _("この指標は数値で報告します（目標値：%(target)s）。") % {"target": self.kpi.target}
            if spec.is_numeric and self.unit and self.unit != spec.unit:
                errors["unit"] = _("単位は目標値と同じ「%(unit)s」にしてください。") % {"unit": spec.unit}
            if not spec.is_numeric and not self.milestone.strip() and self.value is None:
                errors["milestone"] = _("実績を文章で入力してください。")
            if not spec.is_numeric and not self.milestone_status:
                errors["milestone_status"] = _("スケジュールに対する状況を選んでください。")
            if self.department_id is not None and self.kpi.page_id is not None:
                departments = {link.department_id for link in self.kpi.page.department_links.all()}
                if departments and self.department_id not in departments:
                    errors["department"] = _("この指標のカードの担当部局から選んでください。")
        if errors:
            raise ValidationError(errors)

    def purge_tags(self) -> set[str]:
        return {PROGRESS()}

    def status_in(self, thresholds) -> Status:
        return judge(self.spec, self.fiscal_year, self.value, self.milestone_status, thresholds)


def format_number(value) -> str:
    """A Decimal without trailing zeros or exponent, with thousands separators: 3,290 / 77.5."""
    text = format(value.normalize(), "f")
    whole, _dot, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-') or 0):,}"
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


class PublishedFigure(models.Model):
    """What was published when: every publication (and withdrawal) of an actual, kept as open data history."""

    kpi = models.ForeignKey(KPI, on_delete=models.PROTECT, related_name="published_figures")
    fiscal_year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    milestone = models.TextField(blank=True)
    as_of = models.DateField(null=True)
    source = models.CharField(max_length=200, blank=True)
    withdrawn = models.BooleanField(default=False)
    published_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("公表履歴")
        verbose_name_plural = _("公表履歴")
        ordering = ["published_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.fiscal_year} {self.published_at:%Y-%m-%d}"
