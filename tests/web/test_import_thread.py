"""The importer runs in a background thread, so a large file never freezes the page."""

import threading
import time

import pytest
from django.test import Client
from django.urls import reverse

from investpromo.web import jobs
from investpromo.web.models import ImportJob
from tests.factories import make_event
from tests.web.conftest import make_user
from tests.web.test_imports import GOOD, xlsx

# Transactional: the thread has its own connection and must see committed data.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_reference_data"),
]


def test_the_request_returns_and_a_thread_does_the_work(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.INVESTPROMO_IMPORTS_INLINE = False
    make_event(slug="import-event")
    client = Client()
    client.force_login(make_user("thread-admin", superuser=True))
    release = threading.Event()
    threads = []
    real_run = jobs.run

    def held_run(job_id):
        threads.append(threading.current_thread().name)
        # Held until the test has seen the page answer while the job is still running.
        release.wait(10)
        real_run(job_id)

    monkeypatch.setattr(jobs, "run", held_run)
    response = client.post(
        reverse("web:import_index"), {"event": "import-event", "file": xlsx(*GOOD)}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    busy = client.get(reverse("web:import_progress", args=[job.pk])).json()
    assert busy["busy"] is True
    page = client.get(response["Location"]).content.decode()
    assert "data-import-busy" in page
    release.set()
    deadline = time.monotonic() + 30
    while job.is_busy and time.monotonic() < deadline:
        time.sleep(0.05)
        job.refresh_from_db()
    assert threads and threads[0] != threading.current_thread().name
    assert job.status == "finished" and job.preview["created"] == 2
