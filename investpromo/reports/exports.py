"""The ledger as an xlsx workbook, written row by row so 100,000 projects fit in little memory."""

import json

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# (header, value of a project); headers name the column in both languages, as the lists do.
COLUMNS = [
    ("ID", lambda p: p.pk),
    ("活动 Event", lambda p: p.event.slug if p.event_id else ""),
    ("项目名称 Project", lambda p: p.name),
    ("投资方 Investor", lambda p: p.investor.name),
    ("统一社会信用代码 USCC", lambda p: p.investor.uscc or ""),
    ("来源地代码 Origin code", lambda p: p.origin_region_id or ""),
    ("来源地 Origin", lambda p: p.origin_region.full_name if p.origin_region_id else ""),
    ("落地地代码 Destination code", lambda p: p.destination_region_id),
    ("落地地 Destination", lambda p: p.destination_region.name),
    ("签约日期 Signing date", lambda p: p.signing_date),
    ("协议类型 Agreement", lambda p: p.agreement_type),
    ("签约额 Contract value", lambda p: p.contract_value),
    ("币种 Currency", lambda p: p.currency),
    ("原文金额 Value as written", lambda p: p.value_text),
    ("约数 Approximate", lambda p: "yes" if p.value_approximate else ""),
    ("折合人民币（元） Value CNY", lambda p: p.value_cny),
    ("汇率日期 Rate date", lambda p: p.rate_date),
    ("汇率 CNY per unit", lambda p: p.rate_cny_per_unit),
    ("战新状态 SEI status", lambda p: p.sei_status),
    ("战新产业 SEI industry", lambda p: p.sei_industry.name_zh if p.sei_industry_id else ""),
    ("行业代码 Industry class", lambda p: p.industry_class_id or ""),
    ("行业原文 Industry as written", lambda p: p.industry_text),
    ("备注 Notes", lambda p: p.notes),
    ("其他列 Extra", lambda p: json.dumps(p.extra, ensure_ascii=False) if p.extra else ""),
    ("来源 Source", lambda p: p.source_ref),
    ("示例数据 Example data", lambda p: "yes" if p.is_demo else ""),
]


def write_projects_xlsx(projects: QuerySet, stream) -> int:
    """Write the projects (select_related as the ledger does) to an xlsx stream; returns rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("projects")
    bold = Font(bold=True)
    header = []
    for title, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    # iterator(): rows stream from the database in chunks instead of one list in memory.
    related = projects.select_related("origin_region__parent__parent")
    for project in related.iterator(chunk_size=2000):
        sheet.append([getter(project) for _, getter in COLUMNS])
        count += 1
    workbook.save(stream)
    return count
