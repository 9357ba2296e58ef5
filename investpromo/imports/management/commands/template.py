"""`investpromo template signing-list|progress-report --out FILE`: a blank xlsx to fill in."""

from pathlib import Path

from investpromo.core.errors import UserError, check_writable_file
from investpromo.core.management.base import InvestPromoCommand
from investpromo.core.spreadsheets import replaced_atomically
from investpromo.imports.blank_templates import KINDS, template_workbook


class Command(InvestPromoCommand):
    help = (
        "Write a blank signing list or progress report (.xlsx) with the accepted headers, "
        "drop-down lists and an instructions sheet."
    )
    records_changes = False

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--out", required=True, metavar="FILE", help="the .xlsx to write")
        parser.add_argument(
            "--lang", choices=["zh", "en"], default="zh", help="language of the instructions"
        )

    def handle(self, *args, **options):
        path = options["out"]
        if Path(path).suffix.lower() != ".xlsx":
            raise UserError(f"the template file {path} must end in .xlsx", field="out")
        check_writable_file(path, what="template file", field="out")
        content = template_workbook(options["kind"], lang=options["lang"])
        with replaced_atomically(path) as temporary:
            temporary.write_bytes(content)
        self.stdout.write(f"Wrote the {options['kind']} template to {path}")
