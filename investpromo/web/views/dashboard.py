"""The dashboard: headline figures, follow-through and charts for all projects, an event or a
period; officers also see the flagged projects of their regions."""

from django.utils import timezone

from investpromo.accounts.permissions import Role
from investpromo.projects.models import Project
from investpromo.web.access import abilities, page, web_view
from investpromo.web.figures import figures
from investpromo.web.followthrough import officer_overdue, scope_followthrough
from investpromo.web.followup_forms import AsOfForm
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
    as_of_form = AsOfForm(request.GET or None)
    as_of = as_of_form.as_of_date()
    data = figures(projects, scope=scope, usd_on=usd_on)
    followthrough = scope_followthrough(projects, scope=scope, keep=scope, as_of=as_of)
    data["charts"]["funnel"] = followthrough["chart"]
    mine = abilities(request)
    return page(
        request,
        "web/dashboard.html",
        {
            "form": form,
            "event": event,
            "scope": scope,
            **data,
            "followthrough": followthrough,
            "as_of_form": as_of_form,
            "overdue": officer_overdue(mine.prefixes) if mine.role == Role.OFFICER else None,
        },
    )
