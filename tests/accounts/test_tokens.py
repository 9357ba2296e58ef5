"""API tokens: issued and revoked by the accounts services, each change audited."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from investpromo.accounts.services import issue_api_token, revoke_api_tokens
from investpromo.core.models import ChangeLog

pytestmark = pytest.mark.django_db


def test_a_token_is_issued_once_and_revoked_with_an_audit_row_that_hides_it():
    user = get_user_model().objects.create_user("token-user", password="x-long-pass-42")
    admin = get_user_model().objects.create_superuser("token-admin", password="x-long-pass-42")
    key = issue_api_token(user=user)
    assert issue_api_token(user=user) == key  # the same token, not a second audit row
    assert revoke_api_tokens(actor=admin, user=user) == 1
    assert revoke_api_tokens(actor=admin, user=user) == 0
    assert not Token.objects.filter(user=user).exists()
    rows = ChangeLog.objects.filter(source__startswith="api token").order_by("id")
    assert [(row.user, row.after) for row in rows] == [
        (user, {"api_token": "issued"}),
        (admin, {"api_token": None}),
    ]
    assert all(key not in str(row.before) + str(row.after) + row.object_id for row in rows)
