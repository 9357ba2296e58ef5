"""`investpromo snapshot`: freeze an event's report as of a date (never changed afterwards)."""

from django.utils import timezone

from investpromo.core.management.base import InvestPromoCommand, parse_date_arg
from investpromo.events.selectors import get_event
from investpromo.followup.models import Snapshot
from investpromo.followup.services import SnapshotUnchanged, take_snapshot


class Command(InvestPromoCommand):
    help = "Freeze an event's figures and bulletins as of a date, or list its snapshots."

    def add_arguments(self, parser):
        parser.add_argument("--event", required=True, metavar="SLUG")
        parser.add_argument("--as-of", type=parse_date_arg, metavar="YYYY-MM-DD")
        parser.add_argument("--label", help="e.g. '2025年6月月报'")
        parser.add_argument("--list", action="store_true", help="list the event's snapshots")
        parser.add_argument(
            "--force",
            action="store_true",
            help="take a snapshot even if the latest of that label and date is unchanged",
        )

    def handle(self, *args, **options):
        event = get_event(options["event"])
        if options["list"]:
            for snap in Snapshot.objects.filter(event=event).select_related("created_by"):
                who = snap.created_by.get_username() if snap.created_by else "?"
                self.stdout.write(
                    f"{snap.pk}\t{snap.as_of}\t{snap.label}\t{who}\t{snap.created_at:%Y-%m-%d %H:%M}"
                    f"\t{snap.content_sha256[:12]}"
                )
            return
        if not options["label"]:
            self.stderr.write("a snapshot needs --label")
            raise SystemExit(2)
        try:
            snap = take_snapshot(
                actor=self.actor(options),
                event=event,
                as_of=options["as_of"] or timezone.localdate(),
                label=options["label"],
                force=options["force"],
                via="cli",
            )
        except SnapshotUnchanged as unchanged:
            # Not a mistake: what was asked for exists already (a script run twice).
            self.stdout.write(f"Snapshot {unchanged}")
            return
        self.stdout.write(
            f"Snapshot {snap.pk} of {event.slug} as of {snap.as_of} ('{snap.label}'), "
            f"sha256 {snap.content_sha256}"
        )
