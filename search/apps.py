from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "site_search"
    verbose_name = _("検索")

    def ready(self) -> None:
        from search import signals  # noqa: F401 - connects the receivers
