"""Reading events."""

from investpromo.core.errors import NotFound
from investpromo.events.models import Event


def get_event(slug: str) -> Event:
    """The event with this slug, or a NotFound naming the slugs that exist."""
    event = Event.objects.select_related("host_region").filter(slug=slug).first()
    if event is None:
        known = list(Event.objects.order_by("slug").values_list("slug", flat=True)[:10])
        hint = f" (known: {', '.join(known)})" if known else " (there are no events yet)"
        raise NotFound(f"no event with slug {slug!r}{hint}", field="event")
    return event
