"""`investpromo worker`: run the task queue's worker (uploads checked and written, later scans)."""

import os
import socket
import time

from django.db import OperationalError
from django_tasks_db.management.commands.db_worker import Worker

from investpromo.core.management.base import InvestPromoCommand
from investpromo.jobs.services import fail_interrupted_jobs


def default_worker_id() -> str:
    """Unique to this process; give --worker-id for a worker that should know itself again."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}"


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
            help=(
                "unique among the workers sharing the database, and the same after a restart so "
                "that the jobs it was running are marked as interrupted (default: HOSTNAME-PID)"
            ),
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
        while True:
            try:
                worker.run()
                return
            except OperationalError as error:
                # SQLite: another worker's import holds the write lock longer than the busy
                # timeout; the queue is looked at again once it is free.
                if "locked" not in str(error):
                    raise
                time.sleep(1)
