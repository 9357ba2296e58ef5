"""`investpromo report`: an event's figures as JSON or as the published bulletin."""

import json

from investpromo.core.management.base import InvestPromoCommand, parse_date_arg
from investpromo.events.selectors import get_event
from investpromo.reports.bulletin import bulletin
from investpromo.reports.selectors import event_summary


class Command(InvestPromoCommand):
    help = "Print an event's figures (JSON) or its bulletin (text, Chinese or English)."

    def add_arguments(self, parser):
        parser.add_argument("--event", required=True, metavar="SLUG")
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh")
        parser.add_argument(
            "--as-of",
            type=parse_date_arg,
            metavar="YYYY-MM-DD",
            help="date of the follow-through figures (default: today)",
        )

    def handle(self, *args, **options):
        summary = event_summary(get_event(options["event"]), as_of=options["as_of"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(bulletin(summary, lang=options["lang"]))
