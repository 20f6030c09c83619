"""GET|POST /api/v1/klynger/<slug>/maal/ and GET|PATCH .../<id>/: members read, the political level and the
secretariat write, outsiders get 404; refusals change nothing; errors are Danish and name the field."""

import pytest
from rest_framework.test import APIClient

from aftaler.models import Maalsaetning, Sundhedsaftale
from indikatorer import services
from indikatorer.models import LokaltMaal
from organisation.choices import ForumType
from tests.conftest import medlem
from tests.factories import ForumFactory


@pytest.fixture
def politisk(struktur):
    forum = ForumFactory(navn="Klynge Et, politisk", slug="klynge-et-pol", type=ForumType.KLYNGE_POLITISK,
                         klynge=struktur["klynge"])
    return medlem("politisk", forum)


def _klient(bruger=None) -> APIClient:
    klient = APIClient()
    if bruger is not None:
        klient.force_authenticate(bruger)
    return klient


def _url(slug: str, pk: int | None = None) -> str:
    return f"/api/v1/klynger/{slug}/maal/" + (f"{pk}/" if pk else "")


@pytest.fixture
def maalsaetning(db):
    aftale = Sundhedsaftale.objects.create(titel="Sundhedsaftalen", slug="sa", periode_fra=2019, periode_til=2023)
    return Maalsaetning.objects.create(sundhedsaftale=aftale, tekst="Flere sunde leveår")


@pytest.mark.django_db
@pytest.mark.parametrize("navn", ["sekretariat", "klynge", "politisk"])
def test_members_and_the_secretariat_list_the_goals(personas, politisk, struktur, navn):
    services.lokalt_maal_gem(bruger=politisk, klynge=struktur["klynge"], titel="Mål A")
    bruger = politisk if navn == "politisk" else personas[navn]
    svar = _klient(bruger).get(_url("klynge-et"))
    assert svar.status_code == 200
    assert [m["titel"] for m in svar.json()] == ["Mål A"]


@pytest.mark.django_db
@pytest.mark.parametrize("navn", ["temagruppe", "kommune_a", "region", "udenforstaaende", None])
def test_outsiders_get_404_and_change_nothing(personas, politisk, struktur, navn):
    maal = services.lokalt_maal_gem(bruger=politisk, klynge=struktur["klynge"], titel="Mål A")
    klient = _klient(personas[navn] if navn else None)
    assert klient.get(_url("klynge-et")).status_code == 404
    assert klient.get(_url("klynge-et", maal.pk)).status_code == 404
    if navn:
        assert klient.post(_url("klynge-et"), {"titel": "X"}, format="json").status_code == 404
        assert klient.patch(_url("klynge-et", maal.pk), {"titel": "X"}, format="json").status_code == 404
    else:
        assert klient.post(_url("klynge-et"), {"titel": "X"}, format="json").status_code == 401
    maal.refresh_from_db()
    assert (LokaltMaal.objects.count(), maal.titel) == (1, "Mål A")


@pytest.mark.django_db
def test_the_administrative_level_may_not_write(personas, politisk, struktur):
    maal = services.lokalt_maal_gem(bruger=politisk, klynge=struktur["klynge"], titel="Mål A")
    klient = _klient(personas["klynge"])
    svar = klient.post(_url("klynge-et"), {"titel": "X"}, format="json")
    assert svar.status_code == 403
    assert "politiske niveau" in svar.json()["detail"]
    assert klient.patch(_url("klynge-et", maal.pk), {"titel": "X"}, format="json").status_code == 403
    maal.refresh_from_db()
    assert (LokaltMaal.objects.count(), maal.titel) == (1, "Mål A")


@pytest.mark.django_db
@pytest.mark.parametrize("navn", ["politisk", "sekretariat"])
def test_the_political_level_and_the_secretariat_create_a_goal(personas, politisk, struktur, indikatorer,
                                                               maalsaetning, navn):
    bruger = politisk if navn == "politisk" else personas[navn]
    svar = _klient(bruger).post(_url("klynge-et"), {
        "titel": "Færre genindlæggelser", "beskrivelse": "Lokalt", "maalsaetning": maalsaetning.pk,
        "indikator": "andel", "status": "i_gang"}, format="json")
    assert svar.status_code == 201, svar.json()
    data = svar.json()
    assert (data["klynge"], data["indikator"], data["maalsaetning"], data["status"], data["status_navn"]) == (
        "klynge-et", "andel", maalsaetning.pk, "i_gang", "I gang")
    maal = LokaltMaal.objects.get()
    assert (maal.klynge, maal.indikator.kode) == (struktur["klynge"], "andel")


@pytest.mark.django_db
def test_the_political_level_patches_a_goal(politisk, struktur):
    maal = services.lokalt_maal_gem(bruger=politisk, klynge=struktur["klynge"], titel="Mål A")
    svar = _klient(politisk).patch(_url("klynge-et", maal.pk), {"status": "naaet"}, format="json")
    assert svar.status_code == 200, svar.json()
    maal.refresh_from_db()
    assert (maal.titel, maal.status) == ("Mål A", "naaet")


@pytest.mark.django_db
@pytest.mark.parametrize(("felter", "felt", "besked"), [
    ({"titel": ""}, "titel", "Skriv en titel."),
    ({"titel": "X", "indikator": "findes-ikke"}, "indikator", "Indikatoren findes ikke."),
    ({"titel": "X", "maalsaetning": 999999}, "maalsaetning", "Målsætningen findes ikke."),
    ({"titel": "X", "status": "faerdig"}, "status", "Ukendt status"),
])
def test_errors_are_danish_and_name_the_field(politisk, struktur, felter, felt, besked):
    svar = _klient(politisk).post(_url("klynge-et"), felter, format="json")
    assert svar.status_code == 400
    assert besked in svar.json()[felt][0]
    assert not LokaltMaal.objects.exists()


@pytest.mark.django_db
def test_a_goal_of_another_cluster_is_404_through_this_one(personas, politisk, struktur):
    fremmed = services.lokalt_maal_gem(bruger=personas["sekretariat"], klynge=struktur["anden_klynge"], titel="B")
    klient = _klient(politisk)
    assert klient.get(_url("klynge-et", fremmed.pk)).status_code == 404
    assert klient.patch(_url("klynge-et", fremmed.pk), {"titel": "X"}, format="json").status_code == 404
    assert klient.get(_url("klynge-to")).status_code == 404
    fremmed.refresh_from_db()
    assert fremmed.titel == "B"


@pytest.mark.django_db
def test_the_list_runs_the_same_number_of_queries_for_few_and_many(politisk, struktur, indikatorer,
                                                                   django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.lokalt_maal_gem(bruger=politisk, klynge=struktur["klynge"], titel="Mål", indikator=indikatorer["andel"])
    klient = _klient(politisk)
    with CaptureQueriesContext(connection) as faa:
        klient.get(_url("klynge-et"))
    for n in range(20):
        services.lokalt_maal_gem(bruger=politisk, klynge=struktur["klynge"], titel=f"Mål {n}",
                                 indikator=indikatorer["rate"])
    with django_assert_max_num_queries(len(faa.captured_queries)):
        assert len(klient.get(_url("klynge-et")).json()) == 21


# --- the demo ---------------------------------------------------------------------------------


@pytest.fixture
def demodata(db, settings):
    from io import StringIO

    from django.core.management import call_command

    call_command("demo", "--force", stdout=StringIO())


def test_the_demo_gives_every_cluster_local_goals_and_politisk_horsens_writes_only_horsensklyngens(demodata):
    from django.contrib.auth import get_user_model

    from organisation.models import Klynge

    assert all(LokaltMaal.objects.filter(klynge=k).count() >= 2 for k in Klynge.objects.all())
    bruger = get_user_model().objects.get(username="politisk-horsens")
    klient = _klient(bruger)
    assert klient.get(_url("horsensklyngen")).status_code == 200
    svar = klient.post(_url("horsensklyngen"), {"titel": "Demo-mål"}, format="json")
    assert svar.status_code == 201, svar.json()
    assert klient.get(_url("aarhusklyngen")).status_code == 404
    assert klient.post(_url("aarhusklyngen"), {"titel": "Demo-mål"}, format="json").status_code == 404
    assert not LokaltMaal.objects.filter(klynge__slug="aarhusklyngen", titel="Demo-mål").exists()
