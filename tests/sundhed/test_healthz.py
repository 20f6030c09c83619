"""/healthz: 200 while the database answers, 503 when it does not; the broker is reported, not required."""

import os
from unittest import mock

import pytest
import redis
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db

LUKKET_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def levende_redis() -> str:
    """The Redis under test: REDIS_URL when set (CI sets it), else the local default.

    Under CI an unreachable Redis is a failure, never a skip (see .ci/run).
    """
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as exc:
        besked = f"Redis svarer ikke på {url}: {exc}"
        if os.environ.get("CI"):
            pytest.fail(besked)
        pytest.skip(besked)
    return url


def test_it_answers_200_json_when_the_database_answers(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok", "database": "ok", "broker": "ikke konfigureret (opgaver køres i processen)",
    }


def test_it_is_never_cached(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_it_answers_503_when_the_database_does_not_answer(client, settings):
    settings.REDIS_URL = ""

    with mock.patch("django.db.connection.cursor", side_effect=OperationalError("forbindelsen blev afvist")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "fejl"
    assert response.json()["database"] == "fejl: OperationalError"


def test_a_database_failure_does_not_leak_the_error_message(client, settings):
    settings.REDIS_URL = ""

    with mock.patch("django.db.connection.cursor", side_effect=OperationalError("password=hemmelig")):
        response = client.get("/healthz")

    assert "hemmelig" not in response.content.decode()


def test_it_reports_the_broker_ok_when_redis_answers(client, settings, levende_redis):
    settings.REDIS_URL = levende_redis

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_it_reports_a_broker_error_but_stays_up_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = LUKKET_PORT

    response = client.get("/healthz")

    assert response.status_code == 200  # the web process can serve pages without the broker
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"
    assert response.json()["broker"].startswith("fejl: ")
    assert response.json()["broker"] == "fejl: ConnectionError"

