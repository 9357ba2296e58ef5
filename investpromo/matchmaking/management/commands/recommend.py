"""`investpromo recommend`: a participant's recommended counterparts, or a run for all of them."""

import json

from django.utils import translation

from investpromo.core.errors import UserError
from investpromo.core.management.base import InvestPromoCommand
from investpromo.events.selectors import get_event
from investpromo.matchmaking.reasons import no_recommendations_text, part_label
from investpromo.matchmaking.selectors import find_participant, participant_recommendations
from investpromo.matchmaking.services import start_recommendation_run


def _positive(text: str) -> int:
    import argparse

    if not text.isdigit() or not 1 <= int(text) <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to 100")
    return int(text)


class Command(InvestPromoCommand):
    help = (
        "Print a participant's recommended counterparts with the reasons (from the event's "
        "latest run, or computed now), or with --all queue the computation for every "
        "participant of the event (the worker runs it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--event", required=True, metavar="SLUG")
        parser.add_argument(
            "--participant",
            metavar="ID_OR_NAME",
            help="the participant's id, or its name as registered",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="queue the computation of every participant's recommendations",
        )
        parser.add_argument(
            "--limit",
            type=_positive,
            default=10,
            metavar="N",
            help="how many counterparts (1-100; default 10; with --all, kept per participant)",
        )
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh")
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="compute now even when the event's latest run has results",
        )

    def handle(self, *args, **options):
        event = get_event(options["event"])
        if options["all"] == bool(options["participant"]):
            raise UserError("give either --participant ID_OR_NAME or --all")
        language = "en" if options["lang"] == "en" else "zh-hans"
        with translation.override(language):
            if options["all"]:
                run = start_recommendation_run(
                    actor=self.actor(options), event=event, limit=options["limit"], via="cli"
                )
                self.stdout.write(f"recommendation run {run.pk}: {run.state}")
                return
            participant = find_participant(event, options["participant"])
            shown = participant_recommendations(
                participant, limit=options["limit"], fresh=options["fresh"]
            )
            if options["format"] == "json":
                data = [item.as_json() for item in shown]
                self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
                return
            self.stdout.write(f"{participant.name} (#{participant.pk})")
            if not shown:
                self.stdout.write(no_recommendations_text())
            for rank, item in enumerate(shown, start=1):
                self.stdout.write(f"{rank:3d}. {item.name} (#{item.participant})  {item.score:.2f}")
                for reason in item.reasons:
                    self.stdout.write(f"       - {reason['text']}")
                why = ", ".join(
                    f"{part_label(name)} {value:+.2f}" for name, value in item.parts.items()
                )
                self.stdout.write(f"       = {why}")
