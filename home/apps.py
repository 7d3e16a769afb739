from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("ホーム")

    def ready(self) -> None:
        from home import signals  # connects the page purge receivers; needs the app registry

        post_migrate.connect(signals.keep_site_on_public_origin, sender=self)
