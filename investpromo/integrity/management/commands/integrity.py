"""`investpromo integrity scan|suggest|merge|unmerge`: one project, one enterprise.

scan: records of the ledger that are one project; suggest: organisations that look like one
enterprise; merge/unmerge: make two organisations one, or undo that.
"""

import json

from django.utils import translation

from investpromo.core.errors import NotFound
from investpromo.core.management.base import InvestPromoCommand
from investpromo.integrity.evidence import evidence_text
from investpromo.integrity.models import OrganisationMerge
from investpromo.integrity.selectors import (
    pairs_as_json,
    scan_ledger,
    suggest_organisation_merges,
)
from investpromo.integrity.services import apply_scan, merge_organisations, unmerge_organisations
from investpromo.orgs.models import Organisation


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
        scan.add_argument(
            "--lang", choices=["zh", "en"], default="zh", help="language of the evidence"
        )
        suggest = sub.add_parser("suggest", help="organisations that look like one enterprise")
        suggest.add_argument("--format", choices=["json", "text"], default="json")
        merge = sub.add_parser("merge", help="merge one organisation into another")
        merge.add_argument("survivor", type=int, help="id of the organisation that stays")
        merge.add_argument("merged", type=int, help="id of the organisation merged into it")
        unmerge = sub.add_parser("unmerge", help="undo a merge")
        unmerge.add_argument("merge", type=int, help="id of the merge (printed by merge)")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "suggest":
            return self._suggest(options)
        if action == "merge":
            merge = merge_organisations(
                actor=self.actor(options),
                survivor=_organisation(options["survivor"]),
                merged=_organisation(options["merged"]),
                via="cli",
            )
            self.stdout.write(
                f"Merge {merge.pk}: {merge.merged} into {merge.survivor}; moved "
                f"{len(merge.projects)} projects, {len(merge.co_investments)} co-investments"
            )
            return None
        if action == "unmerge":
            merge = OrganisationMerge.objects.filter(pk=options["merge"]).first()
            if merge is None:
                raise NotFound(f"no merge {options['merge']}", field="merge")
            unmerge_organisations(actor=self.actor(options), merge=merge, via="cli")
            self.stdout.write(f"Merge {merge.pk} undone")
            return None
        language = {"zh": "zh-hans", "en": "en"}[options["lang"]]
        with translation.override(language):
            return self._scan(options)

    def _suggest(self, options):
        suggestions = suggest_organisation_merges()
        if options["format"] == "json":
            self.stdout.write(
                json.dumps({"suggestions": suggestions}, ensure_ascii=False, indent=2)
            )
            return
        for item in suggestions:
            a, b = item["organisations"]
            self.stdout.write(
                f"{item['decision']}\t#{a['id']} {a['name']}\t#{b['id']} {b['name']}\t"
                + "; ".join(item["evidence"])
            )
        self.stdout.write(f"{len(suggestions)} suggestions")

    def _scan(self, options):
        pairs = scan_ledger(event_slug=options.get("event"))
        applied = None
        if options["apply"]:
            applied = apply_scan(actor=self.actor(options), pairs=pairs, via="cli")
        if options["format"] == "json":
            # Exactly the shape on stdout; what --apply did goes to stderr.
            self.stdout.write(json.dumps(pairs_as_json(pairs), ensure_ascii=False, indent=2))
            if applied is not None:
                self.stderr.write(
                    f"linked {applied['linked']}, queued {applied['queued']}, "
                    f"already linked {applied['unchanged']}"
                )
            return
        for pair in pairs:
            self.stdout.write(
                f"{pair.decision}\t{pair.kind}\t{pair.score:.2f}\t"
                f"#{pair.earlier.id} {pair.earlier.event_slug} {pair.earlier.name} "
                f"({pair.earlier.investor_name}, {pair.earlier.value_cny})\t→\t"
                f"#{pair.later.id} {pair.later.event_slug} {pair.later.name} "
                f"({pair.later.investor_name}, {pair.later.value_cny})"
            )
            for item in pair.evidence:
                self.stdout.write(f"\t{evidence_text(item)}")
        counts = {d: sum(1 for p in pairs if p.decision == d) for d in ("same", "review")}
        summary = f"{len(pairs)} pairs: {counts['same']} same, {counts['review']} to review"
        if applied is not None:
            summary += (
                f"; linked {applied['linked']}, queued {applied['queued']}, "
                f"already linked {applied['unchanged']}"
            )
        self.stdout.write(summary)


def _organisation(pk: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise NotFound(f"no organisation {pk}")
    return organisation
