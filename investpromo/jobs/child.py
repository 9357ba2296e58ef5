"""The child process that runs one job's work under the worker's limits (see runner)."""

import json
import os
import sys


def main(job_id: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "investpromo.settings")
    import django

    django.setup()
    from investpromo.jobs.models import Job
    from investpromo.jobs.runner import ENV_FD, _Throttled, run_work

    channel = os.fdopen(int(os.environ[ENV_FD]), "w", buffering=1)

    def send(message: dict) -> None:
        channel.write(json.dumps(message, ensure_ascii=False) + "\n")

    job = Job.objects.select_related("event", "user", "preview__user").get(pk=job_id)
    outcome = run_work(
        job, _Throttled(job_id, lambda done, total: send({"progress": [done, total]}))
    )
    send(outcome)
    channel.close()


def address_space_nearly_exhausted() -> bool:
    """Whether this process's peak address space reached three quarters of its limit (Linux)."""
    try:
        import resource

        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        if limit == resource.RLIM_INFINITY:
            return False
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024 >= limit * 0.75
    except (ImportError, OSError, ValueError):
        pass
    return False


# The exit status of a child that ran out of memory before it could say so on its channel.
OUT_OF_MEMORY = 3

if __name__ == "__main__":
    try:
        main(int(sys.argv[1]))
    except MemoryError:
        sys.exit(OUT_OF_MEMORY)
