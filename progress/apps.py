from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("進捗管理")

    def ready(self) -> None:
        # Imported once the app registry is ready: they load models.
        from wagtail.signals import page_published, page_unpublished, published, unpublished

        from mieplan_site import pagecache
        from progress import services, views

        self.get_model("ProgressPage").route_views = views
        actual = self.get_model("KPIActual")
        pagecache.purge_on_change(actual)
        pagecache.purge_on_change(self.get_model("ProgressSettings"))
        published.connect(services.record_publication, sender=actual, dispatch_uid="progress-published")
        unpublished.connect(services.record_withdrawal, sender=actual, dispatch_uid="progress-unpublished")
        page = self.get_model("ProgressPage")
        page_published.connect(services.forget_page_urls, sender=page, dispatch_uid="progress-page-published")
        page_unpublished.connect(services.forget_page_urls, sender=page, dispatch_uid="progress-page-unpublished")
