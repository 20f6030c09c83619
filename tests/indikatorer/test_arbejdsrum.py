"""The cluster workspace /klynger/<slug>/arbejde/: who reads it, who writes local goals, constant queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aftaler.models import Proevehandling
from indikatorer import services
from indikatorer.models import LokaltMaal, LokaltMaalStatus
from organisation.choices import ForumType
from organisation.models import Moede
from sundhed.models import Haendelse
from tests.conftest import medlem
from tests.factories import ForumFactory


@pytest.fixture
def politisk(struktur):
    """A member of Klynge Et's political level (writes local goals)."""
    forum = ForumFactory(navn="Klynge Et, politisk", slug="klynge-et-pol", type=ForumType.KLYNGE_POLITISK,
                         klynge=struktur["klynge"])
    return medlem("politisk", forum)


def _url(klynge) -> str:
    return reverse("klynge-arbejde", kwargs={"slug": klynge.slug})


def _maal(klynge, bruger, titel="Færre genindlæggelser", **felter) -> LokaltMaal:
    return services.lokalt_maal_gem(bruger=bruger, klynge=klynge, titel=titel, **felter)


LAESERE = ["sekretariat", "klynge", "politisk"]
IKKE_LAESERE = ["temagruppe", "styregruppe", "kommune_a", "region", "udenforstaaende", None]


def _bruger(navn, personas, politisk):
    if navn is None:
        return None
    return politisk if navn == "politisk" else personas[navn]


@pytest.mark.django_db
@pytest.mark.parametrize("navn", LAESERE)
def test_the_clusters_members_and_the_secretariat_read_the_workspace(client, personas, politisk, struktur, navn):
    _maal(struktur["klynge"], politisk)
    client.force_login(_bruger(navn, personas, politisk))
    svar = client.get(_url(struktur["klynge"]))
    assert svar.status_code == 200
    assert "Færre genindlæggelser" in svar.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("navn", IKKE_LAESERE)
def test_everyone_else_gets_404_on_the_workspace(client, personas, politisk, struktur, navn):
    bruger = _bruger(navn, personas, politisk)
    if bruger:
        client.force_login(bruger)
    assert client.get(_url(struktur["klynge"])).status_code == 404
    assert client.post(_url(struktur["klynge"]), {"titel": "X", "status": "planlagt"}).status_code == 404
    assert not LokaltMaal.objects.exists()


@pytest.mark.django_db
def test_a_member_of_another_cluster_gets_404(client, politisk, struktur):
    client.force_login(politisk)
    assert client.get(_url(struktur["anden_klynge"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("navn", ["politisk", "sekretariat"])
def test_the_political_level_and_the_secretariat_add_a_local_goal(client, personas, politisk, struktur, navn):
    client.force_login(_bruger(navn, personas, politisk))
    svar = client.post(_url(struktur["klynge"]), {"titel": "Flere sunde år", "beskrivelse": "Lokalt",
                                                  "status": "i_gang"})
    assert svar.status_code == 302
    maal = LokaltMaal.objects.get()
    assert (maal.klynge, maal.titel, maal.status) == (struktur["klynge"], "Flere sunde år", LokaltMaalStatus.I_GANG)
    assert maal.aendret_af_navn
    assert Haendelse.objects.filter(handling="lokalt_maal_opret", objekt_id=str(maal.pk)).exists()


@pytest.mark.django_db
def test_the_administrative_level_reads_but_cannot_write(client, personas, politisk, struktur):
    maal = _maal(struktur["klynge"], politisk)
    client.force_login(personas["klynge"])
    svar = client.get(_url(struktur["klynge"]))
    assert "Tilføj et lokalt mål" not in svar.content.decode()
    assert client.post(_url(struktur["klynge"]), {"titel": "X", "status": "planlagt"}).status_code == 404
    rediger = reverse("klynge-lokalt-maal", kwargs={"slug": struktur["klynge"].slug, "pk": maal.pk})
    assert client.post(rediger, {"titel": "Ændret", "status": "naaet"}).status_code == 404
    maal.refresh_from_db()
    assert (maal.titel, LokaltMaal.objects.count()) == ("Færre genindlæggelser", 1)


@pytest.mark.django_db
def test_a_missing_title_is_shown_at_the_field_and_nothing_is_saved(client, politisk, struktur):
    client.force_login(politisk)
    svar = client.post(_url(struktur["klynge"]), {"titel": "", "status": "planlagt"})
    assert svar.status_code == 200
    assert "Skriv en titel." in svar.content.decode()
    assert not LokaltMaal.objects.exists()


@pytest.mark.django_db
def test_the_political_level_edits_a_goal(client, politisk, struktur, indikatorer):
    maal = _maal(struktur["klynge"], politisk)
    client.force_login(politisk)
    rediger = reverse("klynge-lokalt-maal", kwargs={"slug": struktur["klynge"].slug, "pk": maal.pk})
    assert client.get(rediger).status_code == 200
    svar = client.post(rediger, {"titel": "Ændret", "status": "naaet", "indikator": "andel"})
    assert svar.status_code == 302
    maal.refresh_from_db()
    assert (maal.titel, maal.status, maal.indikator.kode) == ("Ændret", "naaet", "andel")
    assert Haendelse.objects.filter(handling="lokalt_maal_aendr").exists()


@pytest.mark.django_db
def test_a_goal_of_another_cluster_cannot_be_edited_through_this_one(client, personas, politisk, struktur):
    fremmed = _maal(struktur["anden_klynge"], personas["sekretariat"])
    client.force_login(politisk)
    rediger = reverse("klynge-lokalt-maal", kwargs={"slug": struktur["klynge"].slug, "pk": fremmed.pk})
    assert client.post(rediger, {"titel": "Kapret", "status": "naaet"}).status_code == 404
    fremmed.refresh_from_db()
    assert fremmed.titel == "Færre genindlæggelser"


@pytest.mark.django_db
def test_the_cluster_page_links_to_the_workspace_only_for_its_readers(client, personas, politisk, struktur):
    side = reverse("klynge-detalje", kwargs={"slug": struktur["klynge"].slug})
    client.force_login(politisk)
    assert _url(struktur["klynge"]) in client.get(side).content.decode()
    client.force_login(personas["kommune_a"])
    assert _url(struktur["klynge"]) not in client.get(side).content.decode()
    client.logout()
    assert _url(struktur["klynge"]) not in client.get(side).content.decode()


@pytest.mark.django_db
def test_the_workspace_runs_the_same_number_of_queries_for_few_and_many_goals(
        client, politisk, struktur, indikatorer, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(politisk)
    _maal(struktur["klynge"], politisk, indikator=indikatorer["andel"])
    with CaptureQueriesContext(connection) as faa:
        assert client.get(_url(struktur["klynge"])).status_code == 200
    forum = politisk.person.medlemskaber.get().forum
    nu = timezone.now()
    for n in range(30):
        _maal(struktur["klynge"], politisk, titel=f"Mål {n}", indikator=indikatorer["rate"])
        Proevehandling.objects.create(klynge=struktur["klynge"], titel=f"Pilot {n}", slug=f"pilot-{n}")
        Moede.objects.create(forum=forum, start=nu + timedelta(days=n + 1), slut=nu + timedelta(days=n + 1, hours=2),
                             dagsorden_offentliggjort=nu)
    with django_assert_max_num_queries(len(faa.captured_queries)):
        svar = client.get(_url(struktur["klynge"]))
    assert "Mål 29" in svar.content.decode()
    assert "Pilot 29" in svar.content.decode()
