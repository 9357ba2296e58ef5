"""The participants API: the same rules as the services, versions as ETags."""

import pytest
from rest_framework.test import APIClient

from tests.factories import make_project

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_organiser_registers_changes_with_if_match_and_reviews(event, organiser):
    api = _client(organiser)
    created = api.post(
        f"/api/events/{event.slug}/participants/",
        {
            "name": "深圳烯材科技有限公司（示例）",
            "side": "visitor",
            "regions_of_interest": ["230600"],
            "investment_min": "50000000",
            "cooperation_modes": ["joint_venture"],
            "attendance": {"2026-06-18": ["am"]},
            "contacts": [{"name": "李明", "email": "li@example.com"}],
            "status": "pending",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["regions_of_interest"] == ["230600"] and body["investment_min"] == "50000000.000000"
    url = f"/api/participants/{body['id']}/"
    assert created["ETag"] == '"1"'
    assert api.patch(url, {"seeks": "工业用地"}, format="json").status_code == 428
    changed = api.patch(url, {"seeks": "工业用地"}, format="json", headers={"If-Match": '"1"'})
    assert changed.status_code == 200 and changed["ETag"] == '"2"'
    stale = api.patch(url, {"seeks": "别的"}, format="json", headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    approved = api.post(url + "review/", {"action": "approve", "version": 2}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_scope_officers_read_their_regions_only(event, seeker, park, daqing_officer, viewer):
    listed = _client(daqing_officer).get(f"/api/events/{event.slug}/participants/").json()
    assert [p["id"] for p in listed["results"]] == [park.pk]
    assert _client(daqing_officer).get(f"/api/participants/{seeker.pk}/").status_code == 403
    assert _client(daqing_officer).get(f"/api/participants/{park.pk}/").status_code == 200
    refused = _client(daqing_officer).post(
        f"/api/events/{event.slug}/participants/", {"name": "x", "side": "host"}, format="json"
    )
    assert refused.status_code == 403
    assert _client(viewer).get(f"/api/events/{event.slug}/meeting-requests/").status_code == 403
    assert APIClient().get(f"/api/events/{event.slug}/participants/").status_code == 401


def test_request_accept_overview_and_the_project_it_led_to(
    event, seeker, park, exchange, organiser
):
    api = _client(organiser)
    made = api.post(
        f"/api/events/{event.slug}/meeting-requests/",
        {"requester": seeker.pk, "recipient": park.pk, "message": "用地"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    meeting = made.json()
    url = f"/api/meeting-requests/{meeting['id']}/"
    declined = api.post(url, {"action": "decline", "version": 1}, format="json")
    assert declined.status_code == 400 and "reason" in declined.json()
    accepted = api.post(url, {"action": "accept"}, format="json", headers={"If-Match": '"1"'})
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    overview = api.get(f"/api/events/{event.slug}/meeting-overview/").json()
    assert overview["by_state"]["accepted"] == 1
    assert [p["id"] for p in overview["without_agreed_meeting"]] == [exchange.pk]
    project = make_project(event=event, name="导热膜项目（示例）", investor=seeker.organisation)
    linked = api.post(
        f"/api/projects/{project.pk}/meetings/", {"meeting": meeting["id"]}, format="json"
    )
    assert linked.status_code == 201 and [m["id"] for m in linked.json()] == [meeting["id"]]
    must = api.post(
        f"/api/events/{event.slug}/meeting-requests/",
        {"requester": exchange.pk, "recipient": park.pk, "priority": "must"},
        format="json",
    ).json()
    assert (must["state"], must["priority"]) == ("accepted", "must")
