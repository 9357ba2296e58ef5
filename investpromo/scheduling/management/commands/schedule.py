"""`investpromo schedule`: place meetings in slots and at tables.

investpromo schedule --instance IN.json --out OUT.json [--time-limit SECONDS]
investpromo schedule --event SLUG [--time-limit SECONDS]      (a job of the task queue)
investpromo schedule --event SLUG --export-instance FILE      (the instance only)
"""

import argparse
import json

from investpromo.core.errors import UserError, check_writable_file
from investpromo.core.management.base import InvestPromoCommand
from investpromo.events.selectors import get_event
from investpromo.scheduling.instance import read_instance
from investpromo.scheduling.selectors import instance_for
from investpromo.scheduling.services import start_schedule_run
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
        "Schedule one-to-one meetings: from an instance file into a schedule file (with its "
        "proven bound and gap), or for an event's accepted requests and slots as a job of the "
        "task queue, or export an event's instance file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--instance", metavar="IN.json", help="the instance file to read")
        parser.add_argument("--out", metavar="OUT.json", help="the schedule file to write")
        parser.add_argument(
            "--event", metavar="SLUG", help="schedule this event's accepted requests (a job)"
        )
        parser.add_argument(
            "--export-instance",
            metavar="FILE",
            help="with --event: write the event's instance file and schedule nothing",
        )
        parser.add_argument(
            "--time-limit",
            type=_seconds,
            default=DEFAULT_TIME_LIMIT,
            metavar="SECONDS",
            help=f"stop searching after this many seconds (default {DEFAULT_TIME_LIMIT:g})",
        )

    def handle(self, *args, **options):
        if options["event"]:
            if options["instance"] or options["out"]:
                raise UserError("give either --event or --instance with --out, not both")
            return self._event(options)
        if options["export_instance"]:
            raise UserError("--export-instance needs --event")
        if not options["instance"] or not options["out"]:
            raise UserError("give --instance IN.json and --out OUT.json, or --event SLUG")
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

    def _event(self, options):
        event = get_event(options["event"])
        actor = self.actor(options)
        path = options["export_instance"]
        if path:
            check_writable_file(path, what="instance", field="export_instance")
            data = instance_for(actor=actor, event=event)
            with open(path, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=1)
                out.write("\n")
            self.stdout.write(
                f"Wrote the instance of {event.slug} to {path}: {len(data['slots'])} slots, "
                f"{len(data['participants'])} participants, {len(data['meetings'])} accepted "
                f"requests, {len(data['locked'])} locked."
            )
            return
        run = start_schedule_run(
            actor=actor, event=event, time_limit=options["time_limit"], via="cli"
        )
        if run.state == run.State.DONE:  # a queue that runs tasks at once (tests, --immediate)
            summary = run.summary
            self.stdout.write(
                f"Scheduled {event.slug}: {summary['placed']} of {summary['requested']} meetings, "
                f"weighted value {summary['weighted_value']} of at most {summary['upper_bound']} "
                f"(gap {summary['gap']:.2%})."
            )
        elif run.state == run.State.FAILED:
            from investpromo.scheduling.messages import run_error_text

            raise UserError(run_error_text(run.error_code, run.error_params))
        else:
            self.stdout.write(
                f"Queued schedule run {run.pk} for {event.slug}; the worker (`investpromo "
                f"worker`) makes it and stores the meetings."
            )
