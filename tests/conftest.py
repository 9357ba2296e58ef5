"""Shared fixtures: the reference data is loaded once per test database, the demo once per run.

The example event (investpromo.demo) takes seconds to load, so the modules that read it share
one load: such a module says so with

    pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]

and every test in it then finds the demo in the database (the `demo_event` fixture returns
it). The demo is loaded inside a transaction that stays open while those modules run and is
rolled back before any other test, so the rest of the suite never sees it: each test still
runs in its own (nested) transaction, rolled back after it, and cannot change the demo for the
next one. Those modules are run first, one after the other, so a run loads the demo about once
per worker.
"""

import pytest
from django.db import transaction

from investpromo.core.audit import system_user
from investpromo.core.reference import load_reference_data
from investpromo.demo.loader import DEMO_SLUG, load_demo

DEMO_FIXTURE = "demo_database"
NEXT_ITEM = pytest.StashKey()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with regions, industries and SEI mappings loaded once."""
    # Tests marked transaction=True flush the database afterwards and so remove this data.
    with django_db_blocker.unblock():
        load_reference_data()


def uses_demo(item) -> bool:
    return DEMO_FIXTURE in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the demo's modules first and together; a module reads the demo in all its tests or none."""
    modules: dict = {}
    for item in items:
        modules.setdefault(getattr(item, "module", None), set()).add(uses_demo(item))
        marker = item.get_closest_marker("django_db")
        if uses_demo(item) and marker and marker.kwargs.get("transaction"):
            raise pytest.UsageError(
                f"{item.nodeid}: {DEMO_FIXTURE} keeps a transaction open; transactional tests "
                "must load the demo themselves"
            )
    mixed = [
        getattr(module, "__name__", "?") for module, kinds in modules.items() if len(kinds) > 1
    ]
    if mixed:
        raise pytest.UsageError(
            f"{', '.join(mixed)}: some tests use {DEMO_FIXTURE} and some do not; the demo stays "
            f'loaded for the whole module, so add pytest.mark.usefixtures("{DEMO_FIXTURE}") to '
            "the module's pytestmark"
        )
    items[:] = [item for item in items if uses_demo(item)] + [
        item for item in items if not uses_demo(item)
    ]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`-n 2` hands out work stealing rather than xdist's default chunks (`--dist load`).

    xdist's default sends each worker chunks of tests ahead of time and never takes them back,
    so the run ends with one worker idle while the other still works through a chunk that
    happens to hold slow tests (the browser, the job workers, the migrations). With work
    stealing, each worker starts with half the tests, in order (the demo's modules stay
    together on the first), and a worker that runs out takes half of what the other has left.
    An explicit --dist other than load is left alone.
    """
    if config.getvalue("dist") == "load":
        from xdist.scheduler import WorkStealingScheduling

        return WorkStealingScheduling(config, log)
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # The demo's module fixture unloads it unless the next test reads it as well.
    item.config.stash[NEXT_ITEM] = nextitem
    return (yield)


class SharedDemo:
    """The demo loaded inside a transaction left open until `unload` rolls it back."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None
        self.created = None

    def load(self):
        if self.atomic is None:
            with self.blocker.unblock():
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
                _event, self.created = load_demo(actor=system_user())

    def unload(self):
        if self.atomic is not None:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
            self.atomic = None


@pytest.fixture(scope="session")
def shared_demo(django_db_setup, django_db_blocker):
    """The session's demo load (`created` tells whether that load created the event)."""
    demo = SharedDemo(django_db_blocker)
    yield demo
    demo.unload()


@pytest.fixture(scope="module")
def demo_database(request, shared_demo):
    """The demo event in the database for every test of the module (see the module docstring)."""
    shared_demo.load()
    yield shared_demo
    nextitem = request.config.stash.get(NEXT_ITEM, None)
    if nextitem is None or not uses_demo(nextitem):
        shared_demo.unload()


@pytest.fixture
def demo_event(demo_database, db):
    """The example event (hlj-industry-transfer-2024), read afresh for each test."""
    from investpromo.events.models import Event

    return Event.objects.get(slug=DEMO_SLUG)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files (imports, evidence) go to a scratch folder, never into data/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _cache_per_test(settings):
    """A fresh in-memory cache per test: parallel workers must not share job ids or lockouts."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test",
        }
    }
    from django.core.cache import cache

    cache.clear()
