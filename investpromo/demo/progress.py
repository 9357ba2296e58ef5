"""Synthetic follow-through for the example event: plausible, deterministic, labelled."""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from investpromo.followup.models import Approval, Stage
from investpromo.followup.services import record_progress
from investpromo.projects.rates import RateBook

PROGRESS_SEED = 20240901
PROGRESS_UNTIL = dt.date(2026, 10, 31)
NO_EVIDENCE = "示例数据，无附件 / example data, no attachment"
# (stage, share of projects at the previous stage that reach it, days after it: min, max)
PATH = [
    (Stage.REGISTERED, 0.88, 20, 90),
    (Stage.APPROVED, 0.80, 30, 150),
    (Stage.STARTED, 0.72, 20, 120),
    (Stage.COMPLETED, 0.45, 240, 420),
    (Stage.IN_PRODUCTION, 0.85, 10, 60),
    (Stage.FULL_CAPACITY, 0.35, 90, 270),
]
FUNDS_SHARE = {
    Stage.STARTED: (0.10, 0.40),
    Stage.COMPLETED: (0.50, 0.85),
    Stage.IN_PRODUCTION: (0.80, 1.00),
    Stage.FULL_CAPACITY: (0.95, 1.00),
}


def _funds(rng: random.Random, project, stage) -> Decimal | None:
    low_high = FUNDS_SHARE.get(stage)
    if not low_high:
        return None
    share = Decimal(str(round(rng.uniform(*low_high), 3)))
    # In 万 of the contract currency, as counties report it.
    return (project.contract_value * share / 10000).quantize(Decimal(1), ROUND_HALF_UP) * 10000


def load_demo_progress(*, actor, projects) -> int:
    """Record synthetic progress steps for the demo projects; returns the number of steps."""
    rng = random.Random(PROGRESS_SEED)
    until = min(PROGRESS_UNTIL, timezone.localdate())
    rates = RateBook()
    count = 0
    for project in projects.order_by("id"):
        day = project.signing_date or project.event.start_date
        terminate_after = rng.choice([None] * 19 + [rng.randint(1, 3)])
        for index, (stage, chance, low, high) in enumerate(PATH, start=1):
            if rng.random() > chance:
                break
            day = day + dt.timedelta(days=rng.randint(low, high))
            if day > until:
                break
            if terminate_after == index:
                record_progress(
                    actor=actor,
                    project=project,
                    stage=Stage.TERMINATED,
                    date=day,
                    termination_reason="示例数据：投资方调整战略 / example data: investor withdrew",
                    note="示例数据 / example data",
                    via="demo",
                    rates=rates,
                )
                count += 1
                break
            approvals = []
            if stage == Stage.APPROVED:
                approvals = rng.sample(Approval.values, rng.randint(1, len(Approval.values)))
            record_progress(
                actor=actor,
                project=project,
                stage=stage,
                date=day,
                approvals=approvals,
                funds_in_place=_funds(rng, project, stage),
                funds_currency=project.currency,
                no_evidence_reason=NO_EVIDENCE if stage in FUNDS_SHARE else "",
                note="示例数据 / example data",
                via="demo",
                rates=rates,
            )
            count += 1
    return count
