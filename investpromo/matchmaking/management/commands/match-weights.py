"""`investpromo match-weights`: show or change how much each kind of fit counts at an event."""

import json

from investpromo.core.errors import UserError
from investpromo.core.management.base import InvestPromoCommand
from investpromo.events.selectors import get_event
from investpromo.matchmaking.models import WEIGHT_FIELDS
from investpromo.matchmaking.selectors import event_weights
from investpromo.matchmaking.services import set_match_weights


def _value(name: str, text: str):
    if name == "host_pairs":
        if text.lower() not in {"true", "false"}:
            raise UserError(f"host_pairs must be true or false, not {text!r}")
        return text.lower() == "true"
    try:
        return float(text)
    except ValueError:
        raise UserError(f"{name} must be a number, not {text!r}") from None


class Command(InvestPromoCommand):
    help = (
        "Print an event's matchmaking weights, or change some: NAME=VALUE ... "
        f"(names: {', '.join(WEIGHT_FIELDS)}). Run `investpromo recommend --all` afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--event", required=True, metavar="SLUG")
        parser.add_argument("changes", nargs="*", metavar="NAME=VALUE")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        event = get_event(options["event"])
        changes = {}
        for change in options["changes"]:
            name, equals, text = change.partition("=")
            if not equals or name not in WEIGHT_FIELDS:
                raise UserError(
                    f"{change!r} is not NAME=VALUE with NAME one of {', '.join(WEIGHT_FIELDS)}"
                )
            changes[name] = _value(name, text.strip())
        if changes:
            set_match_weights(actor=self.actor(options), event=event, via="cli", **changes)
        weights = event_weights(event)
        values = {name: getattr(weights, name) for name in WEIGHT_FIELDS}
        if options["format"] == "json":
            self.stdout.write(json.dumps(values, indent=2))
        else:
            for name, value in values.items():
                self.stdout.write(f"{name:22s} {value}")
