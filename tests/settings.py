"""The suite's settings: the app's, with jobs run at once and in the test's own process.

Jobs run where they are submitted (django-tasks' immediate backend, inline in the test's
process and database transaction), so a test sees a job's outcome as soon as the request that
submitted it returns. The worker, its child processes and their limits are tested with real
processes in tests/jobs/.
"""

import os

# A fixed key, set before the app's settings read it: the suite (and the servers and workers it
# starts, which inherit the environment) never makes a key file in the checkout's data folder.
TEST_SECRET_KEY = "investpromo-test-suite-key-not-for-any-server-0123456789abcdef"
os.environ["DJANGO_SECRET_KEY"] = TEST_SECRET_KEY
# The suite's clients and the servers it starts speak plain HTTP (secure cookies stay on, as in
# production); tests/core/test_security_headers.py checks the redirect and HSTS.
os.environ["DJANGO_SSL_REDIRECT"] = "0"

from investpromo.settings import *  # noqa: E402, F403

SECRET_KEY = TEST_SECRET_KEY

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
INVESTPROMO_JOB_ISOLATION = "inline"
