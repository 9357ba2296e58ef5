"""`investpromo report`: an event's figures as JSON, the published bulletin, or a Word file."""

import json
from pathlib import Path

from investpromo.core.errors import UserError, check_writable_file
from investpromo.core.management.base import InvestPromoCommand, parse_date_arg
from investpromo.core.spreadsheets import replaced_atomically
from investpromo.events.selectors import get_event
from investpromo.reports.bulletin import bulletin
from investpromo.reports.docx import event_bulletin_docx
from investpromo.reports.selectors import event_summary


class Command(InvestPromoCommand):
    help = (
        "Print an event's figures (JSON) or its bulletin (text, Chinese or English), or write "
        "the bulletin with its tables as a Word file (--format docx --out FILE)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--event", required=True, metavar="SLUG")
        parser.add_argument("--format", choices=["json", "text", "docx"], default="json")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh")
        parser.add_argument(
            "--as-of",
            type=parse_date_arg,
            metavar="YYYY-MM-DD",
            help="date of the follow-through figures (default: today)",
        )
        parser.add_argument("--out", metavar="FILE", help="the .docx file to write (docx only)")

    def handle(self, *args, **options):
        if options["format"] == "docx":
            return self._docx(options)
        if options["out"]:
            raise UserError("--out is for --format docx; json and text are printed", field="out")
        summary = event_summary(get_event(options["event"]), as_of=options["as_of"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(bulletin(summary, lang=options["lang"]))

    def _docx(self, options):
        path = options["out"]
        if not path:
            raise UserError("--format docx needs --out FILE.docx", field="out")
        if Path(path).suffix.lower() != ".docx":
            raise UserError(f"the bulletin file {path} must end in .docx", field="out")
        check_writable_file(path, what="bulletin file", field="out")
        event = get_event(options["event"])
        content = event_bulletin_docx(event, as_of=options["as_of"], lang=options["lang"])
        with replaced_atomically(path) as temporary:
            temporary.write_bytes(content)
        self.stdout.write(f"Wrote the bulletin of {event.slug} ({options['lang']}) to {path}")
