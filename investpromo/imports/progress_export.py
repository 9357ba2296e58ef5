"""The progress sheet of an xlsx export: every step of the exported projects, as a report.

Its columns are those a progress report has (imports.progress), so `investpromo
import-progress` reads the export workbook itself and records the same steps. A row names its
project by project name and investor, not by the InvestPromo ID: the signing sheet may be
imported into another event, where the projects get new IDs, and `import-progress --event`
then finds them there by name.
"""

from collections.abc import Iterable
from decimal import Decimal

from investpromo.followup.models import STARTED_OR_BEYOND, Approval, ProgressStep, Stage
from investpromo.imports.values import amount_text

PROGRESS_SHEET = "项目进展"
PROGRESS_HEADERS = ["项目名称", "投资方", "进展阶段", "日期", "到位资金", "审批事项", "备注"]
# The first word imports.progress reads for each stage and approval.
STAGE_WORDS = {
    Stage.SIGNED: "签约",
    Stage.REGISTERED: "注册",
    Stage.APPROVED: "审批",
    Stage.STARTED: "开工",
    Stage.COMPLETED: "竣工",
    Stage.IN_PRODUCTION: "投产",
    Stage.FULL_CAPACITY: "达产",
    Stage.TERMINATED: "终止",
}
APPROVAL_WORDS = {
    Approval.PROJECT: "立项",
    Approval.LAND: "土地",
    Approval.ENVIRONMENT: "环评",
    Approval.CONSTRUCTION_PERMIT: "施工许可",
}


def progress_table(projects) -> tuple[list[str], Iterable[list]]:
    """The header and rows of the progress sheet for these projects, project by project."""
    steps = (
        ProgressStep.objects.filter(project__in=projects.order_by().values("id"))
        .select_related("project__investor")
        .prefetch_related("evidence")
        .order_by("project_id", "date", "id")
    )

    def rows():
        for step in steps.iterator(chunk_size=2000):
            yield [
                step.project.name,
                step.project.investor.name,
                STAGE_WORDS[step.stage],
                step.date,
                _funds_cell(step),
                "、".join(APPROVAL_WORDS.get(a, a) for a in step.approvals or []),
                _note(step),
            ]

    return PROGRESS_HEADERS, rows()


def _funds_cell(step: ProgressStep) -> str:
    if step.funds_in_place is None:
        return ""
    return amount_text(Decimal(step.funds_in_place), step.funds_currency or "CNY", step.funds_text)


def _note(step: ProgressStep) -> str:
    """The one note column: for a terminated project its reason, from 'started' on what shows it."""
    # A progress report has one note, which the importer also takes as the termination reason
    # or as the reason no evidence is attached: the text that made the step valid goes there.
    if step.stage == Stage.TERMINATED:
        return step.termination_reason or step.note
    if step.stage in STARTED_OR_BEYOND and not step.note:
        if step.no_evidence_reason:
            return step.no_evidence_reason
        names = "、".join(evidence.original_name for evidence in step.evidence.all())
        return f"附件：{names}" if names else ""
    return step.note
