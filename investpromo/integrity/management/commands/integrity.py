"""`investpromo integrity scan`: find records of the ledger that are one project."""

import json

from investpromo.core.management.base import InvestPromoCommand
from investpromo.integrity.selectors import pairs_as_json, scan_ledger
from investpromo.integrity.services import apply_scan


class Command(InvestPromoCommand):
    help = "Find records of one project signed again, upgraded, increased or reported twice."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        scan = sub.add_parser(
            "scan",
            help="compare each project with earlier ones and with the others of its event",
        )
        scan.add_argument("--event", metavar="SLUG", help="only pairs whose later record is here")
        scan.add_argument(
            "--apply",
            action="store_true",
            help="link the `same` pairs and queue the `review` ones for a person",
        )
        scan.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, **options):
        pairs = scan_ledger(event_slug=options.get("event"))
        applied = None
        if options["apply"]:
            applied = apply_scan(actor=self.actor(options), pairs=pairs, via="cli")
        if options["format"] == "json":
            data = pairs_as_json(pairs)
            if applied is not None:
                data["applied"] = applied
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for pair in pairs:
            self.stdout.write(
                f"{pair.decision}\t{pair.kind}\t{pair.score:.2f}\t"
                f"#{pair.earlier.id} {pair.earlier.event_slug} {pair.earlier.name} "
                f"({pair.earlier.investor_name}, {pair.earlier.value_cny})\t→\t"
                f"#{pair.later.id} {pair.later.event_slug} {pair.later.name} "
                f"({pair.later.investor_name}, {pair.later.value_cny})"
            )
            for line in pair.evidence:
                self.stdout.write(f"\t{line}")
        counts = {d: sum(1 for p in pairs if p.decision == d) for d in ("same", "review")}
        summary = f"{len(pairs)} pairs: {counts['same']} same, {counts['review']} to review"
        if applied is not None:
            summary += (
                f"; linked {applied['linked']}, queued {applied['queued']}, "
                f"already linked {applied['unchanged']}"
            )
        self.stdout.write(summary)
