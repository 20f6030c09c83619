"""iCal, parsed back with `icalendar`: one VEVENT per public meeting, a UID that survives edits, SEQUENCE
raised on every change, STATUS:CANCELLED, Europe/Copenhagen times with their VTIMEZONE, no agenda item."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from organisation import moeder_services as services
from organisation.models import MoedeStatus
from organisation.moedeforloeb import Handling
from tests.organisation.moeder.hjaelp import (
    LUKKET_TEKST,
    LUKKET_TITEL,
    lav_moede,
)

pytestmark = pytest.mark.django_db


def hent(url: str) -> Calendar:
    svar = Client().get(url)
    assert svar.status_code == 200
    assert svar["Content-Type"].startswith("text/calendar")
    assert LUKKET_TITEL.encode() not in svar.content and LUKKET_TEKST.encode() not in svar.content
    return Calendar.from_ical(svar.content)


def begivenheder(cal: Calendar) -> list:
    return list(cal.walk("VEVENT"))


def test_the_forum_calendar_has_one_event_per_public_meeting(moedefora):
    forum = moedefora["udvalg"]
    offentligt = lav_moede(forum, MoedeStatus.DAGSORDEN, dage=5)
    aflyst = lav_moede(forum, MoedeStatus.AFLYST, dage=6)
    lav_moede(forum, MoedeStatus.PLANLAGT, dage=7)

    cal = hent(reverse("forum-moeder-ical", args=[forum.slug]))

    uids = {str(ev["UID"]): ev for ev in begivenheder(cal)}
    assert set(uids) == {f"moede-{offentligt.pk}@sundhedssamarbejdet", f"moede-{aflyst.pk}@sundhedssamarbejdet"}
    assert str(uids[f"moede-{aflyst.pk}@sundhedssamarbejdet"]["STATUS"]) == "CANCELLED"
    assert str(uids[f"moede-{offentligt.pk}@sundhedssamarbejdet"]["STATUS"]) == "CONFIRMED"


def test_times_are_in_copenhagen_with_a_vtimezone(moedefora):
    moede = lav_moede(moedefora["udvalg"], MoedeStatus.DAGSORDEN, dage=5)

    cal = hent(reverse("moede-ical", args=[moede.pk]))

    ev = begivenheder(cal)[0]
    assert ev["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert ev.decoded("DTSTART") == moede.start
    assert ev.decoded("DTEND") == moede.slut
    assert ev.decoded("DTSTART").utcoffset() == moede.start.astimezone(ZoneInfo("Europe/Copenhagen")).utcoffset()
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    assert str(ev["SUMMARY"]) == "Sundhedssamarbejdsudvalget: Ordinært møde"
    assert str(ev["LOCATION"]) == "Regionshuset"
    assert str(ev["URL"]).endswith(reverse("moede-detalje", args=[moede.pk]))


def test_the_uid_stays_and_the_sequence_rises_on_every_change_until_cancelled(alle, moedefora):
    moede = lav_moede(moedefora["udvalg"], MoedeStatus.DAGSORDEN, dage=5)
    url = reverse("moede-ical", args=[moede.pk])
    foer = begivenheder(hent(url))[0]

    time = datetime.timedelta(hours=1)
    services.moede_rediger(moede=moede, bruger=alle["sekretariat"], sted="Et andet sted",
                           start=moede.start + time, slut=moede.slut + time)
    flyttet = begivenheder(hent(url))[0]
    services.moede_overgang(moede=moede, bruger=alle["sekretariat"], handling=Handling.AFLYS)
    aflyst = begivenheder(hent(url))[0]

    assert str(foer["UID"]) == str(flyttet["UID"]) == str(aflyst["UID"])
    assert int(foer["SEQUENCE"]) < int(flyttet["SEQUENCE"]) < int(aflyst["SEQUENCE"])
    assert str(flyttet["LOCATION"]) == "Et andet sted"
    assert str(aflyst["STATUS"]) == "CANCELLED"


def test_a_planned_meetings_calendar_is_404_for_the_public(moedefora):
    moede = lav_moede(moedefora["udvalg"], MoedeStatus.PLANLAGT, dage=5)
    assert Client().get(reverse("moede-ical", args=[moede.pk])).status_code == 404
