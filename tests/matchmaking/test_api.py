"""GET /api/events/SLUG/recommendations/ shows what the command shows; POST runs them all."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from investpromo.accounts.models import Profile
from investpromo.participants.models import EventOrganiser

pytestmark = pytest.mark.django_db
URL = "/api/events/harbin-2026/recommendations/"


def _client(username, role, *, organiser_of=None):
    user = get_user_model().objects.create_user(username=username, password="x")
    Profile.objects.create(user=user, role=role)
    if organiser_of is not None:
        EventOrganiser.objects.create(event=organiser_of, user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_an_organiser_sees_a_participants_recommendations_with_the_parts(event):
    organiser = _client("organiser", Profile.Role.VIEWER, organiser_of=event)
    response = organiser.get(
        URL, {"participant": "哈尔滨示例新材料产业园", "limit": "2"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["run"] is None and data["weights"]["text"] == 4.0
    assert data["participant"] == event.park.pk
    first = data["recommendations"][0]
    assert (first["participant"], first["name"]) == (event.seeker.pk, "深圳示例导热材料有限公司")
    assert {"code": "counterpart_seeks_what_you_offer", "text": "Seeks what you offer: 石墨烯"} in (
        first["reasons"]
    )
    assert first["parts"]["sides"] == 1.0
    assert first["score"] == pytest.approx(sum(first["parts"].values()), abs=1e-3)
    assert len(data["recommendations"]) <= 2


def test_a_run_started_through_the_api_is_then_shown(event):
    admin = _client("admin", Profile.Role.ADMINISTRATOR)
    started = admin.post(URL, {"limit": 5}, format="json")
    assert started.status_code == 202, started.json()
    assert started.json()["state"] == "done"  # the suite's queue runs jobs at once
    assert started.json()["participants_total"] == 5
    shown = admin.get(URL, {"participant": str(event.seeker.pk)}).json()
    assert shown["run"]["id"] == started.json()["id"]
    assert shown["recommendations"][0]["participant"] == event.park.pk


def test_an_unknown_participant_is_a_400_naming_the_parameter(event):
    admin = _client("admin", Profile.Role.ADMINISTRATOR)
    response = admin.get(URL, {"participant": "没有这个单位"})
    assert response.status_code == 400
    assert list(response.json()) == ["participant"]


def test_officers_who_do_not_organise_the_event_are_refused(event):
    officer = _client("officer", Profile.Role.OFFICER)
    assert officer.get(URL, {"participant": str(event.seeker.pk)}).status_code == 403
    assert officer.post(URL, {}, format="json").status_code == 403


def test_an_organiser_changes_the_events_weights_through_the_api(event):
    url = "/api/events/harbin-2026/match-weights/"
    organiser = _client("organiser", Profile.Role.VIEWER, organiser_of=event)
    assert organiser.get(url).json()["text"] == 4.0
    changed = organiser.put(url, {"text": 6.5, "host_pairs": True}, format="json")
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["text"], changed.json()["host_pairs"]) == (6.5, True)
    assert changed.json()["region"] == 1.5  # left out: unchanged
    assert organiser.put(url, {"text": -1}, format="json").status_code == 400
    assert organiser.put(url, {"host_pairs": "yes"}, format="json").status_code == 400
    officer = _client("officer", Profile.Role.OFFICER)
    assert officer.put(url, {"text": 1.0}, format="json").status_code == 403
