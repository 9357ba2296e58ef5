"""A scratch database set up by the real commands, for tests that run real processes.

The suite's own test database lives in the test process (SQLite in memory) or is wrapped in
its transactions; a worker, a server or a command started as another process needs a database
of its own: a SQLite file in the SQLite pass, a fresh PostgreSQL database in the PostgreSQL
pass (same server as the suite's, dropped afterwards).
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
from django.conf import settings

INVESTPROMO = str(Path(sys.executable).with_name("investpromo"))


class Scratch:
    """A set-up database and data folder; runs commands and Python against them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.url, self._drop = _scratch_url(folder)
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "INVESTPROMO_DATA_DIR": str(folder),
            "DJANGO_SETTINGS_MODULE": "investpromo.settings",
            "INVESTPROMO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "INVESTPROMO_JOB_ISOLATION": "process",
        }
        self.command("setup")

    def command(self, *args, env=None, check=True, timeout=300) -> subprocess.CompletedProcess:
        """`investpromo ARGS` against this database."""
        return subprocess.run(
            [INVESTPROMO, *args],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            check=check,
            timeout=timeout,
        )

    def start(self, *args, env=None) -> subprocess.Popen:
        """`investpromo ARGS` in the background (a worker, a server)."""
        return self.start_program(INVESTPROMO, *args, env=env)

    def start_program(self, program: str, *args, env=None) -> subprocess.Popen:
        """Another program (gunicorn) in the background against this database."""
        return subprocess.Popen(
            [program, *args],
            env={**self.env, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def python(self, code: str, env=None):
        """Run Django code against this database; returns what it prints as JSON."""
        script = "import django, json\ndjango.setup()\n" + code
        done = subprocess.run(
            [sys.executable, "-c", script],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def close(self) -> None:
        if self._drop:
            self._drop()


def _scratch_url(folder: Path) -> tuple[str, object]:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return f"sqlite:///{folder / 'scratch.sqlite3'}", None
    import psycopg

    name = f"investpromo_scratch_{uuid.uuid4().hex[:12]}"
    admin = dict(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parsed = dj_database_url.parse(os.environ.get("DATABASE_URL", ""))
    url = f"postgres://{parsed['USER']}:{parsed['PASSWORD']}@{admin['host']}:{admin['port']}/{name}"

    def drop():
        with psycopg.connect(**admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


def prepare_code(*, event: str, files: list[tuple[Path, bool]], user: str = "") -> str:
    """Python that creates `event` (in 哈尔滨) and submits each (file, dry_run) as a job.

    It prints the job ids in order; one process instead of one per step keeps tests quick.
    """
    return (
        "import datetime as dt\n"
        "from django.contrib.auth import get_user_model\n"
        "from investpromo.core.audit import system_user\n"
        "from investpromo.events.models import Event\n"
        "from investpromo.events.services import create_event\n"
        "from investpromo.geo.models import Region\n"
        "from investpromo.jobs.services import submit_job\n"
        f"user = get_user_model().objects.get(username={user!r}) if {user!r} else system_user()\n"
        f"event = Event.objects.filter(slug={event!r}).first() or create_event(\n"
        f"    actor=system_user(), slug={event!r}, name={event!r},\n"
        "    start_date=dt.date(2024, 8, 31), host_region=Region.objects.get(code='230100'))\n"
        "ids = []\n"
        f"for path, dry_run in {[(str(path), dry_run) for path, dry_run in files]!r}:\n"
        "    with open(path, 'rb') as handle:\n"
        "        ids.append(str(submit_job(actor=user, kind='signing_import', file=handle,\n"
        "            original_name=path.rsplit('/', 1)[-1], event=event, dry_run=dry_run).pk))\n"
        "print(json.dumps(ids))\n"
    )


def state_code(event: str) -> str:
    """Python that prints every job and the number of `event`'s projects."""
    return (
        "from investpromo.jobs.models import Job\n"
        "from investpromo.projects.models import Project\n"
        "print(json.dumps({'jobs': {j.pk: {'state': j.state, 'code': j.error_code,\n"
        "    'text': j.error_text, 'summary': j.summary, 'worker': j.worker_id}\n"
        "    for j in Job.objects.all()},\n"
        f"    'projects': Project.objects.filter(event__slug={event!r}).count()}}))\n"
    )
