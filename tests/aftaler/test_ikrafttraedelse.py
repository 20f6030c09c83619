"""An agreement published to enter into force on a later date says so until that date, and is in force
from the date without anyone acting (derived from the date, no scheduled job)."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from aftaler import services
from aftaler.choices import Status
from aftaler.models import Samarbejdsaftale
from aftaler.workflow import Handling
from tests.aftaler.conftest import I_DAG

NYTAAR = datetime.date(I_DAG.year + 1, 1, 1)


@pytest.fixture
def offentliggjort(lav_aftale, personas):
    aftale = lav_aftale(Status.GODKENDT)
    services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=Handling.OFFENTLIGGOER,
                             ikrafttraedelse=NYTAAR)
    return Samarbejdsaftale.objects.get(pk=aftale.pk)


def _tekst(svar) -> str:
    return svar.content.decode()


def test_before_the_date_the_public_page_says_published_and_when_it_enters_into_force(offentliggjort, client):
    side = _tekst(client.get(f"/aftaler/{offentliggjort.slug}/"))
    assert "Offentliggjort, træder i kraft 1. januar" in side
    assert "Nu: </span>I kraft" not in side
    assert "Nu: </span>Godkendt" in side and "Senere: </span>I kraft" in side


def test_before_the_date_the_api_and_the_feed_say_published(offentliggjort):
    detalje = APIClient().get(f"/api/v1/aftaler/{offentliggjort.slug}/").json()
    assert detalje["i_kraft_nu"] is False
    assert detalje["status_navn"].startswith("Offentliggjort, træder i kraft 1. januar")
    feed = APIClient().get("/feeds/aftaler/").content.decode()
    assert f"{offentliggjort.titel}: offentliggjort" in feed and f"{offentliggjort.titel}: i kraft" not in feed


def test_before_the_date_the_staff_page_says_published(offentliggjort, client, personas):
    client.force_login(personas["sekretariat"])
    side = _tekst(client.get(f"/arbejde/aftaler/{offentliggjort.slug}/"))
    assert "Offentliggjort, træder i kraft 1. januar" in side


def test_from_the_date_it_is_in_force_without_anyone_acting(offentliggjort, client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: NYTAAR)
    side = _tekst(client.get(f"/aftaler/{offentliggjort.slug}/"))
    assert "Nu: </span>I kraft" in side and "træder i kraft 1. januar" not in side
    assert APIClient().get(f"/api/v1/aftaler/{offentliggjort.slug}/").json()["i_kraft_nu"] is True


def test_published_with_todays_date_is_in_force_at_once(lav_aftale, client):
    aftale = lav_aftale(Status.I_KRAFT)  # published with ikrafttraedelse today
    assert "Nu: </span>I kraft" in _tekst(client.get(f"/aftaler/{aftale.slug}/"))


def test_a_cached_page_does_not_outlive_the_date(offentliggjort, client, monkeypatch):
    foer = client.get(f"/aftaler/{offentliggjort.slug}/")
    assert "træder i kraft" in _tekst(foer)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: NYTAAR)
    efter = client.get(f"/aftaler/{offentliggjort.slug}/", HTTP_IF_NONE_MATCH=foer["ETag"])
    assert efter.status_code == 200 and "Nu: </span>I kraft" in _tekst(efter)
