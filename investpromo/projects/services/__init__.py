"""Writing signed projects; the only code that creates, changes or deletes them.

One at a time (forms, the API, the admin) in `editing`; many at once, from a signing list,
in `importing`.
"""

from investpromo.projects.services.editing import (
    EDITABLE_FIELDS,
    PROJECT_FIELDS,
    conversion_date,
    create_project,
    delete_project,
    refuse_duplicate,
    update_project,
    validate_and_convert,
)
from investpromo.projects.services.importing import ImportSource, import_projects

__all__ = [
    "EDITABLE_FIELDS",
    "PROJECT_FIELDS",
    "ImportSource",
    "conversion_date",
    "create_project",
    "delete_project",
    "import_projects",
    "refuse_duplicate",
    "update_project",
    "validate_and_convert",
]
