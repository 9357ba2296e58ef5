"""`investpromo import FILE --event SLUG`: import a signing list (xlsx, xls, csv) into an event."""

from django.core.management.base import CommandError

from investpromo.core.errors import Conflict
from investpromo.core.management.base import InvestPromoCommand
from investpromo.events.selectors import get_event
from investpromo.imports.importer import import_signing_list

PROGRESS_STEP = 10_000


class Command(InvestPromoCommand):
    help = (
        "Import a signing list into an event. All or nothing unless --skip-invalid; exit 1 when "
        "rows are invalid or another import changed the ledger meanwhile (nothing written), 2 "
        "when the file or event cannot be used."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx, .xls or .csv file")
        parser.add_argument("--event", required=True, metavar="SLUG")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and summarise; write nothing"
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="write the valid rows, reject the others"
        )
        parser.add_argument(
            "--rejects", metavar="PATH", help="write rejected rows and why to PATH (.xlsx or .csv)"
        )

    def handle(self, *args, **options):
        event = get_event(options["event"])
        try:
            report = import_signing_list(
                actor=self.actor(options),
                path=options["file"],
                event=event,
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                rejects_path=options["rejects"],
                progress=self._progress_printer(),
            )
        except Conflict as error:
            # Nothing was written, as with invalid rows; importing again is the way out.
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(report.format_text())
        if report.failed:
            raise CommandError(f"{report.rejected} invalid rows: nothing was written", returncode=1)

    def _progress_printer(self):
        """Prints every 10,000 rows on stderr, for a terminal or a file that large."""
        interactive = self.stderr.isatty()
        last = [0]

        def progress(done: int, total: int | None) -> None:
            if done - last[0] < PROGRESS_STEP and not (done == total and last[0]):
                return
            if not (interactive or done > PROGRESS_STEP or (total or 0) > PROGRESS_STEP):
                return
            last[0] = done
            of = f" of {total:,}" if total else ""
            self.stderr.write(f"… {done:,}{of} rows")

        return progress
