"""Errors a user can cause; the CLI, web and API turn them into messages, never tracebacks."""


class UserError(Exception):
    """A mistake in what the user asked for or supplied; the message is shown as is."""

    def __init__(self, message: str, *, field: str | None = None, candidates=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.candidates = list(candidates or [])

    def __str__(self) -> str:
        return self.message


class NotFound(UserError):
    """The named record does not exist."""


class PermissionDenied(UserError):
    """The acting user may not make this change."""


class Conflict(UserError):
    """The record changed since the caller read it (optimistic concurrency)."""
