"""Retention: remove commenters' personal data once the results have been public long enough.

The rule lives in ConsultationPage.personal_data_expired and services.purge_personal_data; this command only
reads the period, runs the service and reports. Run it daily (cron or a scheduler); a second run changes
nothing.
"""

import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser

from consultations import services

PERIOD = re.compile(r"(\d+)d?")


def parse_period(value: str) -> timedelta:
    """`90d` or `90`: a whole, positive number of days. Weeks and months are left out on purpose: a month
    has no fixed length, and a retention period should read the same to everyone."""
    match = PERIOD.fullmatch(value.strip().lower())
    if match is None or int(match.group(1)) == 0:
        raise CommandError(f"--older-than must be a positive number of days, such as 90d or 90 (got {value!r}).")
    days = int(match.group(1))
    if days > 36_500:
        raise CommandError(f"--older-than {value} is over a hundred years; give the period in days, such as 90d.")
    return timedelta(days=days)


class Command(BaseCommand):
    help = (
        "Remove names, e-mail addresses and client-address hashes from the comments of consultations whose "
        "results were published more than the given number of days ago. Comment texts, targets and counts stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            required=True,
            metavar="DAYS",
            help="retention period after the results' publication, in days: 90d or 90",
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would be purged, change nothing")

    def handle(self, *args, older_than: str, dry_run: bool, **options) -> None:
        retention = parse_period(older_than)
        report = services.purge_personal_data(retention, dry_run=dry_run)
        verb = "would purge" if dry_run else "purged"
        for consultation, count in report.consultations:
            self.stdout.write(f"{consultation.title} (id {consultation.pk}): {verb} {count} comment(s)")
        summary = f"{'Dry run: ' if dry_run else ''}{verb} personal data of {report.comments} comment(s) in "
        summary += f"{len(report.consultations)} consultation(s) with results published over {retention.days} days ago."
        self.stdout.write(self.style.SUCCESS(summary) if report.comments and not dry_run else summary)
