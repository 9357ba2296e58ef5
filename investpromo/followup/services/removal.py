"""Removing follow-through records: published snapshots, and evidence files with their records."""

from django.db import transaction

from investpromo.accounts.permissions import ensure_administrator
from investpromo.core.audit import delete_and_record
from investpromo.followup.models import Snapshot


def remove_files_on_commit(files) -> None:
    """Delete stored files once the transaction that removed their records has committed."""
    # Not before: a rolled-back deletion must still find its files.
    stored = [(file.storage, file.name) for file in files if file]

    def remove():
        for storage, name in stored:
            storage.delete(name)

    transaction.on_commit(remove)


@transaction.atomic
def delete_snapshot(*, actor, snapshot: Snapshot, via: str = "") -> None:
    """Withdraw a published snapshot (e.g. before its event is deleted); the change log keeps it."""
    ensure_administrator(actor, "published snapshots")
    delete_and_record(actor=actor, instance=snapshot, via=via)
