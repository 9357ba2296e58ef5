"""`investpromo event add|list`: manage promotion events from the command line."""

from investpromo.core.management.base import InvestPromoCommand, parse_date_arg
from investpromo.events.models import Event
from investpromo.events.services import create_event
from investpromo.geo.resolver import resolve_region


class Command(InvestPromoCommand):
    help = "Add or list promotion events."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add an event")
        add.add_argument("slug")
        add.add_argument("--name", required=True)
        add.add_argument("--name-en", default="")
        add.add_argument("--start", required=True, type=parse_date_arg, metavar="YYYY-MM-DD")
        add.add_argument("--end", type=parse_date_arg, metavar="YYYY-MM-DD")
        add.add_argument("--region", required=True, help="host region: code or name")
        add.add_argument("--organiser", default="")
        sub.add_parser("list", help="list events")

    def handle(self, *args, **options):
        if options["action"] == "list":
            for event in Event.objects.select_related("host_region"):
                demo = "  [example data]" if event.is_demo else ""
                self.stdout.write(
                    f"{event.slug}\t{event.start_date}–{event.end_date}\t"
                    f"{event.host_region.name}\t{event.name}{demo}"
                )
            return
        event = create_event(
            actor=self.actor(options),
            slug=options["slug"],
            name=options["name"],
            name_en=options["name_en"],
            start_date=options["start"],
            end_date=options["end"],
            host_region=resolve_region(options["region"]),
            organiser=options["organiser"],
            via="cli",
        )
        self.stdout.write(
            f"Added event {event.slug}: {event.name}, {event.start_date}–{event.end_date}, "
            f"{event.host_region.full_name} ({event.host_region.code})"
        )
