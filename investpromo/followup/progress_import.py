"""Moved: the progress-report import is investpromo.imports.progress (the import pipeline).

Kept so that callers importing it from here go on working until they import it from there.
"""

from investpromo.imports.progress import (  # noqa: F401
    APPROVALS,
    LABELS,
    PROGRESS_REPORT,
    STAGES,
    ProgressRow,
    import_progress,
)
from investpromo.imports.report import ProgressImportReport  # noqa: F401
