from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("ホーム")

    def ready(self) -> None:
        from home import signals  # connects the page purge receivers; needs the app registry
        from mieplan_site import pagecache  # imports Wagtail's models, so only once the registry is ready

        post_migrate.connect(signals.keep_site_on_public_origin, sender=self)
        pagecache.purge_on_change(self.get_model("ReadingGlossaryEntry"))
