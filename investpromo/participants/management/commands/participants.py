"""`investpromo participants import FILE --event SLUG [--dry-run]`: an event's participant list."""

from django.core.management.base import CommandError

from investpromo.core.management.base import InvestPromoCommand
from investpromo.events.selectors import get_event
from investpromo.participants.importing import import_participant_list


class Command(InvestPromoCommand):
    help = (
        "Import an event's participant list (单位名称, 参会身份, … with English aliases). All or "
        "nothing: exit 1 when rows are invalid (nothing written), 2 when the file or event "
        "cannot be used."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        read = sub.add_parser("import", help="register or update the participants of a list")
        read.add_argument("file", help="the .xlsx, .xls or .csv file")
        read.add_argument("--event", required=True, metavar="SLUG")
        read.add_argument("--dry-run", action="store_true", help="check and summarise only")

    def handle(self, *args, **options):
        event = get_event(options["event"])
        report = import_participant_list(
            actor=self.actor(options),
            path=options["file"],
            event=event,
            dry_run=options["dry_run"],
        )
        self.stdout.write(report.format_text())
        if report.failed:
            raise CommandError(f"{report.rejected} invalid rows: nothing was written", returncode=1)
