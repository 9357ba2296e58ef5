"""Several app servers and workers on one database, each with its own data folder.

Two gunicorn servers and two workers, as on two machines behind a load balancer: files are
uploaded through both servers at once (the same file twice, into one event); every job is run
by exactly one worker, a job is read through either server, and every project exists once.
"""

import concurrent.futures
import json
import socket
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.passes import ONCE_PER_RUN
from tests.scratch import Scratch

pytestmark = [pytest.mark.django_db, ONCE_PER_RUN]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
HEADER = "项目名称,投资方,项目落地地,签约金额（万元）"
FILES = 3
ROWS = 400


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _call(port: int, token: str, path: str, *, file=None, fields=None) -> tuple[int, dict]:
    headers = {"Authorization": f"Token {token}", "Accept-Language": "en"}
    data = None
    if file is not None:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in (fields or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            )
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{file.name}"\r\nContent-Type: text/csv\r\n\r\n'
        )
        data = (
            "".join(parts).encode()
            + head.encode()
            + file.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _wait_until_serving(port: int, server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read()[-3000:]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server on port {port} did not start")


def test_two_servers_and_two_workers_share_one_database(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        scratch = Scratch(tmp_path / "shared")
    processes = []
    try:
        token = scratch.python(
            "import datetime as dt\n"
            "from django.contrib.auth import get_user_model\n"
            "from rest_framework.authtoken.models import Token\n"
            "from investpromo.core.audit import system_user\n"
            "from investpromo.events.services import create_event\n"
            "from investpromo.geo.models import Region\n"
            "create_event(actor=system_user(), slug='shared-event', name='shared',\n"
            "    start_date=dt.date(2024, 8, 31), host_region=Region.objects.get(code='230100'))\n"
            "user = get_user_model().objects.create_superuser('deploy-admin', password='x-9k!')\n"
            "print(json.dumps(Token.objects.create(user=user).key))\n"
        )
        ports = []
        for machine in ("a", "b"):
            folder = tmp_path / f"machine-{machine}"
            folder.mkdir()
            env = {"INVESTPROMO_DATA_DIR": str(folder)}
            port = _free_port()
            ports.append(port)
            server = scratch.start_program(
                GUNICORN, "investpromo.wsgi:application", "--bind", f"127.0.0.1:{port}",
                "--workers", "1", "--threads", "4", "--timeout", "120", env=env,
            )  # fmt: skip
            processes.append(server)
            processes.append(
                scratch.start("worker", "--worker-id", f"machine-{machine}", "--interval", "0.2",
                              env=env)
            )  # fmt: skip
        for port, server in zip(ports, processes[::2], strict=True):
            _wait_until_serving(port, server)
        files = []
        for number in range(FILES):
            path = tmp_path / f"list-{number}.csv"
            rows = [
                f"项目{number}-{i},示例投资{number}-{i}有限公司,哈尔滨市南岗区,{100 + i}"
                for i in range(ROWS)
            ]
            path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
            files.append(path)
        # Each file through both servers at once.
        uploads = [(port, path) for path in files for port in ports]
        with concurrent.futures.ThreadPoolExecutor(len(uploads)) as pool:
            answers = list(
                pool.map(
                    lambda upload: _call(
                        upload[0], token, "/api/events/shared-event/imports/", file=upload[1]
                    ),
                    uploads,
                )
            )
        assert [status for status, _ in answers] == [202] * len(uploads), answers
        jobs = {}
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            for index, (_, job) in enumerate(answers):
                # Read through the other server than the one that took the upload.
                port = ports[(index + 1) % 2]
                jobs[job["id"]] = _call(port, token, f"/api/jobs/{job['id']}/")[1]
            if all(job["state"] in ("done", "failed") for job in jobs.values()):
                break
            time.sleep(0.5)
        states = {job_id: job["state"] for job_id, job in jobs.items()}
        assert set(states.values()) == {"done"}, jobs
        # Every job was run once, by one of the two workers.
        runs = scratch.python(
            "from django_tasks_db.models import DBTaskResult\n"
            "from investpromo.jobs.models import Job\n"
            "from investpromo.projects.models import Project\n"
            "print(json.dumps({'tasks': [t.worker_ids for t in DBTaskResult.objects.all()],\n"
            "    'workers': sorted(set(Job.objects.values_list('worker_id', flat=True))),\n"
            "    'projects': list(Project.objects.filter(event__slug='shared-event')\n"
            "        .values_list('name', flat=True))}))\n"
        )
        assert all(len(worker_ids) == 1 for worker_ids in runs["tasks"]), runs["tasks"]
        assert len(runs["tasks"]) == len(uploads)
        assert set(runs["workers"]) <= {"machine-a", "machine-b"}
        # Each project once: for each file, one of its two jobs created the rows, the other
        # found them unchanged.
        assert len(runs["projects"]) == len(set(runs["projects"])) == FILES * ROWS
        for path in files:
            summaries = [
                jobs[job["id"]]["summary"]
                for (_, upload), (_, job) in zip(uploads, answers, strict=True)
                if upload == path
            ]
            assert sorted((s["created"], s["unchanged"]) for s in summaries) == [
                (0, ROWS),
                (ROWS, 0),
            ], summaries
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except Exception:
                process.kill()
        scratch.close()
