"""A structure change run by an administrator (issue 10): the 2027 reform as data, never as code.

A cluster and its administrative level end on 31 December 2026; a sundhedsråd (area + forum,
preparatory in 2026) takes over on 1 January 2027. The change is previewed, run once, refused a
second time, deletes nothing, carries the implementation rows over, and capabilities follow.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftaler.choices import ImplementeringStatus, Status, Udfald
from aftaler.models import Implementering
from aftaler.workflow import Handling
from organisation import services as org_services
from organisation.choices import ForumType, KlyngeArt, Rolle
from organisation.models import Forum, Indstillingsret, Klynge, Medlemskab, Ophoer, Strukturaendring
from organisation.strukturaendring import Afloesning, strukturaendring_planlaeg, strukturaendring_udfoer
from sundhed import permissions
from sundhed.exceptions import DomainError
from sundhed.models import Haendelse
from tests.conftest import medlem
from tests.factories import ForumFactory, KlyngeFactory

REFORM = datetime.date(2027, 1, 1)
FOER = datetime.date(2026, 6, 1)
EFTER = datetime.date(2027, 2, 1)
URL = reverse("arbejde:strukturaendring-ny")


@pytest.fixture
def raad(struktur, personas):
    """Sundhedsråd Et: the area succeeding Klynge Et and its forum, preparatory from 2026, with a member."""
    k = struktur["klynge"]
    omraade = KlyngeFactory(navn="Sundhedsråd Et", slug="sundhedsraad-et", art=KlyngeArt.SUNDHEDSRAAD,
                            valid_from=REFORM, kommuner=list(k.kommuner.all()), akuthospital=k.akuthospital)
    forum = ForumFactory(navn="Sundhedsråd Et", slug="sundhedsraad-et", type=ForumType.SUNDHEDSRAAD, klynge=omraade,
                         valid_from=REFORM, forberedende_fra=datetime.date(2026, 1, 1))
    bruger = medlem("raadsmedlem", forum)
    m = Medlemskab.objects.get(person__bruger=bruger)
    m.valid_from = datetime.date(2026, 1, 1)
    m.save()
    return {"omraade": omraade, "forum": forum, "bruger": bruger}


@pytest.fixture
def i_kraft(lav_aftale, struktur):
    """A regional agreement in force whose implementation in Klynge Et is under way."""
    aftale = lav_aftale(Status.I_KRAFT)
    Implementering.objects.filter(aftale=aftale, klynge=struktur["klynge"]).update(
        status=ImplementeringStatus.I_GANG, note="Visitationen er i gang i Kommune A.")
    return aftale


def _afloesninger(struktur, raad):
    return [Afloesning(struktur["klynge"], (raad["omraade"],)),
            Afloesning(struktur["fora"]["klynge_adm"], (raad["forum"],))]


def _antal() -> dict[str, int]:
    """Rows in every table of the structure and the agreements: nothing may be deleted."""
    return {m._meta.label: m.objects.count() for app in ("organisation", "aftaler") for m in
            apps.get_app_config(app).get_models()}


def test_preview_lists_what_will_happen_and_writes_nothing(struktur, personas, raad, i_kraft):
    foer = _antal()
    plan = strukturaendring_planlaeg(dato=REFORM, afloesninger=_afloesninger(struktur, raad))

    assert plan.sidste_dag == datetime.date(2026, 12, 31)
    assert {o.navn for o in plan.ophoerer} == {"Klynge Et", "Klynge Et, administrativt"}
    assert [m.person.navn for m in plan.medlemskaber] == ["klynge"]
    (overskrift, linjer), = plan.videreforsler
    assert overskrift == "Implementering af samarbejdsaftaler"
    assert linjer == [f"{i_kraft.titel}: Klynge Et (i gang) fortsætter som Sundhedsråd Et"]
    assert {(r.bruger, r.omfang) for r in plan.mister} >= {("klynge", "Klynge Et")}
    assert {(r.bruger, r.kapabilitet, r.omfang) for r in plan.faar} >= {
        ("raadsmedlem", "Registrere implementeringsstatus", "Sundhedsråd Et")}
    assert _antal() == foer


def test_running_ends_the_bodies_carries_implementation_over_and_deletes_nothing(struktur, personas, raad, i_kraft):
    foer = _antal()
    aendring = strukturaendring_udfoer(dato=REFORM, afloesninger=_afloesninger(struktur, raad),
                                       bruger=personas["sekretariat"], beskrivelse="Sundhedsreformen")

    klynge = Klynge.objects.get(pk=struktur["klynge"].pk)
    niveau = Forum.objects.get(pk=struktur["fora"]["klynge_adm"].pk)
    assert klynge.valid_to == niveau.valid_to == datetime.date(2026, 12, 31)
    assert list(klynge.efterfoelgere.all()) == [raad["omraade"]]
    assert list(raad["forum"].forgaengere.all()) == [niveau]
    assert Medlemskab.objects.get(person__bruger=personas["klynge"]).valid_to == datetime.date(2026, 12, 31)

    gammel = Implementering.objects.get(aftale=i_kraft, klynge=klynge)
    ny = Implementering.objects.get(aftale=i_kraft, klynge=raad["omraade"])
    assert (ny.forgaenger, ny.fortsat_fra, ny.status, ny.note) == (
        gammel, REFORM, ImplementeringStatus.I_GANG, "Visitationen er i gang i Kommune A.")
    assert gammel.status == ImplementeringStatus.I_GANG  # the history stays as it was

    # One audit record of the whole change, and nothing deleted (only added).
    assert aendring.udfoert_af == personas["sekretariat"]
    assert aendring.plan["videreforsler"][0]["linjer"]
    assert Haendelse.objects.filter(handling="strukturaendring", objekt_id=str(aendring.pk)).count() == 1
    efter = _antal()
    assert all(efter[navn] >= antal for navn, antal in foer.items())
    assert efter["organisation.Ophoer"] == 2


def test_the_same_change_twice_is_refused_and_changes_nothing(struktur, personas, raad, i_kraft):
    strukturaendring_udfoer(dato=REFORM, afloesninger=_afloesninger(struktur, raad), bruger=personas["sekretariat"])
    foer = _antal()
    with pytest.raises(DomainError, match="allerede afløst ved strukturændringen"):
        strukturaendring_udfoer(dato=REFORM, afloesninger=_afloesninger(struktur, raad),
                                bruger=personas["sekretariat"])
    assert _antal() == foer
    assert Strukturaendring.objects.count() == 1


@pytest.mark.parametrize(("aendre", "fejl"), [
    (lambda s, r: [Afloesning(s["klynge"], (r["omraade"],))], "skal også dens fora ophøre"),
    (lambda s, r: [Afloesning(s["fora"]["klynge_adm"], (r["omraade"],))], "af samme slags"),
    (lambda s, r: [], "mindst ét organ"),
])
def test_a_change_that_would_leave_the_structure_inconsistent_is_refused(struktur, personas, raad, aendre, fejl):
    with pytest.raises(DomainError, match=fejl):
        strukturaendring_planlaeg(dato=REFORM, afloesninger=aendre(struktur, raad))


def test_a_successor_not_in_force_on_the_date_is_refused(struktur, personas, raad):
    with pytest.raises(DomainError, match="er ikke i kraft 31. december 2026"):
        strukturaendring_planlaeg(dato=datetime.date(2026, 12, 31), afloesninger=_afloesninger(struktur, raad))


def test_capabilities_follow_memberships_before_and_after_the_change(struktur, personas, raad, i_kraft):
    """The permission matrix on a date before and after the change, for the cluster member, the
    sundhedsråd member (preparatory in 2026) and an outsider."""
    strukturaendring_udfoer(dato=REFORM, afloesninger=_afloesninger(struktur, raad), bruger=personas["sekretariat"])
    klynge, omraade = struktur["klynge"], raad["omraade"]
    koder = ["laese_klynge_internt", "registrere_implementering", "besvare_hoering_klynge", "redigere_lokale_maal"]

    def kan(bruger, dato):
        permissions.synkroniser_bruger(bruger, dato)
        return {(kode, obj.slug) for kode in koder for obj in (klynge, omraade) if permissions.har(bruger, kode, obj)}

    assert kan(personas["klynge"], FOER) == {(k, "klynge-et") for k in koder[:3]}
    assert kan(personas["klynge"], EFTER) == set()
    assert kan(raad["bruger"], FOER) == set()  # preparatory: no powers yet
    assert kan(raad["bruger"], EFTER) == {(k, "sundhedsraad-et") for k in koder}
    assert kan(personas["kommune_a"], EFTER) == set()


def test_an_agreement_published_after_the_change_ran_is_implemented_by_the_successor(
        struktur, personas, raad, lav_aftale):
    strukturaendring_udfoer(dato=REFORM, afloesninger=_afloesninger(struktur, raad), bruger=personas["sekretariat"])
    aftale = lav_aftale(Status.I_KRAFT)  # in force today, in the cluster's last weeks
    raekke = Implementering.objects.get(aftale=aftale, klynge=struktur["klynge"])
    assert Implementering.objects.get(aftale=aftale, klynge=raad["omraade"]).forgaenger == raekke


def test_after_the_reform_only_the_body_the_data_names_recommends(struktur, personas, lav_aftale, udvalg):
    """The committee recommends until it ends; after that `indstil` is refused in Danish until an
    administrator names the recommending body, and an earlier recommendation keeps its history."""
    from aftaler import services

    foer = lav_aftale(Status.INDSTILLET)
    Forum.objects.filter(pk=udvalg.pk).update(valid_to=datetime.date(2026, 12, 31))
    Indstillingsret.objects.filter(forum=udvalg).update(valid_to=datetime.date(2026, 12, 31))
    aftale = lav_aftale(Status.UDKAST, titel="Aftale efter reformen")
    sek = personas["sekretariat"]
    with pytest.raises(DomainError, match="Intet forum kan indstille samarbejdsaftaler den 1. februar 2027"):
        services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, dato=EFTER,
                                 beslutningsfrist=EFTER + datetime.timedelta(days=60))

    regionsraadet = struktur["fora"]["rr"]
    org_services.struktur_gem(obj=Indstillingsret(forum=regionsraadet, valid_from=REFORM), bruger=sek)
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, dato=EFTER,
                             beslutningsfrist=EFTER + datetime.timedelta(days=60))
    assert aftale.behandlinger.get(udfald=Udfald.ANBEFALET).forum == regionsraadet
    assert foer.behandlinger.get(udfald=Udfald.ANBEFALET).forum == udvalg


# --- the page ----------------------------------------------------------------------------------


def _post(client, data):
    return client.post(URL, data)


def test_the_secretariat_previews_and_runs_a_change_in_the_browser_without_javascript(
        client, struktur, personas, raad, i_kraft):
    client.force_login(personas["sekretariat"])
    side = client.get(URL, {"dato": "2027-01-01"})
    assert side.status_code == 200
    assert "Klynge Et, administrativt" in side.content.decode()

    k, f = f"k{struktur['klynge'].pk}", f"f{struktur['fora']['klynge_adm'].pk}"
    valg = {"dato": "2027-01-01", "beskrivelse": "Reformen", "ophoerer": [k, f]}
    videre = _post(client, {**valg, "handling": "videre"})
    assert "Efterfølgere for Klynge Et" in videre.content.decode()

    efterfoelgere = {f"efterfoelgere_{k}": f"k{raad['omraade'].pk}", f"efterfoelgere_{f}": f"f{raad['forum'].pk}"}
    vis = _post(client, {**valg, **efterfoelgere, "handling": "forhaandsvis"})
    tekst = vis.content.decode()
    assert "Det her sker, når du gennemfører" in tekst
    assert "Klynge Et (i gang) fortsætter som Sundhedsråd Et" in tekst
    assert Strukturaendring.objects.count() == 0

    svar = _post(client, {**valg, **efterfoelgere, "handling": "udfoer"})
    aendring = Strukturaendring.objects.get()
    assert svar.status_code == 302 and svar.url == reverse("arbejde:strukturaendring", args=[aendring.pk])
    assert "Klynge Et" in client.get(svar.url).content.decode()

    igen = _post(client, {**valg, **efterfoelgere, "handling": "udfoer"})
    assert igen.status_code == 400
    assert Ophoer.objects.count() == 2


def test_a_bad_date_gets_a_danish_message(client, personas):
    client.force_login(personas["sekretariat"])
    svar = client.get(URL, {"dato": "2027-13-01"})
    assert svar.status_code == 400
    assert "Skriv datoen som åååå-mm-dd." in svar.content.decode()


@pytest.mark.parametrize("persona", ["klynge", "kommune_a", "styregruppe", "temagruppe", "udenforstaaende"])
def test_others_do_not_see_the_pages_and_their_attempts_change_nothing(client, struktur, personas, raad, persona):
    client.force_login(personas[persona])
    k = f"k{struktur['klynge'].pk}"
    for url in (reverse("arbejde:strukturaendringer"), URL + "?dato=2027-01-01"):
        assert client.get(url).status_code == 404
    svar = _post(client, {"dato": "2027-01-01", "ophoerer": [k], "handling": "udfoer"})
    assert svar.status_code == 404
    assert Klynge.objects.get(pk=struktur["klynge"].pk).valid_to is None
    assert not Strukturaendring.objects.exists()


def test_anonymous_users_are_sent_to_sign_in(client):
    assert client.get(reverse("arbejde:strukturaendringer")).status_code == 302


def test_the_pages_run_a_constant_number_of_queries(client, struktur, personas, raad, i_kraft):
    """The same number of queries with 10 more bodies, members and a finished change as without."""
    client.force_login(personas["sekretariat"])
    k, f = f"k{struktur['klynge'].pk}", f"f{struktur['fora']['klynge_adm'].pk}"
    valg = {"dato": "2027-01-01", "ophoerer": [k, f], f"efterfoelgere_{k}": f"k{raad['omraade'].pk}",
            f"efterfoelgere_{f}": f"f{raad['forum'].pk}"}

    def antal() -> list[int]:
        resultat = []
        for anmodning in (lambda: client.get(URL, {"dato": "2027-01-01"}),
                          lambda: _post(client, {**valg, "handling": "forhaandsvis"}),
                          lambda: client.get(reverse("arbejde:strukturaendringer"))):
            with CaptureQueriesContext(connection) as q:
                assert anmodning().status_code == 200
            resultat.append(len(q))
        return resultat

    foer = antal()
    for i in range(10):
        gruppe = ForumFactory(navn=f"Arbejdsgruppe {i}", slug=f"ag-{i}", type=ForumType.ARBEJDSGRUPPE)
        medlem(f"ag-medlem-{i}", gruppe)
        medlem(f"niveau-medlem-{i}", struktur["fora"]["klynge_adm"], Rolle.MEDLEM)
    assert antal() == foer


def test_once_the_date_has_come_the_pages_show_the_successors_row_and_the_old_one_is_history(
        client, struktur, personas, lav_aftale):
    """A change dated in the past: the staff page lists the successor's row, naming the row it
    continues; the matrix has the successor's column; the ended cluster's row can no longer change."""
    from django.utils import timezone

    from aftaler import services

    aftale = lav_aftale(Status.I_KRAFT)
    dato = timezone.localdate() - datetime.timedelta(days=10)
    k = struktur["klynge"]
    omraade = KlyngeFactory(navn="Sundhedsråd Et", slug="sundhedsraad-et", art=KlyngeArt.SUNDHEDSRAAD,
                            valid_from=dato, kommuner=list(k.kommuner.all()), akuthospital=k.akuthospital)
    strukturaendring_udfoer(dato=dato, afloesninger=[Afloesning(k, (omraade,)),
                                                     Afloesning(struktur["fora"]["klynge_adm"])],
                            bruger=personas["sekretariat"])
    client.force_login(personas["sekretariat"])
    side = client.get(reverse("arbejde:aftale", args=[aftale.slug])).content.decode()
    assert "Sundhedsråd Et" in side and "Fortsætter Klynge Et" in side
    matrix = client.get(reverse("arbejde:implementering-matrix")).content.decode()
    assert "Sundhedsråd Et" in matrix
    offentlig = Client().get(reverse("aftale-detalje", args=[aftale.slug])).content.decode()
    raekker = offentlig[offentlig.index('id="implementering-titel"'):offentlig.index("</table>",
                                                                                  offentlig.index('id="implementering-titel"'))]
    assert "Sundhedsråd Et" in raekker and "Fortsætter Klynge Et" in raekker
    assert ">Klynge Et</a>" not in raekker  # the ended cluster's row is history, on its own page

    with pytest.raises(DomainError, match="Klynge Et er ophørt; dens registrering er historik. Registrér "
                                          "implementeringen for Sundhedsråd Et."):
        services.implementering_opdater(aftale=aftale, klynge=Klynge.objects.get(pk=k.pk),
                                        bruger=personas["sekretariat"], status=ImplementeringStatus.IMPLEMENTERET)
    services.implementering_opdater(aftale=aftale, klynge=omraade, bruger=personas["sekretariat"],
                                    status=ImplementeringStatus.IMPLEMENTERET)


def test_the_permissions_page_says_who_recommends_and_when_nobody_does(client, personas, udvalg):
    client.force_login(personas["sekretariat"])
    side = client.get(reverse("arbejde:rettigheder")).content.decode()
    assert "Sundhedssamarbejdsudvalget</a>: fra 1. juli 2022 og indtil videre" in side
    assert "Intet forum indstiller" not in side

    Indstillingsret.objects.filter(forum=udvalg).update(valid_to=datetime.date(2026, 12, 31))
    side = client.get(reverse("arbejde:rettigheder")).content.decode()
    assert "til 31. december 2026" in side
    assert "Intet forum indstiller fra 1. januar 2027" in side
    assert "Demodata lader det være op til administratoren" in side


def test_the_ending_bodies_are_offered_in_groups_by_kind(client, struktur, personas):
    client.force_login(personas["sekretariat"])
    html = client.get(URL, {"dato": "2027-01-01"}).content.decode()
    grupper = {g: re.findall(r'name="ophoerer" value="([^"]+)"', ul) for g, ul in re.findall(
        r'<legend class="h5 mb-3">([^<]+)</legend>\s*<ul class="nobullet-list">(.*?)</ul>', html, re.S)}
    navne = [g.rsplit(" (", 1)[0] for g in grupper]
    assert navne[0] == "Klynger og områder"
    # The fora by kind, in ForumType's order; each legend counts its boxes.
    assert navne[1:] == [t.label for t in ForumType if t.label in navne[1:]]
    assert all(g.endswith(f"({len(bokse)})") for g, bokse in grupper.items())
    # Every body exactly once, each a checkbox of the one field.
    alle = [v for bokse in grupper.values() for v in bokse]
    assert len(alle) == len(set(alle)) == html.count('name="ophoerer"')
    pr_navn = {g.rsplit(" (", 1)[0]: bokse for g, bokse in grupper.items()}
    assert f"k{struktur['klynge'].pk}" in pr_navn["Klynger og områder"]
    assert f"f{struktur['fora']['klynge_adm'].pk}" in pr_navn["Sundhedsklynge, administrativt niveau"]
