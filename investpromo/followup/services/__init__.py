"""Recording progress steps, evidence and snapshots; the only writers of follow-through data.

One step at a time (forms, the API) in `steps`; many at once, from a progress report, in
`importing`.
"""

from investpromo.followup.services.importing import (
    ProgressOutcome,
    record_progress_bulk,
    refresh_states,
)
from investpromo.followup.services.steps import (
    MAX_EVIDENCE_BYTES,
    STEP_EDITABLE,
    SnapshotUnchanged,
    attach_evidence,
    check_step,
    current_thresholds,
    delete_step,
    is_backwards,
    record_progress,
    refresh_state,
    set_thresholds,
    take_snapshot,
    update_step,
)

__all__ = [
    "MAX_EVIDENCE_BYTES",
    "STEP_EDITABLE",
    "ProgressOutcome",
    "SnapshotUnchanged",
    "attach_evidence",
    "check_step",
    "current_thresholds",
    "delete_step",
    "is_backwards",
    "record_progress",
    "record_progress_bulk",
    "refresh_state",
    "refresh_states",
    "set_thresholds",
    "take_snapshot",
    "update_step",
]
