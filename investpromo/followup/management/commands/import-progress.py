"""`investpromo import-progress FILE`: record progress steps from a county's spreadsheet."""

from django.core.management.base import CommandError

from investpromo.core.management.base import InvestPromoCommand
from investpromo.imports.progress import import_progress


class Command(InvestPromoCommand):
    help = (
        "Import a progress report (ID or event + project + investor; stage, date, funds in "
        "place, note). All or nothing: exit 1 when rows are invalid, 2 when the file cannot be used."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx, .xls or .csv file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and summarise; write nothing"
        )
        parser.add_argument("--event", metavar="SLUG", help="event of rows that name none")

    def handle(self, *args, **options):
        report = import_progress(
            actor=self.actor(options),
            path=options["file"],
            dry_run=options["dry_run"],
            event_slug=options["event"],
        )
        self.stdout.write(report.format_text())
        if report.failed:
            raise CommandError(f"{report.rejected} invalid rows: nothing was written", returncode=1)
