"""A run of the scheduler over an event, as the worker executes it."""

import logging

from investpromo.core.errors import UserError
from investpromo.scheduling import services
from investpromo.scheduling.instance import parse_instance
from investpromo.scheduling.selectors import event_instance
from investpromo.scheduling.solve import schedule_document, solve

logger = logging.getLogger(__name__)


def execute_run(run_id: int) -> None:
    """Claim the run, build the event's instance, schedule it and store the agenda (or the failure)."""
    run = services.claim_run(run_id=run_id)
    if run is None:
        return
    try:
        instance = parse_instance(event_instance(run.event), file=run.event.slug)
        schedule = solve(instance, time_limit=run.time_limit)
        services.store_schedule(run=run, document=schedule_document(instance, schedule))
    except UserError as error:
        services.fail_run(run_id=run_id, code="refused", params={"detail": error.message})
    except Exception as error:  # the run must end as failed, never stay "running"
        logger.exception("schedule run %s failed", run_id)
        services.fail_run(
            run_id=run_id,
            code="internal",
            params={"detail": f"{type(error).__name__}: {error}"[:500]},
        )
