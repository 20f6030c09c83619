"""Fixtures shared by the core's tests."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture(scope="module")
def skema(django_db_blocker) -> dict:
    """The OpenAPI schema the portal serves at /api/schema/, as JSON."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()
