"""Signing dates far outside the event's dates: each such row warned of, wherever it is read."""

import datetime as dt
import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from investpromo.jobs.models import Job
from tests.factories import make_event

pytestmark = pytest.mark.django_db
D = dt.date

ROWS = [
    ["项目名称", "投资方", "项目落地地", "签约金额（万元）", "签约日期"],
    ["去年项目", "甲公司", "哈尔滨市南岗区", 100, D(2024, 8, 31)],  # 259 days before: warned
    ["早签项目", "乙公司", "哈尔滨市南岗区", 100, D(2024, 11, 18)],  # 180 days before: not
    ["会前项目", "丙公司", "哈尔滨市南岗区", 100, D(2025, 5, 10)],
    ["会后项目", "丁公司", "哈尔滨市南岗区", 100, D(2025, 6, 20)],  # 30 days after: not
    ["迟签项目", "戊公司", "哈尔滨市南岗区", 100, D(2025, 6, 21)],  # 31 days after: warned
]
BEFORE = (
    "S!2: 签约日期: signing date 2024-08-31 is 259 days before the event (2025-05-17 – "
    "2025-05-21), more than the 180 days allowed: is the row from another event?"
)
AFTER = (
    "S!6: 签约日期: signing date 2025-06-21 is 31 days after the event (2025-05-17 – "
    "2025-05-21), more than the 30 days allowed: is the row from another event?"
)


def signing_list() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "S"
    for row in ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_issue_18_9_signing_dates_outside_the_event_are_warned_row_by_row(admin_client, tmp_path):
    make_event(slug="harbin-2025", start=D(2025, 5, 17), end_date=D(2025, 5, 21))
    path = tmp_path / "2025签约项目.xlsx"
    path.write_bytes(signing_list())

    # The command line: the rows named with their dates and the event's, in English.
    out = StringIO()
    call_command("import", str(path), "--event", "harbin-2025", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "2025签约项目.xlsx → event harbin-2025" in text
    assert f"Warnings (2):\n  {BEFORE}\n  {AFTER}" in text

    # The web check: the same two rows, in the page's language.
    response = admin_client.post(
        reverse("web:import_index"),
        {"event": "harbin-2025", "file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    job = Job.objects.get(dry_run=True)
    assert response["Location"] == reverse("web:import_detail", args=[job.pk])
    html = admin_client.get(response["Location"]).content.decode()
    assert "签约日期 2024-08-31 早于活动（2025-05-17 至 2025-05-21）259 天" in html
    assert "签约日期 2025-06-21 晚于活动（2025-05-17 至 2025-05-21）31 天" in html

    # The API's job: coded, with what the message says as values, in the caller's language.
    problems = admin_client.get(f"/api/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()[
        "problems"
    ]
    assert problems["warning_count"] == 2
    first, last = problems["warnings"]
    assert (first["row"], first["column"], first["code"]) == (
        2,
        "签约日期",
        "signing_date_before_event",
    )
    assert first["params"] == {
        "file": "2025签约项目.xlsx",
        "event": "harbin-2025",
        "date": "2024-08-31",
        "start": "2025-05-17",
        "end": "2025-05-21",
        "days": 259,
        "limit": 180,
    }
    assert [first["text"], last["text"]] == [BEFORE, AFTER]
    chinese = admin_client.get(f"/api/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese["problems"]["warnings"][1]["message"].startswith("签约日期 2025-06-21 晚于活动")
