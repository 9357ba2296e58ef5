"""The suite's settings: the app's, with jobs run at once and in the test's own process.

Jobs run where they are submitted (django-tasks' immediate backend, inline in the test's
process and database transaction), so a test sees a job's outcome as soon as the request that
submitted it returns. The worker, its child processes and their limits are tested with real
processes in tests/jobs/.
"""

from investpromo.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
INVESTPROMO_JOB_ISOLATION = "inline"
