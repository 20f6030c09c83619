"""The outbox's reliability drills (aftaler.drill, `manage.py drill`) on PostgreSQL with real workers and
a Redis server of the drill's own: 0 lost and 0 duplicated; 0 server errors while Redis is down.

They run in .ci/run's PostgreSQL + Redis stage (DATABASE_URL is PostgreSQL; KRAEV_TJENESTER makes a
missing service a failure). On the embedded default (SQLite) they skip: marker `drill`."""

import os
import shutil

import pytest
from django.db import connection

from aftaler import drill
from aftaler.choices import Status

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tjenester(db):
    mangler = []
    if connection.vendor != "postgresql":
        mangler.append("PostgreSQL (DATABASE_URL)")
    if shutil.which("redis-server") is None:
        mangler.append("redis-server")
    if mangler:
        if os.environ.get("KRAEV_TJENESTER"):
            pytest.fail(f"Øvelserne kræver {', '.join(mangler)}")
        pytest.skip(f"Øvelserne kræver {', '.join(mangler)}")


def test_1000_events_with_the_worker_killed_midway_are_each_delivered_once():
    tal = drill.nedbrud(1000)
    print(tal.linje(), tal.noter)

    assert tal.haendelser == 1000
    assert tal.tabt == 0
    assert tal.dubletter == 0, tal.noter
    # The kill's one honest cost: the row the worker had claimed may be sent again, with the same Message-ID.
    assert tal.i_flugten <= 1, tal.noter
    assert tal.gensendt <= tal.i_flugten, tal.noter


def test_two_workers_draining_the_same_outbox_deliver_no_duplicates():
    tal = drill.to_arbejdere(1000)
    print(tal.linje())

    assert (tal.haendelser, tal.leveret, tal.tabt, tal.dubletter) == (1000, 1000, 0, 0)


def test_redis_down_for_60_s_gives_no_server_errors_and_loses_nothing(lav_aftale, personas):
    from organisation.models import Person

    for navn in ("sekretariat", "kommune_a", "kommune_b", "region"):
        Person.objects.filter(bruger=personas[navn]).update(email=f"{navn}@example.dk")
    lav_aftale(Status.INDSTILLET)
    lav_aftale(Status.I_KRAFT, titel="Aftale i kraft")

    tal = drill.redis_udfald(drill.web_skrivninger(), sekunder=60)
    print(tal.linje(), tal.noter)

    assert tal.forespoergsler > 0
    assert tal.serverfejl == 0, tal.noter
    assert tal.haendelser > 0 and tal.tabt == 0
    assert tal.dubletter == 0
