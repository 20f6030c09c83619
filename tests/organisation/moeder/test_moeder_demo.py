"""The demo year of meetings (2026): the committee, the steering group, formandskabet and each cluster level
at the seeds' frequencies, held meetings with agenda and minutes, some items closed; loaded idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from organisation.models import Dagsordenpunkt, Moede, MoedeStatus
from sundhed.models import Haendelse

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demodata(django_db_setup, django_db_blocker):
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), hashers, transaction.atomic():
        call_command("demo", "--force", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("slug, antal", [
    ("sundhedsstyregruppen", 5),  # seed 001: "4-5 gange om året"
    ("formandskab", 4),  # "Ca. 4 gange om året"
    ("sundhedssamarbejdsudvalget", 4),
    ("horsensklyngen-politisk", 4),
    ("goedstrupklyngen-administrativ", 4),
])
def test_each_body_meets_through_2026_at_its_frequency(slug, antal):
    moeder = Moede.objects.filter(forum__slug=slug)
    assert moeder.count() == antal
    assert {timezone.localtime(m.start).year for m in moeder} == {2026}


def test_held_meetings_have_minutes_and_some_items_are_closed():
    holdt = Moede.objects.filter(slut__lt=timezone.now())
    assert holdt.exists()
    assert set(holdt.exclude(status=MoedeStatus.AFLYST).values_list("status", flat=True)) == {MoedeStatus.REFERAT}
    assert Dagsordenpunkt.objects.filter(moede__status=MoedeStatus.REFERAT).exclude(beslutning="").exists()
    assert Dagsordenpunkt.objects.filter(aaben=False, moede__status=MoedeStatus.REFERAT).exists()
    assert Moede.objects.filter(status=MoedeStatus.AFLYST).count() == 1


def test_the_public_list_shows_the_demo_meetings_without_closed_titles():
    side = Client().get("/moeder/").content.decode()
    lukket = Dagsordenpunkt.objects.filter(aaben=False, moede__status=MoedeStatus.REFERAT).first()
    detalje = Client().get(f"/moeder/{lukket.moede_id}/")
    assert "Sundhedsstyregruppen" in side
    assert "Fortrolig" not in detalje.content.decode()
    assert "Lukket punkt" in detalje.content.decode()


def test_a_second_run_writes_nothing():
    foer = (Moede.objects.count(), Dagsordenpunkt.objects.count(), Haendelse.objects.count())
    call_command("demo", "--force", stdout=StringIO())
    assert (Moede.objects.count(), Dagsordenpunkt.objects.count(), Haendelse.objects.count()) == foer
