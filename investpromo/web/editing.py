"""Turning a project form into service calls: the investor is found or created first."""

from django.db import transaction

from investpromo.accounts.permissions import ensure_can_write_projects_in
from investpromo.orgs.services import find_or_create_investor
from investpromo.projects.models import Project
from investpromo.projects.services import create_project, update_project

VIA = "web"


def _project_fields(data: dict) -> dict:
    return {
        "event": data["event"],
        "name": data["name"],
        "destination_region": data["destination"],
        "origin_region": data["origin"],
        "signing_date": data["signing_date"],
        "agreement_type": data["agreement_type"],
        "contract_value": data["contract_value"],
        "currency": data["currency"],
        "value_approximate": data["value_approximate"],
        "sei_status": data["sei_status"],
        "sei_industry": data["sei_industry"],
        "industry_class": data["industry_class"],
        "industry_text": data["industry_text"],
        "notes": data["notes"],
    }


def _investor(actor, data: dict, *, current=None):
    name = data["investor_name"].strip()
    if current is not None and name == current.name:
        return current
    investor, _ = find_or_create_investor(
        actor=actor,
        name=name,
        uscc=data["investor_uscc"] or None,
        home_region=data["origin"],
        via=VIA,
    )
    return investor


@transaction.atomic
def create_from_form(actor, data: dict) -> Project:
    """Create a project from cleaned ProjectForm data; a refused project creates no investor."""
    # Checked before the investor is created, so a refusal leaves nothing behind.
    ensure_can_write_projects_in(actor, data["destination"])
    investor = _investor(actor, data)
    return create_project(actor=actor, investor=investor, via=VIA, **_project_fields(data))


@transaction.atomic
def update_from_form(actor, project: Project, data: dict) -> Project:
    """Apply cleaned ProjectForm data to a project, refusing a stale version."""
    ensure_can_write_projects_in(actor, project.destination_region, data["destination"])
    investor = _investor(actor, data, current=project.investor)
    return update_project(
        actor=actor,
        project=project,
        expected_version=data["version"],
        via=VIA,
        investor=investor,
        **_project_fields(data),
    )
