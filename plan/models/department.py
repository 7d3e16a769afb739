from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin
from wagtail.search import index

from plan.cachetags import DEPARTMENT, DEPARTMENTS, KPIS
from search.fields import JapaneseAutocompleteField, JapaneseSearchField


class Department(TranslatableMixin, index.Indexed, models.Model):
    """A lead department (担当部局) of the prefecture; translatable so foreign readers see its name."""

    name = models.CharField(_("名称"), max_length=100)

    search_fields = [JapaneseSearchField("name"), JapaneseAutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("担当部局")
        verbose_name_plural = _("担当部局")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language: annotated by the query that loaded it
        (plan.models.pages.department_links), else looked up."""
        return getattr(self, "localized_name", None) or self.localized.name

    def purge_tags(self) -> set[str]:
        return {DEPARTMENT(self.translation_key), DEPARTMENTS(), KPIS()}
