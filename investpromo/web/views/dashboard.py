"""The dashboard: headline figures and charts for all projects, an event or a period."""

from django.utils import timezone

from investpromo.projects.models import Project
from investpromo.web.access import page, web_view
from investpromo.web.figures import figures
from investpromo.web.forms import ScopeForm


@web_view
def dashboard(request):
    """Figures for the chosen scope; every figure links to the projects it counts."""
    form = ScopeForm(request.GET or None)
    projects = Project.objects.all()
    scope: dict = {}
    event = None
    usd_on = timezone.localdate()
    if form.is_bound and form.is_valid():
        event = form.cleaned_data["event"]
        start, end = form.cleaned_data["signed_from"], form.cleaned_data["signed_to"]
        if event is not None:
            projects = projects.filter(event=event)
            scope["event"] = event.slug
            usd_on = event.start_date
        if start:
            projects = projects.filter(signing_date__gte=start)
            scope["signed_from"] = start.isoformat()
        if end:
            projects = projects.filter(signing_date__lte=end)
            scope["signed_to"] = end.isoformat()
            # A period's USD figure uses the rate in force at its end, as an event's uses its start.
            usd_on = end if event is None else usd_on
    elif form.is_bound:
        projects = projects.none()
    return page(
        request,
        "web/dashboard.html",
        {
            "form": form,
            "event": event,
            "scope": scope,
            **figures(projects, scope=scope, usd_on=usd_on),
        },
    )
