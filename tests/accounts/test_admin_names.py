"""The admin site is titled InvestPromo and names its apps and models in the user's language."""

import pytest
from django.apps import apps
from django.utils import translation

from investpromo.accounts.admin import MODEL_NAMES
from tests.web.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_admin_index_in_chinese_and_english(client):
    client.force_login(make_user("admin-names", superuser=True))
    chinese = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "InvestPromo 管理后台" in chinese
    for name in ("项目", "活动", "行政区划", "汇率", "变更记录", "后台任务"):
        assert f">{name}<" in chinese, name
    english = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "InvestPromo administration" in english
    assert ">Projects<" in english and ">Exchange rates<" in english


def test_every_named_model_exists_and_every_name_is_translated():
    with translation.override("zh-hans"):
        for label, (singular, plural) in MODEL_NAMES.items():
            meta = apps.get_model(label)._meta
            assert str(meta.verbose_name) == str(singular)
            # Translated: no Latin letters left (SEI is written out in Chinese).
            assert not any("a" <= c.lower() <= "z" for c in str(plural)), (label, plural)


def test_accounts_are_read_only_in_the_admin(client):
    from django.urls import reverse

    admin = make_user("admin-reader", superuser=True)
    other = make_user("someone")
    client.force_login(admin)
    assert client.get(reverse("admin:auth_user_add")).status_code == 403
    assert client.get(reverse("admin:auth_user_delete", args=[other.pk])).status_code == 403
    change = reverse("admin:auth_user_change", args=[other.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"username": "renamed", "is_superuser": "on", "is_staff": "on"})
    other.refresh_from_db()
    assert (other.username, other.is_superuser, other.is_staff) == ("someone", False, False)
