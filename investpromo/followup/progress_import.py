"""Importing progress reports (counties' spreadsheets of stages, dates and funds in place).

The same readers, header detection, value parsing, error format and all-or-nothing rule as
the signing-list import; each row becomes a step written through record_progress.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from investpromo.accounts.permissions import region_in_scope, role_of
from investpromo.core.errors import UserError
from investpromo.core.text import normalize_key, normalize_text
from investpromo.followup.models import STARTED_OR_BEYOND, Approval, ProgressStep, Stage
from investpromo.followup.services import check_step, record_progress, update_step
from investpromo.imports import values
from investpromo.imports.headers import Vocabulary, find_header_row
from investpromo.imports.readers import read_sheets
from investpromo.imports.report import Problem
from investpromo.imports.rows import cell_text, is_blank
from investpromo.projects.models import Project
from investpromo.projects.rates import RateBook

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


@dataclass
class ProgressRow:
    """One valid row: the project and the step it reports."""

    sheet: str
    row: int
    project: Project
    stage: str
    date: dt.date
    funds: Decimal | None
    funds_currency: str
    funds_text: str
    approvals: list[str]
    note: str


@dataclass
class ProgressImportReport:
    """What a progress import did (or would do)."""

    file: str
    dry_run: bool = False
    written: bool = False
    sheets: dict[str, int] = field(default_factory=dict)
    skipped_sheets: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "status": "invalid" if self.failed else ("dry_run" if self.dry_run else "written"),
            "dry_run": self.dry_run,
            "written": self.written,
            "rows_read": self.sheets,
            "skipped_sheets": self.skipped_sheets,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }

    def format_text(self) -> str:
        lines = [str(p) for p in self.errors] + [f"warning: {p}" for p in self.warnings]
        for name, count in self.sheets.items():
            lines.append(f"sheet {name}: {count} rows read")
        for name in self.skipped_sheets:
            lines.append(f"sheet {name}: skipped (no header row with stage and date)")
        verb = "would be" if self.dry_run or self.failed else "were"
        lines.append(
            f"steps: {self.created} new, {self.updated} updated, {self.unchanged} unchanged "
            f"{verb} written; {self.rejected} rows rejected"
        )
        if self.failed:
            lines.append("nothing was written: fix the rows above and import again")
        return "\n".join(lines)


class _Projects:
    """Finds the project a row names, by its ID or by event + project name + investor."""

    def __init__(self, default_event_slug: str | None):
        self.default_event = default_event_slug
        self.by_id: dict[int, Project] = {}
        self._by_names: dict[str, dict[tuple[str, str], list[Project]]] = {}

    def _event_index(self, slug: str) -> dict[tuple[str, str], list[Project]]:
        if slug not in self._by_names:
            index: dict[tuple[str, str], list[Project]] = {}
            projects = Project.objects.filter(event__slug=slug).select_related(
                "investor", "event", "destination_region"
            )
            for project in projects:
                for investor_key in filter(
                    None, (project.investor.normalized_name, project.investor.uscc)
                ):
                    index.setdefault((project.normalized_name, investor_key.casefold()), []).append(
                        project
                    )
            self._by_names[slug] = index
        return self._by_names[slug]

    def find(self, cells: dict[str, object]) -> Project:
        raw_id = cells.get("project_id")
        if not is_blank(raw_id):
            text = cell_text(raw_id)
            if not text.isdigit():
                raise RowProblem("ID", f"{text!r} is not a project number")
            project = self.by_id.get(int(text)) or (
                Project.objects.select_related("event", "destination_region")
                .filter(pk=int(text))
                .first()
            )
            if project is None:
                raise RowProblem("ID", f"no project with ID {text}")
            self.by_id[project.pk] = project
            return project
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
            ids = ", ".join(str(p.pk) for p in matches)
            raise RowProblem("project name", f"several projects match ({ids}): give the ID")
        return matches[0]


def _parse_row(
    cells: dict, *, sheet: str, row: int, projects: _Projects, unit, actors, rates: RateBook
) -> ProgressRow:
    project = projects.find(cells)
    for actor in actors:
        if not region_in_scope(actor, project.destination_region) or role_of(actor) not in (
            "administrator",
            "officer",
        ):
            raise RowProblem(None, f"project {project.pk} is not in your regions")
    stage_text = cell_text(cells.get("stage"))
    stage = STAGES.get(normalize_key(stage_text))
    if stage is None:
        raise RowProblem(
            "stage",
            f"unknown stage {stage_text!r}: use 签约, 注册, 审批, 开工, 竣工, 投产, 达产 or 终止",
        )
    try:
        date = values.parse_date(cells.get("date"))
    except UserError as error:
        raise RowProblem("date", str(error)) from None
    if date is None:
        raise RowProblem("date", "the date is missing")
    funds, currency, funds_text = None, "CNY", ""
    raw_funds = cells.get("funds")
    if not is_blank(raw_funds):
        funds_text = cell_text(raw_funds)
        if funds_text in {"0", "0.0", "0元"}:
            funds = Decimal("0")
        else:
            try:
                amount = values.parse_amount(
                    raw_funds, header_unit=unit, header_currency=cells.get("currency") or None
                )
            except UserError as error:
                raise RowProblem("funds in place", str(error)) from None
            funds, currency = amount.value, amount.currency
            try:
                rates.to_cny(funds, currency, date)
            except UserError as error:
                raise RowProblem("funds in place", str(error)) from None
    approvals = []
    for word in filter(
        None,
        (
            w.strip()
            for w in cell_text(cells.get("approvals"))
            .replace("、", ",")
            .replace("，", ",")
            .split(",")
        ),
    ):
        approval = APPROVALS.get(normalize_key(word))
        if approval is None:
            raise RowProblem(
                "approvals", f"unknown approval {word!r}: use 立项, 土地, 环评 or 施工许可"
            )
        approvals.append(approval)
    note = cell_text(cells.get("note")).strip()  # kept as written
    try:
        check_step(
            project=project,
            stage=stage,
            date=date,
            approvals=approvals,
            funds_in_place=funds,
            has_evidence=False,
            no_evidence_reason=note,
            termination_reason=note if stage == Stage.TERMINATED else "",
        )
    except UserError as error:
        column = {"evidence": "note", "termination_reason": "note"}.get(error.field, error.field)
        message = str(error)
        if error.field == "evidence":
            message = (
                "from 'started' on, the note must say what shows it (no file can be attached here)"
            )
        raise RowProblem(LABELS.get(column, column), message) from None
    return ProgressRow(
        sheet, row, project, stage, date, funds, currency, funds_text, approvals, note
    )


def import_progress(
    *,
    actor,
    path,
    dry_run: bool = False,
    event_slug: str | None = None,
    source_name: str | None = None,
    uploaded_by=None,
) -> ProgressImportReport:
    """Validate every row of a progress report, then write all of it or nothing."""
    # uploaded_by: whose upload an administrator (the actor) confirms; rows must be within
    # the uploader's regions too, as the uploader's preview checked.
    shown = source_name or Path(path).name
    report = ProgressImportReport(file=shown, dry_run=dry_run)
    projects = _Projects(event_slug)
    rates = RateBook()
    parsed: list[ProgressRow] = []
    seen: dict[tuple[int, str, dt.date], str] = {}
    for sheet in read_sheets(path, display_name=shown):
        rows = list(sheet.rows)
        header = find_header_row([cells for _, cells in rows[:20]], vocabulary=PROGRESS_REPORT)
        if header is None:
            report.skipped_sheets.append(sheet.name)
            continue
        columns = {match.key: (position, match.unit) for position, match in header.columns.items()}
        unit = columns.get("funds", (None, None))[1]
        count = 0
        for number, cells in rows[header.index + 1 :]:
            if all(is_blank(c) for c in cells):
                continue
            count += 1
            values_by_key = {
                key: cells[position] if position < len(cells) else None
                for key, (position, _) in columns.items()
            }
            try:
                row = _parse_row(
                    values_by_key,
                    sheet=sheet.name,
                    row=number,
                    projects=projects,
                    unit=unit,
                    actors=[actor] if uploaded_by is None else [actor, uploaded_by],
                    rates=rates,
                )
            except RowProblem as problem:
                report.errors.append(Problem(sheet.name, number, problem.column, problem.message))
                report.rejected += 1
                continue
            key = (row.project.pk, row.stage, row.date)
            if key in seen:
                report.errors.append(
                    Problem(sheet.name, number, None, f"the same step as {seen[key]}")
                )
                report.rejected += 1
                continue
            seen[key] = f"{sheet.name}!{number}"
            parsed.append(row)
        report.sheets[sheet.name] = count
    if not report.sheets:
        raise UserError(f"{shown}: no sheet has a header row with a stage and a date column")
    if report.failed:
        return report
    with transaction.atomic():
        via = f"progress import {shown}"
        if uploaded_by is not None and uploaded_by != actor:
            # The uploader first: a long file name is what gets cut.
            via = f"progress import uploaded by {uploaded_by.get_username()}: {shown}"
        _write(actor, parsed, report, source=shown, via=via[:300])
        if dry_run:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report


def _write(
    actor, rows: list[ProgressRow], report: ProgressImportReport, *, source: str, via: str
) -> None:
    rates = RateBook()
    existing = {
        (step.project_id, step.stage, step.date): step
        for step in ProgressStep.objects.filter(project__in={r.project.pk for r in rows})
    }
    # In date order per project, so going back a stage is recognised as it is recorded.
    for row in sorted(rows, key=lambda r: (r.project.pk, r.date, r.sheet, r.row)):
        step = existing.get((row.project.pk, row.stage, row.date))
        ref = f"{source}!{row.sheet}!{row.row}"
        if step is None:
            record_progress(
                actor=actor,
                project=row.project,
                stage=row.stage,
                date=row.date,
                note=row.note,
                approvals=row.approvals,
                funds_in_place=row.funds,
                funds_currency=row.funds_currency,
                funds_text=row.funds_text,
                no_evidence_reason=row.note if row.stage in STARTED_OR_BEYOND else "",
                termination_reason=row.note if row.stage == Stage.TERMINATED else "",
                source_ref=ref[:300],
                via=via,
                rates=rates,
            )
            report.created += 1
            continue
        # A re-import changes only what its row says: a blank cell or a missing column keeps
        # what was recorded (a sheet without funds must not erase the funds in place).
        changes: dict = {}
        if row.funds is not None and (
            step.funds_in_place != row.funds or step.funds_currency != row.funds_currency
        ):
            changes.update(
                funds_in_place=row.funds,
                funds_currency=row.funds_currency,
                funds_text=row.funds_text,
            )
        if row.note and row.note != step.note:
            changes["note"] = row.note
            if row.stage in STARTED_OR_BEYOND:
                changes["no_evidence_reason"] = row.note
        if row.approvals and sorted(set(row.approvals)) != sorted(step.approvals):
            changes["approvals"] = sorted(set(row.approvals))
        if not changes:
            report.unchanged += 1
            continue
        update_step(actor=actor, step=step, via=via, rates=rates, **changes)
        report.updated += 1
