"""Optimistic concurrency for projects: the version is the ETag."""

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from investpromo.api.errors import PreconditionFailed, PreconditionRequired
from investpromo.core.errors import UserError

_TAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description='The version you edited, as the ETag of a GET gave it (e.g. "3"). '
    "Required for deletes, and for updates unless the body has `version`; missing, it is "
    "refused with 428, stale with 412.",
)


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request, body_version: int | None, *, required: bool) -> int | None:
    """The version the caller says it edited, from If-Match or the body's `version`."""
    header = request.headers.get("If-Match")
    from_header = None
    if header is not None:
        match = _TAG.match(header)
        if match is None:
            # Not a version this record ever had, so it cannot match the current one.
            raise PreconditionFailed(f"If-Match {header[:40]!r} names no version of this record")
        from_header = int(match.group(1))
    if from_header is not None and body_version is not None and from_header != body_version:
        raise UserError(
            f"If-Match says version {from_header} but the body says {body_version}",
            field="version",
        )
    version = from_header if from_header is not None else body_version
    if version is None and required:
        raise PreconditionRequired()
    return version
