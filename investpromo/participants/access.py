"""Who may see and change an event's participants and meeting requests: one set of rules.

Administrators manage every event; an event's organisers (EventOrganiser) manage theirs;
officers read the participants located in their regions; a participant acts only on its own
registration and requests, through its personal link (PortalActor). Services call the ensure_*
checks; selectors and views call `participants_visible_to`.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from investpromo.accounts.permissions import Role, role_of, scope_prefixes
from investpromo.core.errors import PermissionDenied
from investpromo.participants.models import EventOrganiser, Participant


@dataclass(frozen=True)
class PortalActor:
    """A participant acting through its personal link: no account, only its own records."""

    participant: Participant

    # The change log's actor: no user row, a label naming the participant.
    pk = None

    def get_username(self) -> str:
        return f"participant:{self.participant.pk} {self.participant.name}"[:150]


def is_portal(actor) -> bool:
    return isinstance(actor, PortalActor)


def is_organiser(user, event) -> bool:
    """An administrator, or a user named organiser of this event."""
    if is_portal(user):
        return False
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role is None:
        return False
    return EventOrganiser.objects.filter(event=event, user=user).exists()


def ensure_can_manage_event(actor, event) -> None:
    """Raise PermissionDenied unless the actor administers or organises this event."""
    if not is_organiser(actor, event):
        raise PermissionDenied(
            _("Only administrators and the organisers of %(event)s can do this.")
            % {"event": event.slug},
            code="not_event_organiser",
        )


def ensure_can_act_for(actor, participant: Participant) -> None:
    """The participant itself (through its link) or its event's organisers."""
    if is_portal(actor):
        if actor.participant.pk != participant.pk:
            raise PermissionDenied(
                _("Your link lets you act only for %(name)s.") % {"name": actor.participant.name},
                code="not_your_participant",
            )
        return
    ensure_can_manage_event(actor, participant.event)


def _region_scope(prefixes: list[str]) -> Q:
    return reduce(or_, (Q(region__code__startswith=p) for p in prefixes), Q(pk__in=[]))


def participants_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """The participants a user may read: all (administrators), their events', their regions'."""
    queryset = Participant.objects.all() if queryset is None else queryset
    if is_portal(user):
        return queryset.filter(pk=user.participant.pk)
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return queryset
    if role is None:
        return queryset.none()
    visible = Q(event__organisers__user=user)
    prefixes = scope_prefixes(user)
    if prefixes:
        visible |= _region_scope(prefixes)
    # The join through organisers may repeat a row; a subquery of ids keeps the queryset plain.
    return queryset.filter(pk__in=Participant.objects.filter(visible).values("pk"))


def ensure_can_read_participant(user, participant: Participant) -> None:
    if not participants_visible_to(user).filter(pk=participant.pk).exists():
        raise PermissionDenied(
            _("You may not see participant %(id)s.") % {"id": participant.pk},
            code="participant_out_of_scope",
        )
