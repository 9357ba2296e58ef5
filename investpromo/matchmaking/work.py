"""A run of all of an event's recommendations, as the worker executes it."""

import gc
import logging
import time

from investpromo.matchmaking import services
from investpromo.matchmaking.engine import Weights, recommend
from investpromo.matchmaking.selectors import event_exclusions, event_profiles

logger = logging.getLogger(__name__)


def execute_run(run_id: int) -> None:
    """Claim the run, compute every participant's best counterparts, store them (or the failure)."""
    run = services.claim_run(run_id=run_id)
    if run is None:
        return
    # Hundreds of thousands of small objects (matches, reasons, rows), none in a cycle: the
    # cyclic collector would only walk them again and again while they are made.
    collecting = gc.isenabled()
    gc.disable()
    try:
        started = time.perf_counter()
        profiles = event_profiles(run.event)
        results = recommend(
            profiles,
            weights=Weights(**run.weights),
            exclude=event_exclusions(run.event),
            limit=run.limit,
            progress=lambda done, total: services.record_run_progress(
                run_id=run_id, done=done, total=total
            ),
        )
        services.store_run_results(run=run, results=results, seconds=time.perf_counter() - started)
    except Exception as error:  # the run must end as failed, never stay "running"
        logger.exception("recommendation run %s failed", run_id)
        services.fail_run(
            run_id=run_id,
            code="internal",
            params={"detail": f"{type(error).__name__}: {error}"[:500]},
        )
    finally:
        if collecting:
            gc.enable()
