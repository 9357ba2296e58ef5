"""Scratch databases for tests that run real `investpromo` processes against one database.

A SQLite file in the SQLite pass; a fresh PostgreSQL database (created on the suite's server,
dropped afterwards) in the PostgreSQL pass. `make test` runs both passes, so each kind is
tested once.
"""

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]


def suite_kind() -> str:
    """The database kind of this pass of the suite: each pass runs its own kind once."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if engine.endswith("postgresql") else "sqlite"


def postgres_server_url() -> str | None:
    """The PostgreSQL server the tests may create databases on, if any."""
    for name in ("POSTGRES_TEST_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return None


class ScratchDatabase:
    """An empty database of one kind, and commands run against it in their own processes."""

    def __init__(self, kind: str, folder: Path):
        self.kind, self.folder = kind, folder
        self._server = None
        if kind == "sqlite":
            self.path = folder / "scratch.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            server = postgres_server_url()
            if server is None:
                reason = "no PostgreSQL server: set POSTGRES_TEST_URL=postgres://user:pass@host/db"
                if os.environ.get("INVESTPROMO_REQUIRE_ALL_TESTS") == "1":
                    pytest.fail(f"{reason}, and INVESTPROMO_REQUIRE_ALL_TESTS=1 forbids skipping")
                pytest.skip(reason)
            self.name = f"investpromo_scratch_{uuid.uuid4().hex[:12]}"
            parts = urlsplit(server)
            self._server = urlunsplit(parts._replace(scheme="postgresql"))
            self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
            with self._admin() as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "INVESTPROMO_DATA_DIR": str(folder),
            "INVESTPROMO_CACHE": "memory",
            "DJANGO_SETTINGS_MODULE": "investpromo.settings",
        }

    def _admin(self):
        import psycopg

        return psycopg.connect(self._server, autocommit=True)

    def command(self, *args: str) -> list[str]:
        """The argument list running `investpromo ARGS` from this checkout."""
        return [sys.executable, "-m", "investpromo.cli", *args]

    def run(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        """Run `investpromo ARGS` and wait for it."""
        return subprocess.run(
            self.command(*args),
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen:
        """Start `investpromo ARGS` without waiting."""
        return subprocess.Popen(
            self.command(*args),
            cwd=REPO,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one SQL statement (placeholders: %s) in its own transaction; its rows."""
        if self.kind == "sqlite":
            with sqlite3.connect(self.path) as connection:
                return connection.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.url) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def drop(self) -> None:
        if self._server is None:
            return
        import psycopg

        # An autovacuum worker may be visiting the database just written to;
        # FORCE cannot end it without superuser rights, but it leaves soon.
        for attempt in range(60):
            try:
                with self._admin() as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                return
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
                if attempt == 59:
                    raise
                time.sleep(0.5)


@pytest.fixture
def scratch_db(tmp_path):
    """An empty scratch database of the kind this pass of the suite runs on."""
    database = ScratchDatabase(suite_kind(), tmp_path)
    yield database
    database.drop()
