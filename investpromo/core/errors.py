"""Errors a user can cause; the CLI, web and API turn them into messages, never tracebacks."""


class UserError(Exception):
    """A mistake in what the user asked for or supplied; the message is shown as is."""

    # code: a stable name for the mistake (e.g. "extra_too_many") for callers that branch on
    # it; the message is already in the user's language where the raiser translated it.
    def __init__(
        self, message: str, *, field: str | None = None, candidates=None, code: str | None = None
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.candidates = list(candidates or [])
        self.code = code

    def __str__(self) -> str:
        return self.message


class NotFound(UserError):
    """The named record does not exist."""


class PermissionDenied(UserError):
    """The acting user may not make this change."""


class Conflict(UserError):
    """The record changed since the caller read it (optimistic concurrency)."""


def check_writable_file(path, *, what: str, field: str | None = None) -> None:
    """Refuse, before any work is done, an output file whose folder is missing or read-only."""
    import os
    from pathlib import Path

    folder = Path(path).expanduser().resolve().parent
    if not folder.is_dir():
        raise UserError(
            f"cannot write the {what} {path}: the folder {folder} does not exist", field=field
        )
    if not os.access(folder, os.W_OK) or (Path(path).exists() and not os.access(path, os.W_OK)):
        raise UserError(f"cannot write the {what} {path}: permission denied", field=field)
