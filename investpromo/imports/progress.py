"""Importing progress reports (counties' spreadsheets of stages, dates and funds in place).

The same pipeline as signing lists (readers, header rows, value parsing, one problem format);
the vocabulary is this module's: its columns, stage and approval words, and how a row names
its project. The steps are checked and written by followup.services.record_progress_bulk.
"""

import datetime as dt
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from investpromo.core.errors import UserError
from investpromo.core.text import normalize_key, normalize_text
from investpromo.followup.models import Approval, Stage
from investpromo.followup.services import record_progress_bulk
from investpromo.imports import values
from investpromo.imports.headers import Vocabulary, find_header_row
from investpromo.imports.pipeline import HEADER_SEARCH_ROWS, Pipeline, Progress
from investpromo.imports.report import ProgressImportReport, SheetReport
from investpromo.imports.rows import cell_text, is_blank
from investpromo.projects.models import Project

PROGRESS_REPORT = Vocabulary(
    {
        "serial": ("序号", "No.", "#"),
        "project_id": ("ID", "项目编号", "项目ID", "InvestPromo编号", "project id"),
        "event": ("event", "活动", "活动编号", "推介活动", "event slug"),
        "project_name": ("project name", "项目名称", "项目", "project"),
        "investor": ("investor", "投资方", "签约企业", "企业名称", "投资主体", "company"),
        "stage": ("stage", "进展阶段", "阶段", "项目进展", "进展情况"),
        "date": ("date", "日期", "进展日期", "时间"),
        "funds": ("funds in place", "到位资金", "累计到位资金", "资金到位", "funds"),
        "currency": ("currency", "币种"),
        "approvals": ("approvals", "审批事项", "已办审批"),
        "note": ("note", "notes", "备注", "说明"),
    },
    required=("stage", "date"),
)
LABELS = {
    "project_id": "ID",
    "event": "event",
    "project_name": "project name",
    "investor": "investor",
    "stage": "stage",
    "date": "date",
    "funds": "funds in place",
    "currency": "currency",
    "approvals": "approvals",
    "note": "note",
}
# The column a service's row problem names, by the field it names.
_FIELD_LABELS = {
    "project_id": "ID",
    "stage": "stage",
    "date": "date",
    "approvals": "approvals",
    "funds_in_place": "funds in place",
    "evidence": "note",
    "termination_reason": "note",
    "no_evidence_reason": "note",
}
_STAGE_WORDS = {
    Stage.SIGNED: ("signed", "签约", "已签约"),
    Stage.REGISTERED: ("registered", "注册", "已注册", "注册成立", "company registered"),
    Stage.APPROVED: ("approved", "审批", "已审批", "立项", "approvals obtained"),
    Stage.STARTED: ("started", "开工", "已开工", "在建", "construction started"),
    Stage.COMPLETED: ("completed", "竣工", "已竣工"),
    Stage.IN_PRODUCTION: ("in production", "投产", "已投产", "in_production"),
    Stage.FULL_CAPACITY: ("full capacity", "达产", "已达产", "at full capacity", "full_capacity"),
    Stage.TERMINATED: ("terminated", "终止", "已终止", "取消"),
}
STAGES = {normalize_key(word): stage for stage, words in _STAGE_WORDS.items() for word in words}
_APPROVAL_WORDS = {
    Approval.PROJECT: ("立项", "project", "project approval"),
    Approval.LAND: ("土地", "用地", "land"),
    Approval.ENVIRONMENT: ("环评", "environment", "environmental assessment"),
    Approval.CONSTRUCTION_PERMIT: ("施工许可", "construction permit", "construction_permit"),
}
APPROVALS = {normalize_key(w): a for a, words in _APPROVAL_WORDS.items() for w in words}


class RowProblem(Exception):
    def __init__(self, column: str | None, message: str):
        super().__init__(message)
        self.column, self.message = column, message


@dataclass(slots=True)
class ProgressRow:
    """One row of a progress report: the project it names and the step it reports."""

    sheet: str
    number: int
    project_id: int | None = None
    stage: str = ""
    date: dt.date | None = None
    funds: Decimal | None = None
    funds_currency: str = "CNY"
    funds_text: str = ""
    approvals: list[str] = field(default_factory=list)
    note: str = ""
    errors: list[tuple[str | None, str]] = field(default_factory=list)
    warnings: list[tuple[str | None, str]] | None = None

    def reject(self, field_name: str | None, message: str) -> None:
        """A problem the service found, put on the column of the field it names."""
        if field_name == "evidence":
            message = (
                "from 'started' on, the note must say what shows it (no file can be attached here)"
            )
        self.errors.append((_FIELD_LABELS.get(field_name or ""), message))


def import_progress(
    *,
    actor,
    path,
    dry_run: bool = False,
    event_slug: str | None = None,
    source_name: str | None = None,
    uploaded_by=None,
    progress: Progress | None = None,
) -> ProgressImportReport:
    """Check every row of a progress report, then record all of its steps or none."""
    # uploaded_by: whose upload an administrator (the actor) confirms; rows must be within
    # the uploader's regions too, as the uploader's preview checked.
    # progress(done_rows, total_rows or None) is called every 1,000 rows and at the end.
    started = time.perf_counter()
    shown = source_name or Path(path).name
    report = ProgressImportReport(file=shown, dry_run=dry_run)
    pipeline = Pipeline(
        path=path,
        file_name=shown,
        file_format=ProgressReportFormat(event_slug),
        report=report,
        progress=progress,
    )
    via = f"progress import {shown}"
    if uploaded_by is not None and uploaded_by != actor:
        # The uploader first: a long file name is what gets cut.
        via = f"progress import uploaded by {uploaded_by.get_username()}: {shown}"
    outcome = record_progress_bulk(
        actor=actor,
        rows=pipeline.rows(),
        source=shown,
        via=via[:300],
        dry_run=dry_run,
        uploaded_by=uploaded_by,
        checked=pipeline.checked,
    )
    pipeline.finish()
    report.written = outcome.written
    report.created, report.updated = outcome.created, outcome.updated
    report.unchanged = outcome.unchanged
    report.seconds = time.perf_counter() - started
    return report


class ProgressReportFormat:
    """A progress report as the pipeline reads it (see pipeline.FileFormat)."""

    def __init__(self, default_event_slug: str | None):
        self.projects = _ProjectNames(default_event_slug)
        # The first row of each step, by (project, stage, date).
        self.seen: dict[tuple[int, str, dt.date], str] = {}

    def find_header(self, rows: list[list]):
        return find_header_row(rows, max_rows=HEADER_SEARCH_ROWS, vocabulary=PROGRESS_REPORT)

    def no_header(self, rows) -> str:
        return "no header row with stage and date"

    def no_sheet(self, file: str, reasons: str) -> str:
        return f"{file}: no sheet has a header row with a stage and a date column"

    def sheet(self, report: SheetReport, header, number: int, cells: list, titles: list):
        report.header_row = number
        return _Sheet(self, header, report)


class _Sheet:
    """The rows of one sheet of a progress report."""

    def __init__(self, file_format: ProgressReportFormat, header, report: SheetReport):
        self.format, self.report = file_format, report
        self.columns = {match.key: position for position, match in header.columns.items()}
        funds = header.columns.get(self.columns["funds"]) if "funds" in self.columns else None
        self.unit = funds.unit if funds else None

    def row(self, number: int, cells: list) -> ProgressRow:
        self.report.rows_read += 1
        count = len(cells)
        values_by_key = {
            key: cells[position] if position < count else None
            for key, position in self.columns.items()
        }
        row = ProgressRow(self.report.name, number)
        try:
            self._parse(row, values_by_key)
        except RowProblem as problem:
            row.errors.append((problem.column, problem.message))
            return row
        key = (row.project_id, row.stage, row.date)
        first = self.format.seen.get(key)
        if first is not None:
            row.errors.append((None, f"the same step as {first}"))
        else:
            self.format.seen[key] = f"{row.sheet}!{number}"
        return row

    def _parse(self, row: ProgressRow, cells: dict) -> None:
        row.project_id = self.format.projects.find(cells)
        stage_text = cell_text(cells.get("stage"))
        stage = STAGES.get(normalize_key(stage_text))
        if stage is None:
            raise RowProblem(
                "stage",
                f"unknown stage {stage_text!r}: use 签约, 注册, 审批, 开工, 竣工, 投产, 达产 or 终止",
            )
        row.stage = stage
        try:
            row.date = values.parse_date(cells.get("date"))
        except UserError as error:
            raise RowProblem("date", str(error)) from None
        if row.date is None:
            raise RowProblem("date", "the date is missing")
        raw_funds = cells.get("funds")
        if not is_blank(raw_funds):
            row.funds_text = cell_text(raw_funds)
            if row.funds_text in {"0", "0.0", "0元"}:
                row.funds = Decimal("0")
            else:
                try:
                    amount = values.parse_amount(
                        raw_funds,
                        header_unit=self.unit,
                        header_currency=cells.get("currency") or None,
                    )
                except UserError as error:
                    raise RowProblem("funds in place", str(error)) from None
                row.funds, row.funds_currency = amount.value, amount.currency
        words = cell_text(cells.get("approvals")).replace("、", ",").replace("，", ",").split(",")
        for word in filter(None, (w.strip() for w in words)):
            approval = APPROVALS.get(normalize_key(word))
            if approval is None:
                raise RowProblem(
                    "approvals", f"unknown approval {word!r}: use 立项, 土地, 环评 or 施工许可"
                )
            row.approvals.append(approval)
        row.note = cell_text(cells.get("note")).strip()  # kept as written


class _ProjectNames:
    """The project a row names: by its ID, or by event + project name + investor (a read)."""

    def __init__(self, default_event_slug: str | None):
        self.default_event = default_event_slug
        self._by_names: dict[str, dict[tuple[str, str], list[int]]] = {}

    def _event_index(self, slug: str) -> dict[tuple[str, str], list[int]]:
        if slug not in self._by_names:
            index: dict[tuple[str, str], list[int]] = {}
            projects = Project.objects.filter(event__slug=slug).values_list(
                "id", "normalized_name", "investor_key", "investor__uscc"
            )
            for pk, name_key, investor_key, uscc in projects.iterator(chunk_size=5000):
                for key in filter(None, (investor_key, uscc and uscc.casefold())):
                    index.setdefault((name_key, key), []).append(pk)
            self._by_names[slug] = index
        return self._by_names[slug]

    def find(self, cells: dict[str, object]) -> int:
        """The project's ID (whether a project has it is for the service to say)."""
        raw_id = cells.get("project_id")
        if not is_blank(raw_id):
            text = cell_text(raw_id)
            if not text.isdigit():
                raise RowProblem("ID", f"{text!r} is not a project number")
            return int(text)
        slug = normalize_text(cell_text(cells.get("event"))) or self.default_event
        name, investor = cell_text(cells.get("project_name")), cell_text(cells.get("investor"))
        if not slug or not name or not investor:
            raise RowProblem(
                None, "name the project by its ID, or by event, project name and investor"
            )
        matches = self._event_index(slug).get((normalize_key(name), normalize_key(investor)), [])
        if not matches:
            raise RowProblem("project name", f"no project {name!r} of {investor!r} in event {slug}")
        if len(matches) > 1:
            ids = ", ".join(str(pk) for pk in matches)
            raise RowProblem("project name", f"several projects match ({ids}): give the ID")
        return matches[0]
