"""`investpromo overdue`: projects that have stalled, by region."""

from django.utils import timezone

from investpromo.core.management.base import InvestPromoCommand, parse_date_arg
from investpromo.followup.selectors import overdue_report
from investpromo.followup.services import current_thresholds
from investpromo.geo.resolver import resolve_region


class Command(InvestPromoCommand):
    help = "List flagged (red/yellow) projects, optionally for one event or region."

    def add_arguments(self, parser):
        parser.add_argument("--event", metavar="SLUG")
        parser.add_argument("--region", help="destination region: code or name")
        parser.add_argument("--today", type=parse_date_arg, metavar="YYYY-MM-DD")

    def handle(self, *args, **options):
        region = resolve_region(options["region"]) if options["region"] else None
        rows = overdue_report(
            today=options["today"] or timezone.localdate(),
            thresholds=current_thresholds(),
            event_slug=options["event"],
            region=region,
        )
        for row in rows:
            self.stdout.write(
                f"{row['level']}\t{row['project_id']}\t{row['region']}\t{row['stage']}\t"
                f"{row['last_move']}\t{row['name']}\t{'; '.join(row['reasons'])}"
            )
        self.stderr.write(f"{len(rows)} flagged projects")
