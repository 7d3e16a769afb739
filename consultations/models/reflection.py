"""反映状況: how the plan reflects a point raised in the comments. The labels are the site's to choose."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class ReflectionStatus(models.Model):
    """One label of the 反映状況 column (Mie's defaults are created by migration 0005; Shiga-style
    修正しました / 原案のとおり / 今後の参考 are added or renamed in the admin, no code needed)."""

    label = models.CharField(_("表示名"), max_length=50, unique=True)
    description = models.CharField(_("説明（職員向け）"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("表示順"), default=0)

    panels = [FieldPanel("label"), FieldPanel("description"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("反映状況の区分")
        verbose_name_plural = _("反映状況の区分")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        # The default labels are in the interface catalogue (choices.DEFAULT_REFLECTIONS), so other
        # languages' result pages show them translated; a label the site typed itself shows as typed.
        return gettext(self.label)
