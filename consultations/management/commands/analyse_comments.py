"""`manage.py analyse_comments CONSULTATION [--json FILE] [--topics N]`: the analysis from the command line.

Runs what the admin's button runs (topic_services.run_analysis), stores the proposal for the topics board and
writes the JSON of the command-line contract (docs: README, issue 12) to FILE or standard output. It fails when a
stored 論点's summary no longer passes the citation rule, naming the sentence.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from consultations import topic_services
from consultations.management.commands.import_comments import find_consultation


def topic_count(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 500:
        raise CommandError(f"--topics must be a whole number from 1 to 500 (got {value!r}).")
    return int(value)


class Command(BaseCommand):
    help = "Group the consultation's comments into campaigns and topics, draft cited summaries, write JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("consultation", help="the consultation page's id or slug")
        parser.add_argument("--json", metavar="FILE", help="write the JSON here (default: standard output)")
        parser.add_argument("--topics", metavar="N", help="number of topics (default: chosen automatically)")

    def handle(self, *args, **options) -> None:
        consultation = find_consultation(options["consultation"])
        count = topic_count(options["topics"]) if options["topics"] is not None else None
        result = topic_services.run_analysis(consultation, count)
        output = result.dumps()
        if options["json"]:
            Path(options["json"]).write_text(output, encoding="utf-8")
        else:
            self.stdout.write(output, ending="")
        errors = topic_services.check_accepted_summaries(consultation)
        if errors:
            raise CommandError("\n".join(["Summaries that break the citation rule:", *errors]))
