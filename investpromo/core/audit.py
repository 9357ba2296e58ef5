"""Snapshotting records and writing change-log rows; used by every service."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile

from investpromo.core import bulk
from investpromo.core.models import ChangeLog

SYSTEM_USERNAME = "investpromo-system"


def _json_value(value):
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


_SNAPSHOT_PLANS: dict = {}
_JSON_AS_IS = (str, int, bool, float)


def _snapshot_plan(meta) -> list[tuple[str, Decimal | None]]:
    """(attname, decimal quantum or None) of the fields a snapshot holds, worked out once."""
    plan = _SNAPSHOT_PLANS.get(meta)
    if plan is None:
        plan = _SNAPSHOT_PLANS[meta] = [
            (
                field.attname,
                Decimal(1).scaleb(-field.decimal_places)
                if isinstance(field, models.DecimalField)
                else None,
            )
            for field in meta.concrete_fields
            if field.name not in {"created_at", "updated_at"}
        ]
    return plan


def snapshot(instance: models.Model) -> dict:
    """The concrete field values of a record as JSON-ready data (foreign keys by id)."""
    data = {}
    loaded = instance.__dict__
    for attname, quantum in _snapshot_plan(instance._meta):
        # Straight from the instance when loaded (faster than the field descriptors).
        value = loaded[attname] if attname in loaded else getattr(instance, attname)
        if quantum is not None and isinstance(value, Decimal):
            # As the database will return it, so an unsaved and a reloaded record compare equal.
            value = value.quantize(quantum)
        data[attname] = value if value is None or type(value) in _JSON_AS_IS else _json_value(value)
    return data


def record_change(
    *,
    actor,
    instance: models.Model,
    action: str,
    before: dict | None,
    after: dict | None,
    source: str = "",
) -> ChangeLog | None:
    """Write one change-log row; an update that changed nothing writes none."""
    if action == ChangeLog.Action.UPDATE and before == after:
        return None
    entry = change_entry(
        actor=actor, instance=instance, action=action, before=before, after=after, source=source
    )
    entry.save(force_insert=True)
    return entry


def change_values(
    *,
    actor,
    instance: models.Model,
    action: str,
    before: dict | None,
    after: dict | None,
    source: str = "",
) -> dict:
    """The fields (by attname) of the change-log row record_change writes: one set of rules."""
    return {
        "user_id": actor.pk if getattr(actor, "pk", None) else None,
        "actor_label": actor_label(actor),
        "action": action,
        "content_type_id": ContentType.objects.get_for_model(type(instance)).pk,
        "object_id": str(instance.pk),
        "object_repr": str(instance)[:300],
        "before": before,
        "after": after,
        "source": source[:300],
    }


def change_entry(**kwargs) -> ChangeLog:
    """The unsaved change-log row record_change would write (arguments as change_values)."""
    values = change_values(**kwargs)
    return ChangeLog(*[values.get(field.attname) for field in ChangeLog._meta.concrete_fields])


def _insert_log_rows(*, actor, action: str, changes, source: str) -> int:
    """One change-log row per (instance, before, after), all in one insert; how many."""
    entries = [
        bulk.build(
            ChangeLog,
            change_values(
                actor=actor,
                instance=instance,
                action=action,
                before=before,
                after=after,
                source=source,
            ),
        )
        for instance, before, after in changes
    ]
    bulk.insert(ChangeLog, entries, with_ids=False)
    return len(entries)


def record_updates(*, actor, changes, source: str = "") -> int:
    """Log many updates at once: (instance, before, after) each, in one insert; how many."""
    # For bulk services: one change-log row per changed record, as record_change writes it.
    changed = [(instance, before, after) for instance, before, after in changes if before != after]
    return _insert_log_rows(
        actor=actor, action=ChangeLog.Action.UPDATE, changes=changed, source=source
    )


def record_creations(*, actor, instances, source: str = "") -> None:
    """Log many new records at once, each with its snapshot, in one insert."""
    _insert_log_rows(
        actor=actor,
        action=ChangeLog.Action.CREATE,
        changes=[(instance, None, snapshot(instance)) for instance in instances],
        source=source,
    )


def save_and_record_update(*, actor, instance: models.Model, before: dict, via: str = "") -> None:
    """Save a changed record and log it with its state before (no row when nothing changed)."""
    instance.save()
    record_change(
        actor=actor,
        instance=instance,
        action="update",
        before=before,
        after=snapshot(instance),
        source=via,
    )


def record_deletion(*, actor, instance: models.Model, via: str = "") -> None:
    """Log a record about to be deleted (with a cascade, or by delete_and_record)."""
    record_change(
        actor=actor,
        instance=instance,
        action="delete",
        before=snapshot(instance),
        after=None,
        source=via,
    )


def delete_and_record(*, actor, instance: models.Model, via: str = "") -> None:
    """Delete a record and log it with its state before."""
    record_deletion(actor=actor, instance=instance, via=via)
    instance.delete()


def actor_label(actor) -> str:
    if actor is None:
        return SYSTEM_USERNAME
    return actor.get_username()


def system_user():
    """The account that command-line and setup work is recorded under when no --user is given."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def history_for(instance: models.Model):
    """The change log of one record, newest first, with the import row that created it."""
    rows = Q(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    )
    created_by_import = getattr(instance, "created_by_import_id", None)
    if created_by_import:
        rows |= Q(pk=created_by_import, action=ChangeLog.Action.IMPORT)
    return ChangeLog.objects.filter(rows).select_related("user")
