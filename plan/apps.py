from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "plan"
    verbose_name = _("計画")

    def ready(self) -> None:
        from mieplan_site import pagecache  # needs the app registry (it loads Wagtail's models)

        pagecache.purge_on_change(self.get_model("Department"))
