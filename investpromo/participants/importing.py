"""Reading a participant list (xlsx, xls, csv) through the import pipeline; nothing here writes.

The pipeline (imports.pipeline) walks the file's sheets and header rows; this module is the
participant list's vocabulary: its columns (Chinese headers with English aliases), how each
cell reads, and the rule that an organisation appears once per file. The rows go to
participants.services.import_participants, which writes all of them or none.
"""

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from investpromo.core.errors import UserError
from investpromo.core.text import normalize_key, normalize_text
from investpromo.geo.models import Region
from investpromo.geo.resolver import resolve_region
from investpromo.imports import values
from investpromo.imports.headers import Vocabulary, find_header_row
from investpromo.imports.pipeline import HEADER_SEARCH_ROWS, Pipeline, Progress
from investpromo.imports.report import Summary
from investpromo.imports.rows import cell_text, is_blank
from investpromo.orgs.uscc import validate_uscc
from investpromo.participants.models import ParticipantKind, Session, Side
from investpromo.participants.profile import COOPERATION_WORDS
from investpromo.participants.services.importing import import_participants
from investpromo.sectors.selectors import resolve_industry_class

PARTICIPANT_LIST = Vocabulary(
    {
        "name": (
            "单位名称",
            "机构名称",
            "企业名称",
            "名称",
            "organisation",
            "organization",
            "name",
        ),
        "side": ("参会身份", "身份", "side", "role"),
        "kind": ("类型", "单位类型", "机构类型", "type", "kind"),
        "uscc": ("统一社会信用代码", "信用代码", "USCC", "credit code"),
        "contact": ("联系人", "姓名", "contact", "contact person"),
        "title": ("职务", "title", "position"),
        "phone": ("手机", "手机号", "联系电话", "电话", "mobile", "phone"),
        "email": ("邮箱", "电子邮箱", "email", "e-mail"),
        "language": ("语言", "language"),
        "offers": ("提供", "可提供", "优势资源", "offers"),
        "seeks": ("需求", "合作需求", "seeks", "needs"),
        "sei": ("战略性新兴产业", "战新产业", "SEI", "strategic emerging industry"),
        "industry_code": ("行业代码", "国民经济行业代码", "industry code"),
        "region": ("所在地区", "所在地", "region", "location"),
        "regions_of_interest": (
            "意向地区",
            "意向投资地区",
            "regions of interest",
            "target regions",
        ),
        "investment": ("投资规模", "意向投资规模", "investment size", "investment"),
        "cooperation": ("合作方式", "合作模式", "cooperation", "cooperation modes"),
        "attendance": ("参会日期", "参会时间", "attendance", "dates"),
    },
    required=("name", "side"),
)
SIDE_WORDS = {
    normalize_key(word): side
    for side, words in {
        Side.HOST: ("主办方", "主办", "东道主", "主方", "host"),
        Side.VISITOR: ("来宾", "嘉宾", "客商", "客方", "visitor", "guest"),
    }.items()
    for word in words
}
KIND_WORDS = {
    normalize_key(word): kind
    for kind, words in {
        ParticipantKind.INVESTOR: ("投资方", "企业", "投资机构", "investor", "enterprise"),
        ParticipantKind.GOVERNMENT: ("政府部门", "省直部门", "government", "government department"),
        ParticipantKind.PARK: ("园区", "开发区", "高新区", "产业园", "park", "development zone"),
        ParticipantKind.BUREAU: ("市县", "市县局", "县市局", "商务局", "bureau", "county", "city"),
        ParticipantKind.RESEARCH: ("科研院所", "研究院", "研究所", "高校", "research"),
        ParticipantKind.INTERMEDIARY: ("中介", "中介机构", "商会", "协会", "intermediary"),
        ParticipantKind.DATA_EXCHANGE: ("数据交易所", "数据交易机构", "data exchange"),
        ParticipantKind.OTHER: ("其他", "other"),
    }.items()
    for word in words
}
SESSION_WORDS = {
    "上午": Session.MORNING,
    "am": Session.MORNING,
    "下午": Session.AFTERNOON,
    "pm": Session.AFTERNOON,
    "晚上": Session.EVENING,
    "晚间": Session.EVENING,
    "evening": Session.EVENING,
}
WHOLE_EVENT = {"全程", "全部", "全天", "all", "alldays", "whole event"}
# Several values in one cell: 、 , ; or / (full- or half-width), or line breaks.
_SEVERAL = re.compile(r"[、,，;；/／\n]+")
_SEVERAL_DATES = re.compile(r"[、,，;；\n]+")  # "/" is part of 6/18
_RANGE = re.compile(r"^(.+?)\s*(?:-|~|～|—|–|至|到)\s*(.+)$")
_LOWER_WORDS = re.compile(r"^(?:超过|超|不低于|不少于|大于)|(?:及以上|以上|\+|＋)$")
_UPPER_WORDS = re.compile(r"^(?:不超过|不高于|少于|小于|低于)|(?:及以下|以下|以内)$")
_BARE_NUMBER = re.compile(r"^[0-9.,]+$")
_DAY = re.compile(r"^(?:(\d{4})\s*[-/.年])?\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\s*(.*)$")
_NTH_DAY = re.compile(r"^(?:第\s*(\d+)\s*天|day\s*(\d+))\s*(.*)$", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOTE = re.compile(r"^(?:注|备注|说明|填表说明|note)\s*[:：]", re.IGNORECASE)


@dataclass(slots=True)
class ParticipantRow:
    """One row of a participant list: the organisation, its person and its profile."""

    sheet: str
    number: int
    name: str = ""
    uscc: str | None = None
    side: str = ""
    kind: str = ParticipantKind.INVESTOR
    contact: dict | None = None
    offers: str = ""
    seeks: str = ""
    profile_language: str = "zh"
    sei_industries: list[int] = field(default_factory=list)
    industry_classes: list[str] = field(default_factory=list)
    region: Region | None = None
    regions_of_interest: list[str] = field(default_factory=list)
    investment_min: Decimal | None = None
    investment_max: Decimal | None = None
    investment_currency: str = "CNY"
    investment_text: str = ""
    cooperation_modes: list[str] = field(default_factory=list)
    attendance: dict = field(default_factory=dict)
    # The columns the sheet has (by key): on re-import only these change.
    given: frozenset = frozenset()
    # The column header as written in the file, by key, for problems the service finds.
    labels: dict = field(default_factory=dict)
    errors: list[tuple[str | None, str]] = field(default_factory=list)
    warnings: list[tuple[str | None, str]] | None = None

    @property
    def identity(self) -> tuple[str, str]:
        return ("uscc", self.uscc) if self.uscc else ("name", normalize_key(self.name))

    def reject(self, field_name: str | None, message: str) -> None:
        """A problem the service found, on the column of the field it names."""
        column = _FIELD_COLUMNS.get(field_name or "", field_name)
        self.errors.append((self.labels.get(column) if column else None, message))


# The column a service field comes from.
_FIELD_COLUMNS = {
    "organisation": "name",
    "investment_min": "investment",
    "investment_max": "investment",
    "investment_currency": "investment",
    "industry_classes": "industry_code",
    "sei_industries": "sei",
    "cooperation_modes": "cooperation",
    "email": "email",
}


@dataclass
class ParticipantImportReport(Summary):
    """What a participant import did (or would do), in the signing lists' problem format."""

    event: str = ""
    organisations_created: int = 0
    contacts_added: int = 0

    def format_text(self) -> str:
        lines = [str(p) for p in self.errors] + [f"warning: {p}" for p in self.warnings]
        for sheet in self.sheets:
            if sheet.imported:
                lines.append(f"sheet {sheet.name}: {sheet.rows_read} rows read")
            else:
                lines.append(f"sheet {sheet.name}: skipped ({sheet.skip_reason})")
        verb = "would be" if self.dry_run or self.failed else "were"
        lines.append(
            f"participants: {self.created} new, {self.updated} updated, {self.unchanged} "
            f"unchanged {verb} written; {self.rejected} rows rejected; "
            f"{self.organisations_created} organisations and {self.contacts_added} contacts "
            f"{verb} added"
        )
        if self.failed:
            lines.append("nothing was written: fix the rows above and import again")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "event": self.event,
            "status": self.status,
            "dry_run": self.dry_run,
            "written": self.written,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "organisations_created": self.organisations_created,
            "contacts_added": self.contacts_added,
            "sheets": [sheet.to_dict() for sheet in self.sheets],
            "errors": [problem.to_dict() for problem in self.errors],
            "warnings": [problem.to_dict() for problem in self.warnings],
        }


def import_participant_list(
    *,
    actor,
    path,
    event,
    dry_run: bool = False,
    source_name: str | None = None,
    progress: Progress | None = None,
) -> ParticipantImportReport:
    """Check every row of a participant list, then register or update all of them, or none."""
    started = time.perf_counter()
    shown = source_name or Path(path).name
    report = ParticipantImportReport(file=shown, event=event.slug, dry_run=dry_run)
    pipeline = Pipeline(
        path=path,
        file_name=shown,
        file_format=ParticipantListFormat(event),
        report=report,
        progress=progress,
    )
    outcome = import_participants(
        actor=actor,
        event=event,
        rows=pipeline.rows(),
        dry_run=dry_run,
        checked=pipeline.checked,
        file_name=shown,
        via=f"participant import {shown}"[:300],
    )
    pipeline.finish()
    report.written = outcome.written
    report.created, report.updated, report.unchanged = (
        outcome.created,
        outcome.updated,
        outcome.unchanged,
    )
    report.organisations_created = outcome.organisations_created
    report.contacts_added = outcome.contacts_added
    report.seconds = time.perf_counter() - started
    return report


class ParticipantListFormat:
    """A participant list as the pipeline reads it (see imports.pipeline.FileFormat)."""

    def __init__(self, event):
        self.event = event
        # The first row of each organisation, by USCC or normalised name.
        self.seen: dict[tuple[str, str], str] = {}

    def find_header(self, rows: list[list]):
        return find_header_row(rows, max_rows=HEADER_SEARCH_ROWS, vocabulary=PARTICIPANT_LIST)

    def no_header(self, rows) -> str:
        return "no header row naming 单位名称 and 参会身份"

    def no_sheet(self, file: str, reasons: str) -> str:
        return (
            f"{file}: no sheet has a header row with 单位名称 (organisation) and 参会身份 (side) "
            f"within its first {HEADER_SEARCH_ROWS} rows" + (f" ({reasons})" if reasons else "")
        )

    def sheet(self, report, header, number: int, cells: list, titles: list):
        report.header_row = number
        report.unknown_columns = [label for _, label in header.unknown]
        return _Sheet(self, header, report)


class _Problem(Exception):
    def __init__(self, key: str | None, message: str):
        super().__init__(message)
        self.key, self.message = key, message


class _Sheet:
    """The rows of one sheet of a participant list."""

    def __init__(self, file_format: ParticipantListFormat, header, report):
        self.format, self.report, self.event = file_format, report, file_format.event
        self.columns = {match.key: position for position, match in header.columns.items()}
        self.labels = {match.key: " ".join(match.text.split()) for match in header.columns.values()}
        self.units = {match.key: match.unit for match in header.columns.values()}
        self.given = frozenset(self.columns)

    def row(self, number: int, cells: list) -> ParticipantRow | None:
        count = len(cells)
        raw = {
            key: cells[position] if position < count else None
            for key, position in self.columns.items()
        }
        if is_blank(raw.get("side")) and (
            is_blank(raw.get("name")) or _NOTE.match(cell_text(raw.get("name")))
        ):
            # A note under the table (注：…, 填表说明): no side, no organisation's name.
            self.report.ignored += 1
            return None
        self.report.rows_read += 1
        row = ParticipantRow(self.report.name, number, given=self.given, labels=self.labels)
        for key, read in _READERS:
            if key not in raw:
                continue
            try:
                read(self, row, raw[key])
            except _Problem as problem:
                row.errors.append((self.labels.get(problem.key or key), problem.message))
            except UserError as error:
                row.errors.append((self.labels.get(key), str(error)))
        if row.name:
            where = f"{row.sheet}!{number}"
            first = self.format.seen.setdefault(row.identity, where)
            if first != where:
                row.errors.append((self.labels["name"], f"the same organisation as row {first}"))
        return row

    # Each reader sets its part of the row, or raises _Problem / UserError.

    def _name(self, row, cell):
        row.name = normalize_text(cell_text(cell))
        if not row.name:
            raise _Problem("name", "the organisation's name (单位名称) is missing")
        if len(row.name) > 200:
            raise _Problem("name", "the name has more than 200 characters")

    def _side(self, row, cell):
        text = cell_text(cell)
        side = SIDE_WORDS.get(normalize_key(text))
        if side is None:
            raise _Problem(
                "side",
                f"{text!r} is not a side: use 主办方 (host) or 来宾 (visitor)"
                if text
                else "the side (参会身份) is missing: 主办方 or 来宾",
            )
        row.side = side

    def _kind(self, row, cell):
        text = cell_text(cell)
        if not text:
            return
        kind = KIND_WORDS.get(normalize_key(text)) or (
            text if text in ParticipantKind.values else None
        )
        if kind is None:
            raise _Problem(
                "kind",
                f"unknown type {text!r}: use 投资方/企业, 政府部门, 园区, 市县局, 科研院所, "
                "中介机构, 数据交易所 or 其他",
            )
        row.kind = kind

    def _uscc(self, row, cell):
        if not is_blank(cell):
            row.uscc = validate_uscc(cell)

    def _contact(self, row, cell):
        name = normalize_text(cell_text(cell))
        if name:
            row.contact = {**(row.contact or {}), "name": name[:100]}

    def _language(self, row, cell):
        text = normalize_key(cell_text(cell))
        if text and row.contact:
            language = {
                "中文": "zh",
                "zh": "zh",
                "chinese": "zh",
                "英文": "en",
                "en": "en",
                "english": "en",
            }.get(text)
            if language is None:
                raise _Problem("language", f"unknown language {text!r}: use 中文 or 英文")
            row.contact["language"] = language

    def _sei(self, row, cell):
        for part in _parts(cell):
            choice = values.parse_sei(part)
            if choice.status == "sei" and choice.industry_code not in row.sei_industries:
                row.sei_industries.append(choice.industry_code)

    def _industry(self, row, cell):
        for part in _parts(cell, as_code=True):
            code = resolve_industry_class(part).code
            if code not in row.industry_classes:
                row.industry_classes.append(code)

    def _region(self, row, cell):
        text = cell_text(cell)
        if text:
            row.region = resolve_region(text)

    def _regions_of_interest(self, row, cell):
        for part in _parts(cell):
            code = resolve_region(part).code
            if code not in row.regions_of_interest:
                row.regions_of_interest.append(code)

    def _investment(self, row, cell):
        if is_blank(cell):
            return
        row.investment_text = cell_text(cell)[:200]
        row.investment_min, row.investment_max, row.investment_currency = read_size_range(
            cell, unit=self.units.get("investment")
        )

    def _cooperation(self, row, cell):
        for part in _parts(cell):
            code = COOPERATION_WORDS.get(normalize_text(part))
            if code is None:
                raise _Problem(
                    "cooperation",
                    f"unknown cooperation mode {part!r}: use 独资, 合资, 合作, 技术转让 or 并购",
                )
            if code not in row.cooperation_modes:
                row.cooperation_modes.append(code)

    def _attendance(self, row, cell):
        row.attendance = read_attendance(cell, self.event)


def _contact_part(key: str):
    """The reader of a contact's title, phone or email."""

    def read(self, row, cell):
        text = cell_text(cell)
        # Excel keeps a mobile number as a number: 13800000000.0 reads back whole.
        if text:
            if row.contact is None or "name" not in row.contact:
                raise _Problem(key, f"a {key} without a contact person (联系人)")
            row.contact[key] = text

    return read


def _text(key: str):
    """The reader of what a participant offers or seeks."""

    def read(self, row, cell):
        text = cell_text(cell)
        if len(text) > 4000:
            raise _Problem(key, "the text has more than 4000 characters")
        setattr(row, key, text)
        both = f"{row.offers}{row.seeks}"
        row.profile_language = "zh" if _CJK.search(both) or not both else "en"

    return read


def _parts(cell, *, as_code: bool = False) -> list[str]:
    if is_blank(cell):
        return []
    if as_code and isinstance(cell, float) and cell.is_integer():
        return [f"{int(cell):04d}"]  # Excel turned 0519 into 519
    return [part.strip() for part in _SEVERAL.split(cell_text(cell)) if part.strip()]


def read_size_range(cell, *, unit: str | None) -> tuple[Decimal | None, Decimal | None, str]:
    """An investment size: "5000-20000" (in the header's unit), "1-5亿", "1亿以上", "不超过5000万"."""
    if not isinstance(cell, str):
        amount = values.parse_amount(cell, header_unit=unit)
        return amount.value, amount.value, amount.currency
    text = normalize_text(cell)
    at_least, at_most = bool(_LOWER_WORDS.search(text)), bool(_UPPER_WORDS.search(text))
    bare = _UPPER_WORDS.sub("", _LOWER_WORDS.sub("", text)).strip()
    span = _RANGE.match(bare)
    if span and not (at_least or at_most):
        low, high = span.group(1).strip(), span.group(2).strip()
        if _BARE_NUMBER.match(low):
            # "1-5亿": the unit written once, after the second figure, is both figures'.
            low += re.sub(r"^[0-9.,\s]+", "", high)
        first = values.parse_amount(low, header_unit=unit)
        second = values.parse_amount(high, header_unit=unit)
        if first.currency != second.currency:
            raise UserError(f"{cell!r}: the two ends of the range are in different currencies")
        if first.value > second.value:
            raise UserError(f"{cell!r}: the range starts above its end")
        return first.value, second.value, first.currency
    amount = values.parse_amount(bare, header_unit=unit)
    if at_least:
        return amount.value, None, amount.currency
    if at_most:
        return None, amount.value, amount.currency
    return amount.value, amount.value, amount.currency


def read_attendance(cell, event) -> dict[str, list[str]]:
    """Days of the event (and sessions) from "6月18日上午、6月19日", "2026-06-18", "第2天", "全程"."""
    if is_blank(cell):
        return {}
    if isinstance(cell, dt.datetime | dt.date):
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        return {_event_day(day, event, str(cell)): []}
    days: dict[str, set[str]] = {}
    for part in _SEVERAL_DATES.split(cell_text(cell)):
        part = normalize_text(part)
        if not part:
            continue
        if normalize_key(part) in WHOLE_EVENT:
            return {}
        nth = _NTH_DAY.match(part)
        if nth:
            day = event.start_date + dt.timedelta(days=int(nth.group(1) or nth.group(2)) - 1)
            rest = nth.group(3)
        else:
            match = _DAY.match(part)
            if match is None:
                raise UserError(
                    f"{part!r} is not a day of the event: write 6月18日, 2026-06-18 or 第1天, "
                    "with 上午/下午/晚上 if only part of the day"
                )
            year = int(match.group(1) or event.start_date.year)
            try:
                day = dt.date(year, int(match.group(2)), int(match.group(3)))
            except ValueError:
                raise UserError(f"{part!r} is not a date") from None
            rest = match.group(4)
        key = _event_day(day, event, part)
        sessions = days.setdefault(key, set())
        rest = normalize_key(rest)
        if rest and rest not in WHOLE_EVENT:
            session = SESSION_WORDS.get(rest)
            if session is None:
                raise UserError(f"{part!r}: unknown part of the day: use 上午, 下午 or 晚上")
            sessions.add(session)
    return {
        day: [s for s in Session.values if s in sessions] for day, sessions in sorted(days.items())
    }


def _event_day(day: dt.date, event, written: str) -> str:
    if not event.start_date <= day <= event.end_date:
        raise UserError(
            f"{written!r} is not a day of the event ({event.start_date} to {event.end_date})"
        )
    return day.isoformat()


_READERS = [
    ("name", _Sheet._name),
    ("side", _Sheet._side),
    ("kind", _Sheet._kind),
    ("uscc", _Sheet._uscc),
    ("contact", _Sheet._contact),
    ("title", _contact_part("title")),
    ("phone", _contact_part("phone")),
    ("email", _contact_part("email")),
    ("language", _Sheet._language),
    ("offers", _text("offers")),
    ("seeks", _text("seeks")),
    ("sei", _Sheet._sei),
    ("industry_code", _Sheet._industry),
    ("region", _Sheet._region),
    ("regions_of_interest", _Sheet._regions_of_interest),
    ("investment", _Sheet._investment),
    ("cooperation", _Sheet._cooperation),
    ("attendance", _Sheet._attendance),
]
