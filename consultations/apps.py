from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("意見募集")

    def ready(self) -> None:
        # Imported once the app registry is ready: they load models.
        from consultations import views
        from mieplan_site import pagecache

        page = self.get_model("ConsultationPage")
        page.route_views = views
        for model in (self.get_model("Comment"), self.get_model("ResponseTopic")):
            pagecache.purge_on_change(model)
        # Comment links on every page appear and vanish when a consultation opens or closes.
        pagecache.expires_at(page.opening_and_closing_times)
