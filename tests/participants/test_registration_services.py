"""Registering participants: who may, what is checked, what the change log keeps."""

from decimal import Decimal

import pytest

from investpromo.core.audit import history_for
from investpromo.core.errors import Conflict, PermissionDenied, UserError
from investpromo.participants import services
from investpromo.participants.access import PortalActor, participants_visible_to
from investpromo.participants.models import Participant
from investpromo.sectors.models import SEIIndustry
from tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_an_organiser_registers_an_organisation_found_by_its_uscc(event, organiser):
    known = make_org(name="深圳烯材科技有限公司", uscc="91440300MA5FUTN418")
    participant = services.create_participant(
        actor=organiser,
        event=event,
        name="深圳烯材科技有限公司 ",
        uscc="91440300MA5FUTN418",
        side="visitor",
        sei_industries=[3],
        industry_classes=["3985"],
        regions_of_interest=["230600", "230100"],
        investment_min=Decimal("50000000"),
        investment_max=Decimal("200000000"),
        investment_text="0.5-2亿元",
        cooperation_modes=["并购", "合资"],
        attendance={"2026-06-19": ["pm"], "2026-06-18": []},
        contacts=[{"name": "李明", "phone": "13800000000", "email": "li@example.com"}],
        via="test",
    )
    assert participant.organisation == known
    assert participant.region == known.home_region
    assert participant.status == "approved"
    assert participant.cooperation_modes == ["joint_venture", "merger"]
    assert list(participant.attendance) == ["2026-06-18", "2026-06-19"]
    assert participant.contacts.get().is_primary
    created = history_for(participant).get()
    assert created.user == organiser
    assert created.after["regions_of_interest"] == ["230100", "230600"]
    assert created.after["sei_industries"] == [3]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"side": "both"}, "unknown_side"),
        ({"kind": "bank"}, "unknown_kind"),
        ({"industry_classes": ["C39"]}, "unknown_code"),  # a section, not a class
        ({"cooperation_modes": ["借贷"]}, "unknown_cooperation_mode"),
        ({"attendance": {"2026-06-20": []}}, "day_outside_event"),
        ({"investment_min": Decimal(5), "investment_max": Decimal(1)}, "range_reversed"),
        ({"investment_currency": "XYZ"}, None),
    ],
)
def test_bad_profile_values_are_refused_and_nothing_is_written(event, organiser, fields, code):
    fields = {"side": "visitor", **fields}
    with pytest.raises(UserError) as refused:
        services.create_participant(actor=organiser, event=event, name="某公司", **fields)
    assert refused.value.code == code
    assert not Participant.objects.exists()


def test_only_administrators_and_the_event_organisers_manage(
    event, organiser, daqing_officer, viewer, admin
):
    for outsider in (daqing_officer, viewer):
        with pytest.raises(PermissionDenied):
            services.create_participant(actor=outsider, event=event, name="某公司", side="host")
    with pytest.raises(UserError, match="read-only"):
        services.assign_organiser(actor=admin, event=event, user=viewer)
    with pytest.raises(PermissionDenied):
        services.assign_organiser(actor=organiser, event=event, user=daqing_officer)


def test_officers_read_their_regions_participants_and_organisers_their_events(
    event, seeker, park, exchange, organiser, daqing_officer, viewer, admin
):
    assert set(participants_visible_to(daqing_officer)) == {park}
    assert set(participants_visible_to(organiser)) == {seeker, park, exchange}
    assert set(participants_visible_to(admin)) == {seeker, park, exchange}
    assert not participants_visible_to(viewer).exists()
    assert set(participants_visible_to(PortalActor(seeker))) == {seeker}


def test_a_stale_version_is_refused_and_the_portal_changes_only_the_profile(seeker, organiser):
    services.update_participant(
        actor=organiser, participant=seeker, expected_version=1, seeks="工业用地"
    )
    assert seeker.version == 2
    with pytest.raises(Conflict):
        services.update_participant(
            actor=organiser, participant=seeker, expected_version=1, seeks="别的"
        )
    link = PortalActor(seeker)
    services.update_participant(actor=link, participant=seeker, offers="导热膜", sei_industries=[3])
    assert list(seeker.sei_industries.all()) == [SEIIndustry.objects.get(pk=3)]
    with pytest.raises(UserError) as refused:
        services.update_participant(actor=link, participant=seeker, side="host")
    assert refused.value.code == "field_not_editable"
    # The portal's change is logged under the participant, with no user.
    entry = history_for(seeker).first()
    assert entry.user is None and entry.actor_label.startswith(f"participant:{seeker.pk}")


def test_an_unchanged_update_writes_no_row(seeker, organiser):
    rows = history_for(seeker).count()
    services.update_participant(actor=organiser, participant=seeker, seeks=seeker.seeks)
    assert history_for(seeker).count() == rows and seeker.version == 1


def test_review_approve_reject_and_merge_moving_new_people(event, organiser):
    kept = services.create_participant(
        actor=organiser,
        event=event,
        name="哈尔滨新区管委会",
        side="host",
        contacts=[{"name": "王芳", "phone": "13900000000"}],
    )
    duplicate = services.create_participant(
        actor=organiser,
        event=event,
        name="哈尔滨新区管理委员会",
        side="host",
        status="pending",
        contacts=[{"name": "王芳", "phone": "13900000000"}, {"name": "赵强", "language": "en"}],
    )
    services.merge_participant(actor=organiser, participant=duplicate, into=kept)
    assert duplicate.status == "merged" and duplicate.merged_into == kept
    assert [c.name for c in kept.contacts.all()] == ["王芳", "赵强"]
    with pytest.raises(UserError) as refused:
        services.approve_participant(actor=organiser, participant=duplicate)
    assert refused.value.code == "already_reviewed"
    late = services.create_participant(
        actor=organiser, event=event, name="某咨询公司", side="visitor", status="pending"
    )
    services.reject_participant(actor=organiser, participant=late)
    assert late.status == "rejected"


def test_an_organisation_registers_once_per_event(event, organiser, seeker):
    with pytest.raises(UserError) as refused:
        services.create_participant(actor=organiser, event=event, name=seeker.name, side="visitor")
    assert refused.value.code == "already_registered"
