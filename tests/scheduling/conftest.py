"""The scheduling tests read messages in English; test_instance checks the Chinese once."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
