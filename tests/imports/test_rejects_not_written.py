"""`--rejects` when no row is rejected: said so, and an older file there left as it was."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import make_event
from tests.imports.files import HEADER, project_rows, xlsx

pytestmark = pytest.mark.django_db


def test_issue_18_6_rejects_with_nothing_rejected_says_not_written_and_leaves_old_file(tmp_path):
    make_event(slug="rejects-event", start=dt.date(2024, 8, 31))
    signing_list = xlsx(tmp_path / "list.xlsx", {"S": [HEADER, *project_rows(2)]})
    rejects = tmp_path / "rejects.csv"

    out = StringIO()
    call_command(
        "import", str(signing_list), "--event", "rejects-event", "--dry-run",
        "--rejects", str(rejects), stdout=out,
    )  # fmt: skip
    assert f"No rows rejected; {rejects} not written\n" in out.getvalue() + "\n"
    assert not rejects.exists()

    # A file from an earlier run stays untouched, and the summary says it is not this run's.
    rejects.write_text(
        "项目名称,导入错误\n旧项目,S!9: 落地地区: Unknown region\n", encoding="utf-8"
    )
    before = rejects.read_bytes()
    out = StringIO()
    call_command(
        "import", str(signing_list), "--event", "rejects-event", "--skip-invalid",
        "--rejects", str(rejects), stdout=out,
    )  # fmt: skip
    assert (
        f"No rows rejected; {rejects} not written (the file already there is not from this "
        "import: left untouched)"
    ) in out.getvalue()
    assert rejects.read_bytes() == before
