"""`make test` runs the suite twice, on SQLite and then on PostgreSQL: some tests need only one.

A test whose subject does not depend on the database kind (the API schema) or that is about the
server deployment (several machines on one PostgreSQL) is marked ONCE_PER_RUN: in the SQLite
pass it gives way to the PostgreSQL pass that follows (POSTGRES_TEST_URL set); where there is no
PostgreSQL pass, it runs on SQLite.
"""

import os

import pytest
from django.conf import settings


def _postgres_pass_follows() -> bool:
    sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    return sqlite and bool(os.environ.get("POSTGRES_TEST_URL"))


ONCE_PER_RUN = pytest.mark.skipif(
    _postgres_pass_follows(), reason="runs once per `make test`: in its PostgreSQL pass"
)
