"""`investpromo overdue`: projects that have stalled, by region."""

import csv
import json

from django.utils import timezone

from investpromo.core.management.base import InvestPromoCommand, parse_date_arg
from investpromo.core.spreadsheets import csv_row
from investpromo.events.selectors import get_event
from investpromo.followup.reasons import reason_texts
from investpromo.followup.selectors import overdue_report
from investpromo.followup.services import current_thresholds
from investpromo.geo.resolver import resolve_region

# (heading, key of the overdue_report row), in the order printed.
COLUMNS = [
    ("level", "level"),
    ("days overdue", "days_overdue"),
    ("overdue since", "overdue_since"),
    ("event", "event"),
    ("project id", "project_id"),
    ("region", "region"),
    ("stage", "stage"),
    ("last move", "last_move"),
    ("value (CNY)", "value_cny"),
    ("project", "name"),
    ("investor", "investor"),
    ("reasons", "reasons"),
]


class Command(InvestPromoCommand):
    help = (
        "List flagged (red/yellow) projects, optionally for one event or region: a table "
        "with a header row, or csv or json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--event", metavar="SLUG", help="only this event's projects")
        parser.add_argument("--region", help="destination region: code or name")
        parser.add_argument("--today", type=parse_date_arg, metavar="YYYY-MM-DD")
        parser.add_argument(
            "--format",
            choices=["table", "csv", "json"],
            default="table",
            help="table (tab-separated, default), csv, or json",
        )

    def handle(self, *args, **options):
        region = resolve_region(options["region"]) if options["region"] else None
        # An unknown event is one line and exit 2, not an empty list.
        event = get_event(options["event"]) if options["event"] else None
        rows = overdue_report(
            today=options["today"] or timezone.localdate(),
            thresholds=current_thresholds(),
            event_slug=event.slug if event else None,
            region=region,
        )
        if options["format"] == "json":
            self.stdout.write(
                json.dumps([_json(row) for row in rows], ensure_ascii=False, indent=2)
            )
        elif options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow([heading for heading, _ in COLUMNS])
            writer.writerows(csv_row(_cells(row)) for row in rows)
        else:
            self.stdout.write("\t".join(heading for heading, _ in COLUMNS))
            for row in rows:
                self.stdout.write(
                    "\t".join("" if cell is None else str(cell) for cell in _cells(row))
                )
        self.stderr.write(f"{len(rows)} flagged projects")


def _cells(row: dict) -> list:
    cells = [row[key] for _, key in COLUMNS]
    cells[-1] = "; ".join(reason_texts(row["reasons"]))
    return cells


def _json(row: dict) -> dict:
    return {
        **row,
        "value_cny": str(row["value_cny"]),
        "reasons": reason_texts(row["reasons"]),
        "reason_codes": row["reasons"],
    }
