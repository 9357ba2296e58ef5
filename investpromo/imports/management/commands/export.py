"""`investpromo export --event SLUG PATH`: an event's projects as an importable xlsx or csv."""

from investpromo.core.management.base import InvestPromoCommand
from investpromo.events.selectors import get_event
from investpromo.imports.export import export_event


class Command(InvestPromoCommand):
    help = "Write an event's projects to PATH (.xlsx or .csv) with headers the importer reads."

    def add_arguments(self, parser):
        parser.add_argument("--event", required=True, metavar="SLUG")
        parser.add_argument("path", metavar="PATH", help="the .xlsx or .csv file to write")
        parser.add_argument(
            "--lang",
            choices=["zh", "en"],
            default="zh",
            help="language of the xlsx's 导出说明 sheet (the data sheets keep their headers)",
        )

    def handle(self, *args, **options):
        event = get_event(options["event"])
        count = export_event(event, options["path"], lang=options["lang"])
        self.stdout.write(f"Wrote {count} projects of {event.slug} to {options['path']}")
