"""Issue 14 item 5: a person without an e-mail address is listed for the secretariat as unreachable, not
silently skipped; failed deliveries are listed with their last error. /arbejde/notifikationer/uden-adresse/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisation.models import Person
from sundhed import udbakke
from sundhed.models import Udbakke, UdbakkeTilstand
from sundhed.notifikationer import Modtager

pytestmark = pytest.mark.django_db

SIDE = "/arbejde/notifikationer/uden-adresse/"


def _skriv(n: int, *, start: int = 0, uden_adresse: bool = True, bruger=None) -> None:
    for i in range(start, start + n):
        udbakke.skriv(haendelse=f"test:{i}", slags="afvist_udsat", skabelon="aftaler/mail/afvist_udsat",
                      modtagere=[Modtager(email="" if uden_adresse else f"p{i}@example.dk", navn=f"Person {i}",
                                          person_id=None, bruger_id=bruger.pk if bruger else None)],
                      kontekst={}, objekt_type="aftale", objekt_id=str(i), objekt_navn=f"Aftale {i}",
                      url=f"http://testserver/arbejde/aftaler/aftale-{i}/", puf=False)


@pytest.mark.parametrize("persona", ["styregruppe", "kommune_a", "klynge", "temagruppe", "udenforstaaende"])
def test_others_get_404_and_the_page_names_no_one(client, personas, persona):
    _skriv(1)
    client.force_login(personas[persona])
    svar = client.get(SIDE)
    assert svar.status_code == 404
    assert "Person 0" not in svar.content.decode()


def test_the_anonymous_are_sent_to_the_login(client, personas):
    svar = client.get(SIDE)
    assert svar.status_code == 302 and svar["Location"].startswith("/log-ind/")


def test_the_secretariat_sees_who_could_not_be_reached_and_why(client, personas, struktur):
    a = personas["kommune_a"]
    a.email = ""
    a.save()
    Person.objects.filter(bruger=a).update(email="", part=struktur["kommune_a"])
    _skriv(1, bruger=a)  # Kommune A's secretary, without an address
    _skriv(1, start=5, uden_adresse=False)
    raekke = Udbakke.objects.get(modtager_email="p5@example.dk")
    Udbakke.objects.filter(pk=raekke.pk).update(tilstand=UdbakkeTilstand.FEJLET,
                                               sidste_fejl="SMTPRecipientsRefused: modtageren findes ikke")
    Udbakke.objects.filter(modtager_navn="Person 0").update(modtager_navn="Anna Andersen")

    client.force_login(personas["sekretariat"])
    side = client.get(SIDE).content.decode()
    assert "Uden e-mailadresse (1)" in side and "Anna Andersen" in side and "Kommune A" in side
    assert "Afvisninger og udsættelser" in side
    assert 'href="http://testserver/arbejde/aftaler/aftale-0/"' in side
    assert "Fejlede afsendelser (1)" in side
    assert "SMTPRecipientsRefused: modtageren findes ikke" in side and "p5@example.dk" in side
    # Those who were reached are not listed.
    assert Udbakke.objects.get(modtager_navn="Anna Andersen").tilstand == UdbakkeTilstand.UDEN_ADRESSE


def test_newest_first_and_paginated(client, personas):
    _skriv(60)
    client.force_login(personas["sekretariat"])
    side = client.get(SIDE).content.decode()
    assert "Uden e-mailadresse (60)" in side and "Side 1 af 2" in side
    assert side.index("Person 59") < side.index("Person 58")
    assert "Person 0<" not in side
    assert "Person 0<" in client.get(SIDE + "?side=2").content.decode()


def _antal(client) -> int:
    client.get(SIDE)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(SIDE).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_runs_the_same_number_of_queries_for_1_and_20_rows(client, personas):
    client.force_login(personas["sekretariat"])
    _skriv(1)
    _skriv(1, start=100, uden_adresse=False)
    Udbakke.objects.filter(tilstand=UdbakkeTilstand.VENTENDE).update(tilstand=UdbakkeTilstand.FEJLET)
    en = _antal(client)
    _skriv(19, start=1, bruger=personas["kommune_b"])
    _skriv(19, start=101, uden_adresse=False)
    Udbakke.objects.filter(tilstand=UdbakkeTilstand.VENTENDE).update(tilstand=UdbakkeTilstand.FEJLET)
    assert Udbakke.objects.filter(tilstand=UdbakkeTilstand.FEJLET).count() == 20
    assert _antal(client) == en


def test_the_front_page_links_the_secretariat_to_the_list_with_a_count(client, personas):
    _skriv(3)
    client.force_login(personas["sekretariat"])
    side = client.get("/arbejde/").content.decode()
    assert "3 beskeder nåede ikke frem" in side and SIDE in side
    client.force_login(personas["kommune_a"])
    assert SIDE not in client.get("/arbejde/").content.decode()
