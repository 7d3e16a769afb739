from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from progress.cachetags import PROGRESS
from progress.rules import Thresholds

THRESHOLDS_KEY = "progress:thresholds"  # progress.services reads it
SHARE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


@register_setting(icon="doc-full")
class ProgressSettings(BaseGenericSetting):
    """The thresholds of the status rule, set by administrators and printed on the public rule page."""

    on_track_share = models.DecimalField(
        _("「順調」とする計画比の下限"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.90"),
        validators=SHARE,
        help_text=_("計画どおりの進み（基準値から目標値への直線）に対する実際の進みの割合。0.90は9割です。"),
    )
    slightly_behind_share = models.DecimalField(
        _("「やや遅れ」とする計画比の下限"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.60"),
        validators=SHARE,
        help_text=_("これ未満は「遅れ」です。"),
    )

    panels = [FieldPanel("on_track_share"), FieldPanel("slightly_behind_share")]

    class Meta:
        verbose_name = _("進捗の判定基準")

    def clean(self) -> None:
        shares = (self.slightly_behind_share, self.on_track_share)
        if None not in shares and shares[0] > shares[1]:
            raise ValidationError(
                {"slightly_behind_share": _("「やや遅れ」の下限は「順調」の下限以下にしてください。")}
            )

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        cache.delete(THRESHOLDS_KEY)

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(on_track=self.on_track_share, slightly_behind=self.slightly_behind_share)

    def purge_tags(self) -> set[str]:
        return {PROGRESS()}
