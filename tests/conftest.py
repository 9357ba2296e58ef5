"""Shared fixtures: the reference data is loaded once per test database."""

import pytest

from investpromo.core.reference import load_reference_data


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with regions, industries and SEI mappings loaded once."""
    # Tests marked transaction=True flush the database afterwards and so remove this data.
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files (imports, evidence) go to a scratch folder, never into data/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _cache_per_test(settings):
    """A fresh in-memory cache per test: parallel workers must not share job ids or lockouts."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test",
        }
    }
    from django.core.cache import cache

    cache.clear()
