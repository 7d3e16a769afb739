"""The Celery app. Without REDIS_URL the settings make every task run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieplan_site.settings.dev")

app = Celery("mieplan_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
