"""Fixtures shared by the core's tests."""

import pytest
from rest_framework.test import APIClient

from tests.aftaler import conftest as aftaler_conftest


@pytest.fixture(scope="module")
def skema(django_db_blocker) -> dict:
    """The OpenAPI schema the portal serves at /api/schema/, as JSON."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


# The agreements' fixtures (tests/aftaler/conftest.py), for the core's tests that need an agreement (the
# audit trail), used through their own code.
@pytest.fixture
def udvalg(struktur):
    return aftaler_conftest.udvalg.__wrapped__(struktur)


@pytest.fixture
def lav_aftale(personas, struktur, udvalg):
    return aftaler_conftest.lav_aftale.__wrapped__(personas, struktur, udvalg)
