"""Agreements dealt with at meetings: an agenda item concerns an agreement, and recording its outcome
writes the agreement's Behandling (aftaler.services.punkt_udfald_registrer)."""


import pytest
from django.utils import timezone

from aftaler import services
from aftaler.choices import Status, Udfald
from aftaler.models import Behandling, Dagsordensag, Overgang, Samarbejdsaftale
from organisation.models import MoedeStatus
from sundhed.exceptions import DomainError, IkkeTilladt
from sundhed.models import Haendelse
from tests.aftaler.conftest import OM_EN_MAANED
from tests.organisation.moeder.hjaelp import LUKKET_TITEL, lav_moede

pytestmark = pytest.mark.django_db


@pytest.fixture
def udvalgsmoede(udvalg):
    return lav_moede(udvalg, MoedeStatus.DAGSORDEN)


def _punkter(moede):
    aabent, lukket = moede.punkter.order_by("nummer")
    return aabent, lukket


def _tilstand(aftale):
    a = Samarbejdsaftale.objects.get(pk=aftale.pk)
    return (a.status, a.indstillet_dato, a.beslutningsfrist, Behandling.objects.count(), Dagsordensag.objects.count(),
            Overgang.objects.count(), Haendelse.objects.filter(handling="dagsordenpunkt").count())


def test_recording_an_outcome_writes_one_behandling_linked_to_the_item(personas, lav_aftale, struktur):
    aftale = lav_aftale()
    moede = lav_moede(struktur["fora"]["styregruppe"], MoedeStatus.DAGSORDEN)
    punkt, _ = _punkter(moede)
    foer = Behandling.objects.count()

    behandling = services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, udfald=Udfald.DROEFTET,
                                                 bruger=personas["sekretariat"], note="Godt møde")

    assert Behandling.objects.count() == foer + 1
    assert behandling.dagsordenpunkt == punkt
    assert behandling.forum == moede.forum
    assert behandling.dato == timezone.localtime(moede.start).date()
    assert behandling.udfald == Udfald.DROEFTET
    assert punkt.sag.aftale == aftale
    assert list(aftale.dagsordenpunkter.all()) == [punkt.sag]


def test_linking_without_an_outcome_writes_no_behandling(personas, lav_aftale, udvalgsmoede):
    aftale = lav_aftale()
    punkt, _ = _punkter(udvalgsmoede)
    assert services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, bruger=personas["sekretariat"]) is None
    assert Behandling.objects.filter(dagsordenpunkt=punkt).count() == 0
    assert Dagsordensag.objects.get(punkt=punkt).aftale == aftale


def test_anbefalet_by_the_committee_is_the_recommendation(personas, lav_aftale, udvalgsmoede):
    aftale = lav_aftale()
    punkt, _ = _punkter(udvalgsmoede)

    services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, udfald=Udfald.ANBEFALET,
                                    bruger=personas["sekretariat"], beslutningsfrist=OM_EN_MAANED)

    aftale.refresh_from_db()
    assert aftale.status == Status.INDSTILLET
    assert aftale.beslutningsfrist == OM_EN_MAANED
    assert aftale.indstillet_dato == timezone.localtime(udvalgsmoede.start).date()
    behandling = Behandling.objects.get(dagsordenpunkt=punkt)
    assert behandling.udfald == Udfald.ANBEFALET and behandling.forum == udvalgsmoede.forum


def test_anbefalet_by_the_committee_needs_a_deadline_and_changes_nothing_without(personas, lav_aftale, udvalgsmoede):
    aftale = lav_aftale()
    punkt, _ = _punkter(udvalgsmoede)
    foer = _tilstand(aftale)
    with pytest.raises(DomainError) as fejl:
        services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, udfald=Udfald.ANBEFALET,
                                        bruger=personas["sekretariat"])
    assert fejl.value.field == "beslutningsfrist"
    assert _tilstand(aftale) == foer


@pytest.mark.parametrize("persona", ["temagruppe", "styregruppe", "klynge", "kommune_a", "region",
                                     "udenforstaaende"])
def test_those_who_may_not_change_nothing(personas, lav_aftale, udvalgsmoede, persona):
    aftale = lav_aftale()
    punkt, _ = _punkter(udvalgsmoede)
    foer = _tilstand(aftale)
    with pytest.raises(IkkeTilladt):
        services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, udfald=Udfald.ANBEFALET,
                                        bruger=personas[persona], beslutningsfrist=OM_EN_MAANED)
    assert _tilstand(aftale) == foer


def test_the_forums_own_secretary_plans_but_may_not_record_behandlinger(personas, lav_aftale, struktur):
    from organisation.choices import Rolle
    from tests.conftest import medlem

    styregruppe = struktur["fora"]["styregruppe"]
    sekretaer = medlem("forumsekretaer", styregruppe, Rolle.SEKRETAER)
    aftale = lav_aftale()
    punkt, _ = _punkter(lav_moede(styregruppe, MoedeStatus.DAGSORDEN))
    foer = _tilstand(aftale)
    with pytest.raises(IkkeTilladt):
        services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, udfald=Udfald.DROEFTET, bruger=sekretaer)
    assert _tilstand(aftale) == foer


def test_an_item_has_one_outcome(personas, lav_aftale, struktur):
    aftale = lav_aftale()
    punkt, _ = _punkter(lav_moede(struktur["fora"]["styregruppe"], MoedeStatus.DAGSORDEN))
    sek = personas["sekretariat"]
    services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, udfald=Udfald.DROEFTET, bruger=sek)
    foer = _tilstand(aftale)
    with pytest.raises(DomainError) as fejl:
        services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, udfald=Udfald.TILTRAADT, bruger=sek)
    assert fejl.value.field == "udfald"
    andet = lav_aftale(titel="En anden aftale")
    with pytest.raises(DomainError) as fejl:
        services.punkt_udfald_registrer(punkt=punkt, aftale=andet, bruger=sek)
    assert fejl.value.field == "aftale"
    assert _tilstand(aftale) == foer


def test_an_unknown_outcome_and_a_cancelled_meeting_are_refused(personas, lav_aftale, udvalg):
    aftale = lav_aftale()
    sek = personas["sekretariat"]
    punkt, _ = _punkter(lav_moede(udvalg, MoedeStatus.DAGSORDEN))
    foer = _tilstand(aftale)
    with pytest.raises(DomainError) as fejl:
        services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, udfald="vedtaget", bruger=sek)
    assert fejl.value.field == "udfald"
    aflyst, _ = _punkter(lav_moede(udvalg, MoedeStatus.AFLYST, titel="Aflyst møde"))
    with pytest.raises(DomainError):
        services.punkt_udfald_registrer(punkt=aflyst, aftale=aftale, udfald=Udfald.DROEFTET, bruger=sek)
    assert _tilstand(aftale) == foer


# --- API ------------------------------------------------------------------------------------------


def _klient(user=None):
    from rest_framework.test import APIClient

    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def _offentlig_aftale(lav_aftale):
    return lav_aftale(Status.I_KRAFT, titel="Offentlig aftale om genoptræning")


def test_the_api_adds_an_item_about_an_agreement_with_its_outcome(personas, lav_aftale, udvalgsmoede):
    aftale = lav_aftale()
    svar = _klient(personas["sekretariat"]).post(
        f"/api/v1/moeder/{udvalgsmoede.pk}/punkter/",
        {"titel": "Aftale til indstilling", "aftale": aftale.slug, "udfald": "anbefalet",
         "beslutningsfrist": OM_EN_MAANED.isoformat()}, format="json")
    assert svar.status_code == 201, svar.json()
    assert svar.json()["aftale"] == aftale.slug and svar.json()["udfald"] == "anbefalet"
    aftale.refresh_from_db()
    assert aftale.status == Status.INDSTILLET
    punkter = _klient(personas["sekretariat"]).get(f"/api/v1/moeder/{udvalgsmoede.pk}/punkter/").json()
    assert (punkter[-1]["titel"], punkter[-1]["aftale"], punkter[-1]["udfald"]) == (
        "Aftale til indstilling", aftale.slug, "anbefalet")
    assert "aftale" not in punkter[0] and "udfald" not in punkter[0]


def test_the_api_refuses_a_bad_agreement_or_outcome_and_saves_nothing(personas, lav_aftale, udvalgsmoede):
    aftale = lav_aftale()
    c = _klient(personas["sekretariat"])
    antal = udvalgsmoede.punkter.count()
    for data, felt in [({"aftale": "findes-ikke"}, "aftale"), ({"udfald": "droeftet"}, "aftale"),
                       ({"aftale": aftale.slug, "udfald": "vedtaget"}, "udfald"),
                       ({"aftale": aftale.slug, "udfald": "anbefalet"}, "beslutningsfrist")]:
        svar = c.post(f"/api/v1/moeder/{udvalgsmoede.pk}/punkter/", {"titel": "Nyt punkt", **data}, format="json")
        assert svar.status_code == 400 and felt in svar.json(), (data, svar.json())
    assert udvalgsmoede.punkter.count() == antal
    assert Behandling.objects.filter(dagsordenpunkt__moede=udvalgsmoede).count() == 0
    assert Dagsordensag.objects.count() == 0


def test_the_api_refuses_a_planner_who_may_not_record_behandlinger(personas, lav_aftale, struktur):
    from organisation.choices import Rolle
    from tests.conftest import medlem

    styregruppe = struktur["fora"]["styregruppe"]
    sekretaer = medlem("forumsekretaer", styregruppe, Rolle.SEKRETAER)
    aftale = _offentlig_aftale(lav_aftale)
    moede = lav_moede(styregruppe, MoedeStatus.DAGSORDEN)
    antal = moede.punkter.count()
    svar = _klient(sekretaer).post(f"/api/v1/moeder/{moede.pk}/punkter/",
                                   {"titel": "Nyt punkt", "aftale": aftale.slug, "udfald": "droeftet"}, format="json")
    assert svar.status_code == 403
    assert moede.punkter.count() == antal and Dagsordensag.objects.count() == 0


def test_the_public_never_sees_the_agreement_of_a_closed_item_in_the_api(personas, lav_aftale, udvalgsmoede):
    aftale = _offentlig_aftale(lav_aftale)
    aabent, lukket = _punkter(udvalgsmoede)
    sek = personas["sekretariat"]
    services.punkt_udfald_registrer(punkt=aabent, aftale=aftale, udfald=Udfald.DROEFTET, bruger=sek)
    services.punkt_udfald_registrer(punkt=lukket, aftale=aftale, udfald=Udfald.TILTRAADT, bruger=sek)
    svar = _klient().get(f"/api/v1/moeder/{udvalgsmoede.pk}/punkter/")
    assert svar.status_code == 200
    aaben_data, lukket_data = svar.json()
    assert (aaben_data["aftale"], aaben_data["udfald"]) == (aftale.slug, "droeftet")
    assert "aftale" not in lukket_data and "udfald" not in lukket_data
    assert LUKKET_TITEL not in svar.content.decode()
    intern = _klient(sek).get(f"/api/v1/moeder/{udvalgsmoede.pk}/punkter/").json()
    assert intern[1]["aftale"] == aftale.slug and intern[1]["udfald"] == "tiltraadt"


def test_the_public_does_not_see_the_slug_of_a_draft(personas, lav_aftale, udvalgsmoede):
    aabent, _ = _punkter(udvalgsmoede)
    services.punkt_udfald_registrer(punkt=aabent, aftale=lav_aftale(), bruger=personas["sekretariat"])
    assert "aftale" not in _klient().get(f"/api/v1/moeder/{udvalgsmoede.pk}/punkter/").json()[0]


def test_the_items_api_runs_the_same_queries_for_one_item_and_many(personas, lav_aftale, udvalg,
                                                                    django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from organisation import moeder_services

    aftale = _offentlig_aftale(lav_aftale)
    sek = personas["sekretariat"]
    moede = lav_moede(udvalg, MoedeStatus.DAGSORDEN)
    url = f"/api/v1/moeder/{moede.pk}/punkter/"
    services.punkt_udfald_registrer(punkt=moede.punkter.first(), aftale=aftale, udfald=Udfald.DROEFTET, bruger=sek)
    with CaptureQueriesContext(connection) as faa:
        _klient().get(url)
    for i in range(10):
        punkt = moeder_services.punkt_opret(moede=moede, bruger=None, titel=f"Punkt {i}")
        services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, udfald=Udfald.TILTRAADT, bruger=sek)
    with django_assert_max_num_queries(len(faa.captured_queries)):
        assert len(_klient().get(url).json()) == 12


# --- pages ----------------------------------------------------------------------------------------


def _side(user=None):
    from django.test import Client

    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_the_staff_item_page_records_the_outcome_from_the_item(personas, lav_aftale, udvalgsmoede):
    aftale = lav_aftale()
    punkt, _ = _punkter(udvalgsmoede)
    c = _side(personas["sekretariat"])
    side = c.get(f"/arbejde/moeder/{udvalgsmoede.pk}/punkter/{punkt.pk}/")
    assert side.status_code == 200 and f'action="/arbejde/moeder/{udvalgsmoede.pk}/punkter/{punkt.pk}/sag/"' in \
        side.content.decode()
    svar = c.post(f"/arbejde/moeder/{udvalgsmoede.pk}/punkter/{punkt.pk}/sag/",
                  {"aftale": aftale.slug, "udfald": "anbefalet", "beslutningsfrist": OM_EN_MAANED.isoformat()})
    assert svar.status_code == 302
    aftale.refresh_from_db()
    assert aftale.status == Status.INDSTILLET
    efter = c.get(f"/arbejde/moeder/{udvalgsmoede.pk}/punkter/{punkt.pk}/").content.decode()
    assert "Anbefalet" in efter and aftale.titel in efter and "/sag/" not in efter


def test_the_staff_form_shows_the_services_message_and_changes_nothing(personas, lav_aftale, udvalgsmoede):
    aftale = lav_aftale()
    punkt, _ = _punkter(udvalgsmoede)
    foer = _tilstand(aftale)
    svar = _side(personas["sekretariat"]).post(f"/arbejde/moeder/{udvalgsmoede.pk}/punkter/{punkt.pk}/sag/",
                                               {"aftale": aftale.slug, "udfald": "anbefalet"})
    assert svar.status_code == 400 and "Frist for rådenes beslutninger" in svar.content.decode()
    assert _tilstand(aftale) == foer


@pytest.mark.parametrize("persona", ["styregruppe", "kommune_a", "udenforstaaende", None])
def test_others_get_404_from_the_staff_form_and_change_nothing(personas, lav_aftale, udvalgsmoede, persona):
    aftale = lav_aftale()
    punkt, _ = _punkter(udvalgsmoede)
    foer = _tilstand(aftale)
    svar = _side(personas.get(persona)).post(f"/arbejde/moeder/{udvalgsmoede.pk}/punkter/{punkt.pk}/sag/",
                                             {"aftale": aftale.slug, "udfald": "droeftet"})
    assert svar.status_code in (302, 404) if persona is None else svar.status_code == 404
    assert _tilstand(aftale) == foer


def test_the_public_meeting_page_links_an_open_item_and_never_a_closed_one(personas, lav_aftale, udvalgsmoede):
    aftale = _offentlig_aftale(lav_aftale)
    hemmelig = lav_aftale(Status.I_KRAFT, titel="Aftale om noget fortroligt ZYXXY")
    aabent, lukket = _punkter(udvalgsmoede)
    sek = personas["sekretariat"]
    services.punkt_udfald_registrer(punkt=aabent, aftale=aftale, udfald=Udfald.DROEFTET, bruger=sek)
    services.punkt_udfald_registrer(punkt=lukket, aftale=hemmelig, udfald=Udfald.TILTRAADT, bruger=sek)
    side = _side().get(f"/moeder/{udvalgsmoede.pk}/").content.decode()
    assert f'href="/aftaler/{aftale.slug}/"' in side
    assert hemmelig.slug not in side and "ZYXXY" not in side and LUKKET_TITEL not in side


def test_the_agreement_pages_link_the_item_it_was_dealt_with_at(personas, lav_aftale, udvalgsmoede):
    aftale = _offentlig_aftale(lav_aftale)
    aabent, lukket = _punkter(udvalgsmoede)
    sek = personas["sekretariat"]
    services.punkt_udfald_registrer(punkt=aabent, aftale=aftale, udfald=Udfald.DROEFTET, bruger=sek)
    anker = f'href="/moeder/{udvalgsmoede.pk}/#punkt-{aabent.nummer}"'
    assert anker in _side().get(f"/aftaler/{aftale.slug}/").content.decode()
    assert anker in _side(sek).get(f"/arbejde/aftaler/{aftale.slug}/").content.decode()


def test_the_public_agreement_page_does_not_link_a_closed_item(personas, lav_aftale, udvalgsmoede):
    aftale = _offentlig_aftale(lav_aftale)
    _, lukket = _punkter(udvalgsmoede)
    services.punkt_udfald_registrer(punkt=lukket, aftale=aftale, udfald=Udfald.TILTRAADT,
                                    bruger=personas["sekretariat"])
    side = _side().get(f"/aftaler/{aftale.slug}/").content.decode()
    assert "Tiltrådt" in side and f"/moeder/{udvalgsmoede.pk}/" not in side


def _antal(c, url) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # the public agreement page is cached: count a full render each time
    with CaptureQueriesContext(connection) as q:
        assert c.get(url).status_code == 200
    return len(q.captured_queries)


def test_the_changed_pages_run_a_constant_number_of_queries(personas, lav_aftale, udvalg):
    from organisation import moeder_services

    sek = personas["sekretariat"]
    aftale = _offentlig_aftale(lav_aftale)
    moede = lav_moede(udvalg, MoedeStatus.DAGSORDEN)
    punkt = moede.punkter.first()
    services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, udfald=Udfald.DROEFTET, bruger=sek)
    sider = [(_side(), f"/moeder/{moede.pk}/"), (_side(sek), f"/moeder/{moede.pk}/"),
             (_side(), f"/aftaler/{aftale.slug}/"), (_side(sek), f"/arbejde/aftaler/{aftale.slug}/"),
             (_side(sek), f"/arbejde/moeder/{moede.pk}/punkter/{punkt.pk}/")]
    for c, url in sider:  # warm caches and prepared reads
        c.get(url)
    foer = [_antal(c, url) for c, url in sider]
    for i in range(8):
        andet = lav_aftale(Status.I_KRAFT, titel=f"Aftale nummer {i}")
        p = moeder_services.punkt_opret(moede=moede, bruger=None, titel=f"Punkt {i}")
        services.punkt_udfald_registrer(punkt=p, aftale=andet, udfald=Udfald.TILTRAADT, bruger=sek)
        extra = moeder_services.punkt_opret(moede=lav_moede(udvalg, MoedeStatus.DAGSORDEN, titel=f"Møde {i}"),
                                            bruger=None, titel="Igen")
        services.punkt_udfald_registrer(punkt=extra, aftale=aftale, udfald=Udfald.DROEFTET, bruger=sek)
    assert [_antal(c, url) for c, url in sider] == foer
