from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def keep_site_on_public_origin(**kwargs) -> None:
    from home.origin import sync_default_site

    sync_default_site()


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("ホーム")

    def ready(self) -> None:
        from home import signals

        signals.connect_model_purges()
        post_migrate.connect(keep_site_on_public_origin, sender=self)
