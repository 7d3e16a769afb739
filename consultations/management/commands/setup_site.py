"""`make setup`'s steps in one process: compiled catalogues, schema, the plan, the demo consultation, the
やさしい日本語 texts, the demo KPI actuals and the demo administrator.

Each step is its own idempotent command; run here in turn they share one start of Django (each start costs
seconds of importing Wagtail on a first run, before any byte-code is cached).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "make setup in one process: catalogues, schema, the plan and the demo data."

    def handle(self, *args, verbosity: int = 1, **options) -> None:
        if connection.vendor == "sqlite":
            # A set-up interrupted by a power cut is simply run again: no need to wait for the disk on each commit.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")
        call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_plan", verbosity=verbosity)
        call_command("create_demo_consultation", verbosity=verbosity)
        call_command("load_easy_japanese", verbosity=verbosity)
        call_command("create_demo_progress", verbosity=verbosity)
        call_command("ensure_demo_admin", verbosity=verbosity)
