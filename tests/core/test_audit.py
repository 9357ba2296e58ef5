import pytest

from investpromo.core.audit import history_for, system_user
from investpromo.core.models import ChangeLog
from investpromo.events.services import update_event
from investpromo.orgs.services import update_organisation
from tests.factories import make_event, make_org

pytestmark = pytest.mark.django_db


def test_every_service_write_leaves_a_row_naming_the_actor(django_user_model):
    alice = django_user_model.objects.create_superuser("alice", password="x")
    org = make_org("某某科技有限公司")
    update_organisation(actor=alice, organisation=org, name="某某智能科技有限公司")
    [update, create] = list(history_for(org))
    assert create.action == "create" and create.actor_label == "investpromo-system"
    assert update.user == alice and update.actor_label == "alice"
    assert update.before["name"] == "某某科技有限公司"
    assert update.after["name"] == "某某智能科技有限公司"
    org.refresh_from_db()
    assert "某某科技有限公司" in org.aliases


def test_event_update_is_audited():
    event = make_event()
    update_event(actor=system_user(), event=event, name="新名称")
    assert ChangeLog.objects.filter(object_id=str(event.pk), action="update").count() == 1
