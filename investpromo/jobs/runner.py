"""Running a job: inline, or in a child process with memory and time limits.

A file job never runs in the web server: the queue's worker claims it and, by default, runs it
in a child process whose address space is capped (INVESTPROMO_JOB_MAX_MEMORY) and whose time
is limited (INVESTPROMO_JOB_MAX_SECONDS). A hostile file that makes a reader allocate without
bound then kills only that child; the worker records one clear line and goes on. The child's
import is one transaction, so a killed child has written nothing.

The child reports progress and its outcome as JSON lines on a pipe; the worker alone stores
them on the job (the child writes only what its import writes).
"""

import json
import logging
import os
import select
import signal
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from investpromo.core.errors import UserError
from investpromo.jobs import services
from investpromo.jobs.child import OUT_OF_MEMORY, address_space_nearly_exhausted
from investpromo.jobs.models import Job

logger = logging.getLogger(__name__)

# What each kind of job runs: work(job, progress) -> the report as a dict. Named, not
# imported, because the domains that do the work stand above this app.
WORK = {
    Job.Kind.SIGNING_IMPORT: "investpromo.imports.work.run_signing_import",
    Job.Kind.PROGRESS_IMPORT: "investpromo.imports.work.run_progress_import",
}
# The worker's sign of life on the job while a child runs, and how often progress is stored.
HEARTBEAT_SECONDS = 5.0
PROGRESS_SECONDS = 0.5
ENV_FD = "INVESTPROMO_JOB_FD"


def isolation() -> str:
    """'process' (the default: a child with limits) or 'inline' (tests, debugging)."""
    return getattr(settings, "INVESTPROMO_JOB_ISOLATION", "process")


def execute(job_id: int, *, worker_id: str) -> None:
    """Claim the job and run it; its outcome (done or failed) is stored on the job."""
    services.fail_interrupted_jobs()
    job = services.claim_job(job_id=job_id, worker_id=worker_id)
    if job is None:
        return
    try:
        inline = isolation() == "inline"
        outcome = run_work(job, _Throttled(job.pk)) if inline else _run_in_child(job)
    except Exception as error:  # the job must end as failed, never stay "running"
        logger.exception("job %s could not be run", job.pk)
        outcome = {"code": "internal", "params": {"detail": f"{type(error).__name__}: {error}"}}
    if "summary" in outcome:
        services.finish_job(job_id=job.pk, summary=outcome["summary"])
    else:
        services.fail_job(job_id=job.pk, code=outcome["code"], params=outcome.get("params"))


def run_work(job: Job, progress) -> dict:
    """The job's work in this process: {"summary": report} or {"code": …, "params": …}."""
    try:
        work = import_string(WORK[job.kind])
        return {"summary": work(job, progress)}
    except UserError as error:
        return {"code": "refused", "params": {"detail": error.message}}
    except MemoryError:
        return {"code": "memory", "params": {"limit": _size(services.job_limits()[0])}}
    except Exception as error:
        if address_space_nearly_exhausted():
            # At the limit, a C extension may fail an allocation without saying so (CI once saw
            # "SystemError: error return without exception set"): the peak tells the cause.
            return {"code": "memory", "params": {"limit": _size(services.job_limits()[0])}}
        logger.exception("job %s failed", job.pk)
        return {"code": "internal", "params": {"detail": f"{type(error).__name__}: {error}"[:500]}}


class _Throttled:
    """progress(done, total) that stores at most every PROGRESS_SECONDS (and the last)."""

    def __init__(self, job_id: int, send=None):
        self.job_id, self.last = job_id, 0.0
        self.send = send or (
            lambda done, total: services.record_job_progress(job_id=job_id, done=done, total=total)
        )

    def __call__(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_SECONDS and done != total:
            return
        self.last = now
        self.send(done, total)


# --- the child process ---------------------------------------------------------------------------


def _size(limit: int) -> str:
    return f"{limit / (1 << 30):.1f} GiB" if limit >= 1 << 30 else f"{limit >> 20} MiB"


def _limit_child(max_memory: int):
    def limit() -> None:  # runs in the child, before it execs Python
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
        # Ctrl-C or a service stop reaches the whole process group: the worker finishes the job
        # it runs (then stops), so its child must not die of the same signal.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        # Die with the worker: a worker killed mid-job must not leave an orphan writing on.
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    return limit


def _run_in_child(job: Job) -> dict:
    max_memory, max_seconds = services.job_limits()
    read_end, write_end = os.pipe()
    # A crashing reader prints pages of backtrace: kept out of the worker's log but for its end.
    env = {**os.environ, ENV_FD: str(write_end), "RUST_BACKTRACE": "0"}
    # openpyxl loads numpy when it is installed (scikit-learn brings it), and OpenBLAS reserves
    # address space per thread at import: more than a tight limit allows. A job does no
    # numerical work that threads would help.
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
    with tempfile.TemporaryFile() as errors:
        try:
            child = subprocess.Popen(
                [sys.executable, "-m", "investpromo.jobs.child", str(job.pk)],
                pass_fds=(write_end,),
                stdin=subprocess.DEVNULL,
                stderr=errors,
                env=env,
                preexec_fn=_limit_child(max_memory),
            )
        finally:
            os.close(write_end)
        with _short_lock_waits():
            outcome = _supervise(job, child, read_end, max_memory, max_seconds)
        if "summary" not in outcome:
            errors.seek(max(0, errors.seek(0, os.SEEK_END) - 4000))
            tail = errors.read().decode("utf-8", "replace").strip()
            if outcome["code"] == "internal" and _ran_out_of_memory(tail):
                # Out of memory, Python may fail even to report it (a MemoryError while
                # reporting the MemoryError, a library that cannot be loaded): its last
                # words say so.
                outcome = {"code": "memory", "params": {"limit": _size(max_memory)}}
            logger.warning("job %s failed (%s): %s", job.pk, outcome["code"], tail[-2000:])
    return outcome


_OUT_OF_MEMORY_SIGNS = (
    "MemoryError",
    "memory allocation of",
    "Cannot allocate memory",
    "failed to map segment",
    "out of memory",
)


def _ran_out_of_memory(stderr_tail: str) -> bool:
    return any(sign in stderr_tail for sign in _OUT_OF_MEMORY_SIGNS)


def _supervise(job: Job, child, read_end: int, max_memory: int, max_seconds: int) -> dict:
    deadline = time.monotonic() + max_seconds
    heartbeat = time.monotonic()
    progress = _Throttled(job.pk)
    latest: list = [0, None]
    outcome, pending = None, []
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                child.kill()
                child.wait()
                return {"code": "time", "params": {"limit": max_seconds}}
            ready, _, _ = select.select([pipe], [], [], min(left, HEARTBEAT_SECONDS))
            if ready:
                chunk = pipe.read(65536)
                if not chunk:
                    break
                # Pieces are joined only when a line ends: a long last line (the report) is read
                # in linear time.
                if b"\n" not in chunk:
                    pending.append(chunk)
                    continue
                head, _, rest = chunk.rpartition(b"\n")
                lines = b"".join([*pending, head]).split(b"\n")
                pending[:] = [rest] if rest else []
                for line in lines:
                    message = json.loads(line)
                    if "progress" in message:
                        latest[:] = message["progress"]
                        progress(*latest)
                    else:
                        outcome = message
            if time.monotonic() - heartbeat >= HEARTBEAT_SECONDS:
                heartbeat = time.monotonic()
                services.record_job_progress(job_id=job.pk, done=latest[0], total=latest[1])
    code = child.wait()
    if outcome is not None:
        return outcome
    if code in (-signal.SIGKILL, -signal.SIGTERM, -signal.SIGINT):
        # Stopped from outside (an operator, the system's OOM killer): no word from it.
        return {"code": "interrupted", "params": {}}
    if code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, OUT_OF_MEMORY):
        # A Rust or C allocation refused by the address-space limit aborts the process.
        return {"code": "memory", "params": {"limit": _size(max_memory)}}
    return {"code": "internal", "params": {"detail": f"the job's process stopped (exit {code})"}}


class _short_lock_waits:
    """SQLite: wait briefly for locks while the child's import holds the database's write lock."""

    def __enter__(self):
        self.previous = None
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout")
                self.previous = cursor.fetchone()[0]
                cursor.execute("PRAGMA busy_timeout = 200")
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {int(self.previous)}")
