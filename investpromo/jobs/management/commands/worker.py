"""`investpromo worker`: run the task queue's worker (uploads checked and written, later scans)."""

import socket

from django_tasks_db.management.commands.db_worker import Worker

from investpromo.core.management.base import InvestPromoCommand
from investpromo.jobs.services import fail_interrupted_jobs


def default_worker_id() -> str:
    """This machine's worker: the same id after a restart, so its unfinished jobs are found."""
    return f"{socket.gethostname()[:50]}-1"


class Command(InvestPromoCommand):
    help = (
        "Run the background worker: it checks and writes uploaded files, each in a child "
        "process with memory and time limits. Run one or more per machine, each with its own "
        "--worker-id."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--worker-id",
            metavar="ID",
            help="unique among the workers sharing the database (default: HOSTNAME-1)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds between looks at the queue when it is empty (default 1)",
        )
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued now, then exit"
        )

    def handle(self, *args, **options):
        worker_id = (options["worker_id"] or default_worker_id())[:64]
        # Jobs this worker was running when it stopped (a crash, a reboot) will never finish.
        failed = fail_interrupted_jobs(restarted_worker_id=worker_id)
        if failed:
            self.stderr.write(f"{failed} job(s) interrupted by an earlier stop marked as failed")
        if options["verbosity"] >= 1:
            self.stderr.write(f"worker {worker_id} waiting for jobs")
        worker = Worker(
            queue_names=["default"],
            interval=max(options["interval"], 0.05),
            batch=options["batch"],
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
