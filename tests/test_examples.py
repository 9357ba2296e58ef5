"""Issue #18.8: the sample files the README uses exist, are synthetic, and import as described."""

import csv
import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from openpyxl import load_workbook

from investpromo.core.audit import system_user
from investpromo.imports.importer import import_signing_list
from investpromo.imports.progress import import_progress
from tests.factories import make_event

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def make_examples_module():
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_examples_are_what_make_examples_writes(tmp_path, monkeypatch):
    module = make_examples_module()
    monkeypatch.setattr(module, "HERE", tmp_path)
    for made in (module.signing_list(), module.county_summary(), module.progress_report()):
        # Workbooks by what they hold: openpyxl writes other bytes with lxml than without.
        assert _contents(made) == _contents(EXAMPLES / made.name), (
            f"examples/{made.name} is stale: run .venv/bin/python examples/make_examples.py"
        )


def _contents(path):
    if path.suffix != ".xlsx":
        return path.read_bytes()
    book = load_workbook(path)
    return [
        (
            sheet.title,
            [tuple(row) for row in sheet.iter_rows(values_only=True)],
            sorted(str(merged) for merged in sheet.merged_cells.ranges),
        )
        for sheet in book.worksheets
    ]


def test_examples_signing_list_has_title_rows_merged_cells_and_a_totals_row():
    sheet = load_workbook(EXAMPLES / "signing-list.xlsx")["签约项目"]
    assert "synthetic sample" in sheet["A1"].value
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert "A1:H1" in merged and any(r.startswith("D") for r in merged)
    last = [cell.value for cell in sheet[sheet.max_row]]
    assert last[0] == "合计" and last[4] == 52000 + 38000 + 15000 + 80000 + 26500 + 18000


def test_examples_name_only_invented_companies_and_projects():
    rows = [row for row in load_workbook(EXAMPLES / "signing-list.xlsx")["签约项目"].values]
    rows += [row for row in load_workbook(EXAMPLES / "progress-q2.xlsx")["进展"].values]
    with open(EXAMPLES / "county-summary.csv", encoding="utf-8-sig") as handle:
        rows += list(csv.reader(handle))
    names = [
        cell
        for row in rows
        for cell in row
        if isinstance(cell, str) and cell.endswith(("项目", "有限公司"))
    ]
    assert len(names) > 20
    assert all(name.startswith("示例") for name in names), names


@pytest.mark.django_db
def test_examples_import_as_the_readme_says(tmp_path):
    event = make_event(
        slug="harbin-2025", start=dt.date(2025, 5, 17), end_date=dt.date(2025, 5, 21)
    )
    signing = import_signing_list(
        actor=system_user(), path=EXAMPLES / "signing-list.xlsx", event=event
    )
    assert (signing.written, signing.created, signing.rejected) == (True, 6, 0)
    assert signing.sheet("签约项目").summary_rows == 1
    county = import_signing_list(
        actor=system_user(),
        path=EXAMPLES / "county-summary.csv",
        event=event,
        skip_invalid=True,
        rejects_path=tmp_path / "rejected.xlsx",
    )
    assert (county.written, county.created, county.rejected) == (True, 2, 1)
    assert [(p.row, p.column) for p in county.errors] == [(4, "投资方")]
    progress = import_progress(actor=system_user(), path=EXAMPLES / "progress-q2.xlsx")
    assert progress.written and not progress.errors
