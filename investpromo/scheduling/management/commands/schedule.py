"""`investpromo schedule --instance IN.json --out OUT.json`: place meetings in slots and at tables."""

import argparse

from investpromo.core.errors import UserError, check_writable_file
from investpromo.core.management.base import InvestPromoCommand
from investpromo.scheduling.instance import read_instance
from investpromo.scheduling.solve import DEFAULT_TIME_LIMIT, solve, write_schedule


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0 < value <= 24 * 3600:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


class Command(InvestPromoCommand):
    help = (
        "Schedule one-to-one meetings: read an instance file (slots, participants, accepted "
        "requests, locked meetings), write the schedule file with its proven bound and gap."
    )
    records_changes = False

    def add_arguments(self, parser):
        parser.add_argument("--instance", metavar="IN.json", required=True)
        parser.add_argument("--out", metavar="OUT.json", required=True)
        parser.add_argument(
            "--time-limit",
            type=_seconds,
            default=DEFAULT_TIME_LIMIT,
            metavar="SECONDS",
            help=f"stop searching after this many seconds (default {DEFAULT_TIME_LIMIT:g})",
        )

    def handle(self, *args, **options):
        check_writable_file(options["out"], what="schedule", field="out")
        instance = read_instance(options["instance"])
        schedule = solve(instance, time_limit=options["time_limit"])
        try:
            write_schedule(options["out"], instance, schedule)
        except OSError as error:
            raise UserError(
                f"cannot write the schedule {options['out']}: {error.strerror}"
            ) from None
        summary = schedule.summary
        self.stdout.write(
            f"Placed {summary['placed']} of {summary['requested']} meetings, weighted value "
            f"{summary['weighted_value']} of at most {summary['upper_bound']} "
            f"(gap {summary['gap']:.2%}); participants without a meeting: "
            f"{summary['participants_without_meeting']}; {summary['seconds']:.1f} s. "
            f"Written to {options['out']}."
        )
