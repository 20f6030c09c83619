"""`manage.py demo`: the 2019-2023 health agreement and example agreements in every state, loaded
through the services and idempotently.

The demo runs once for the whole module (inside a transaction rolled back at the end, so no other
test module sees its rows); each test runs inside its own savepoint on top of it.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from aftaler.choices import Beslutning, ImplementeringStatus, Omfang, Oprindelse, Status, Udfald
from aftaler.models import (
    AftaleVersion,
    Behandling,
    Godkendelse,
    Hoeringssvar,
    Implementering,
    Indsatsomraade,
    Maalsaetning,
    Overgang,
    Proevehandling,
    Samarbejdsaftale,
    Sundhedsaftale,
)
from aftaler.selectors import fremdrift, paakraevede_parter
from organisation.choices import ForumType, PartType
from organisation.models import Klynge
from sundhed.models import Haendelse

pytestmark = pytest.mark.django_db

AFSNIT = ["<h2>Formål</h2>", "<h2>Målgruppe</h2>", "<h2>Opgave- og ansvarsfordeling</h2>",
          "<h2>Implementering og opfølgning</h2>"]


@pytest.fixture(scope="module", autouse=True)
def demodata(django_db_setup, django_db_blocker):
    # The same fast hasher tests/conftest.py sets for each test, so a second run finds the passwords valid.
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), hashers, transaction.atomic():
        call_command("demo", "--force", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _aftaler(**filtre) -> list[Samarbejdsaftale]:
    return list(Samarbejdsaftale.objects.filter(**filtre).select_related("aktuel_version", "offentliggjort_version",
                                                                         "klynge", "proevehandling"))


# --- the health agreement ----------------------------------------------------------------------


def test_health_agreement_has_four_visions_three_areas_with_goals_and_the_national_goals():
    aftale = Sundhedsaftale.objects.get(slug="sundhedsaftalen-2019-2023")
    assert (aftale.periode_fra, aftale.periode_til) == (2019, 2023)
    assert [titel for titel, _ in aftale.visionsliste] == [
        "Mere lighed i sundhed – socialt og geografisk", "På borgerens præmisser",
        "Sundhedsløsninger tæt på borgeren", "Mere sundhed for pengene",
    ]
    assert all(tekst for _, tekst in aftale.visionsliste)
    omraader = list(aftale.indsatsomraader.order_by("sortering"))
    assert [o.slug for o in omraader] == ["forebyggelse", "aeldre-borgere", "naer-psykiatri"]
    assert [o.navn for o in omraader] == [
        "Fælles investering i forebyggelse", "Sammen om ældre borgere", "Den nære psykiatri",
    ]
    assert omraader[0].fokus == "først med fokus på rygning"
    for omraade in omraader:
        assert omraade.maalsaetninger.filter(national=False).exists()
    assert list(omraader[0].maalsaetninger.values_list("tekst", flat=True)) == [
        "Vi vil nedbringe antallet af dagligrygere i Region Midtjylland."
    ]
    assert omraader[2].maalsaetninger.count() == 2
    nationale = Maalsaetning.objects.filter(sundhedsaftale=aftale, national=True)
    assert nationale.count() == 8
    assert not nationale.filter(indsatsomraade__isnull=False).exists()
    assert nationale.filter(tekst="Flere sunde leveår").exists()


# --- the agreements ------------------------------------------------------------------------------


def test_at_least_ten_agreements_in_every_state():
    aftaler = _aftaler()
    assert len(aftaler) >= 10
    assert {a.status for a in aftaler} == set(Status.values)


def test_an_agreement_in_force_is_under_revision_with_its_published_version_still_public():
    under_revision = [a for a in _aftaler(status=Status.UDKAST) if a.offentliggjort_version_id]
    assert under_revision
    aftale = under_revision[0]
    assert aftale.er_offentlig
    assert aftale.aktuel_version.nummer > aftale.offentliggjort_version.nummer
    assert aftale.overgange.filter(handling="revider", fra_status=Status.I_KRAFT, til_status=Status.UDKAST).exists()
    assert Samarbejdsaftale.objects.offentlige().filter(pk=aftale.pk).exists()


def test_every_agreement_has_details_and_a_body_with_the_four_sections():
    for aftale in _aftaler():
        assert aftale.resume and aftale.maalgruppe and aftale.ejer_forum_id, aftale.slug
        assert aftale.oprindelse_reference, aftale.slug
        tekst = aftale.aktuel_version.tekst
        positioner = [tekst.find(afsnit) for afsnit in AFSNIT]
        assert -1 not in positioner and positioner == sorted(positioner), aftale.slug
        assert "<h3>Almen praksis</h3>" in tekst


def test_agreements_are_owned_by_working_bodies_and_linked_to_areas():
    aftaler = _aftaler()
    assert {a.ejer_forum.type for a in aftaler} <= {
        ForumType.TEMAGRUPPE, ForumType.ARBEJDSGRUPPE, ForumType.FORLOEBSPROGRAMGRUPPE,
        ForumType.KLYNGE_ADMINISTRATIV, ForumType.KLYNGE_POLITISK,
    }
    rygestop = Samarbejdsaftale.objects.get(slug="samarbejdsaftale-om-rygestop")
    assert rygestop.ejer_forum.slug == "temagruppe-forebyggelse"
    assert rygestop.indsatsomraade.slug == "forebyggelse"
    assert Indsatsomraade.objects.filter(aftaler__isnull=False).distinct().count() == 3
    assert {a.oprindelse for a in aftaler} == set(Oprindelse.values)
    assert any("punkt" in a.oprindelse_reference for a in aftaler if a.oprindelse == Oprindelse.BESTILLING)


def test_several_agreements_have_several_versions_with_change_notes():
    flere = [a for a in _aftaler() if a.versioner.count() >= 2]
    assert len(flere) >= 6
    assert any(a.versioner.count() >= 3 for a in flere)
    for aftale in flere:
        noter = list(aftale.versioner.filter(nummer__gte=2).values_list("aendringsnote", flat=True))
        assert all(noter), aftale.slug
        tekster = list(aftale.versioner.values_list("tekst", flat=True))
        assert len(set(tekster)) == len(tekster), aftale.slug


def test_fora_have_dealt_with_the_agreements():
    udfald = set(Behandling.objects.values_list("forum__type", "udfald"))
    assert (ForumType.SUNDHEDSSTYREGRUPPE, Udfald.DROEFTET) in udfald
    assert (ForumType.TEMAGRUPPE, Udfald.TILTRAADT) in udfald
    assert (ForumType.SUNDHEDSSAMARBEJDSUDVALG, Udfald.ANBEFALET) in udfald
    # Every recommendation came with the transition that records it.
    for aftale in _aftaler(status__in=[Status.INDSTILLET, Status.GODKENDT, Status.I_KRAFT, Status.OPHAEVET]):
        assert aftale.behandlinger.filter(udfald=Udfald.ANBEFALET).count() == aftale.overgange.filter(
            handling="indstil").count() >= 1


# --- decisions -------------------------------------------------------------------------------------


def test_the_recommended_agreement_shows_partial_approvals_a_rejection_and_a_postponement_then_a_decision():
    (aftale,) = _aftaler(status=Status.INDSTILLET)
    f = fremdrift(aftale)
    assert f.antal == 20
    assert 0 < f.godkendt < f.antal
    assert f.afvist >= 1 and f.mangler >= 1
    afvist = [ps for ps in f.parter if ps.beslutning == Beslutning.AFVIST]
    assert all(ps.endelig.bemaerkning for ps in afvist)
    udsat_foerst = [ps for ps in f.parter
                    if len(ps.historik) >= 2 and ps.historik[0].beslutning == Beslutning.UDSAT and ps.endelig]
    assert udsat_foerst
    ps = udsat_foerst[0]
    assert ps.historik[0].dato < ps.endelig.dato
    # Every decision is by the authority's own council secretariat, dated between the recommendation and today.
    for ps in f.parter:
        for g in ps.historik:
            brugernavn = "region" if ps.part.type == PartType.REGION else f"kommune-{ps.part.slug}"
            assert g.registreret_af.username == brugernavn
            assert aftale.indstillet_dato <= g.dato <= timezone.localdate()
            assert g.sagsnummer and g.referat_url.startswith("https://")
            assert g.forum is not None


def test_an_approved_and_published_agreement_has_all_20_parties_approved():
    for status in (Status.GODKENDT, Status.I_KRAFT):
        fulde = [a for a in _aftaler(status=status, omfang=Omfang.REGIONAL)
                 if (f := fremdrift(a, a.offentliggjort_version or a.aktuel_version)).antal == 20 and f.alle_godkendt]
        assert fulde, status
    godkendt = _aftaler(status=Status.GODKENDT)[0]
    assert godkendt.godkendt_dato and godkendt.offentliggjort_version is None
    assert godkendt.overgange.filter(handling="automatisk_godkendt").exists()


def test_a_rejected_agreement_was_sent_back_revised_and_approved_on_the_new_version():
    aftale = Samarbejdsaftale.objects.get(slug="samarbejdsaftale-om-kommunale-akutfunktioner")
    handlinger = list(aftale.overgange.values_list("handling", flat=True))
    assert handlinger == ["indstil", "send_retur", "indstil", "automatisk_godkendt", "offentliggoer"]
    gammel = aftale.versioner.get(nummer=2)
    assert Godkendelse.objects.filter(version=gammel, beslutning=Beslutning.AFVIST).exclude(bemaerkning="").exists()
    assert not fremdrift(aftale, gammel).alle_godkendt
    ny = aftale.offentliggjort_version
    assert ny.nummer == 3 and fremdrift(aftale, ny).alle_godkendt
    assert all(g.dato >= aftale.indstillet_dato for g in Godkendelse.objects.filter(version=ny))


# --- local agreement, pilots, consultation, implementation ---------------------------------------


def test_a_local_agreement_is_approved_by_its_clusters_municipalities_and_the_region():
    lokale = _aftaler(omfang=Omfang.LOKAL)
    assert lokale
    aftale = lokale[0]
    klyngens = set(aftale.klynge.kommuner.values_list("slug", flat=True))
    parter = paakraevede_parter(aftale)
    assert {p.slug for p in parter if p.type == PartType.KOMMUNE} == klyngens
    assert {p.slug for p in parter if p.type != PartType.KOMMUNE} == {"region-midtjylland"}
    # The cluster's row, and (the demo runs the 2027 change) its continuation under the cluster's sundhedsråd.
    assert list(aftale.implementeringer.filter(forgaenger__isnull=True).values_list("klynge__slug", flat=True)
                ) == [aftale.klynge.slug]
    assert list(aftale.implementeringer.filter(forgaenger__isnull=False).values_list("klynge__slug", flat=True)
                ) == list(aftale.klynge.efterfoelgere.values_list("slug", flat=True))
    if aftale.status in (Status.GODKENDT, Status.I_KRAFT):
        assert fremdrift(aftale, aftale.offentliggjort_version or aftale.aktuel_version).alle_godkendt


def test_pilots_in_several_clusters_one_presented_and_linked_to_its_agreement_and_back():
    piloter = Proevehandling.objects.all()
    assert piloter.values("klynge").distinct().count() >= 2
    praesenteret = [p for p in piloter if p.praesenteret_dato and p.aftaler.exists()]
    assert praesenteret
    pilot = praesenteret[0]
    aftale = pilot.aftaler.get()
    assert aftale.proevehandling == pilot
    assert aftale.oprindelse == Oprindelse.PROEVEHANDLING
    assert pilot.registreret_af.username.startswith("klynge-")
    assert aftale.versioner.count() >= 2  # the secretariat drafted it further


def test_consultation_answers_on_the_agreement_in_consultation_and_on_an_earlier_round():
    (i_hoering,) = _aftaler(status=Status.HOERING)
    svar = Hoeringssvar.objects.filter(version=i_hoering.aktuel_version)
    assert svar.filter(part__isnull=False).exists() and svar.filter(klynge__isnull=False).exists()
    assert i_hoering.hoeringsfrist > timezone.localdate()
    tidligere = Hoeringssvar.objects.exclude(version__aftale=i_hoering)
    assert tidligere.exists()
    aftale = tidligere.first().version.aftale
    assert aftale.overgange.filter(handling="afslut_hoering").exists()
    assert aftale.aktuel_version.nummer > tidligere.first().version.nummer


def test_implementation_is_recorded_by_the_clusters_with_varied_status():
    opdateret = Implementering.objects.filter(opdateret_af__isnull=False, forgaenger__isnull=True).select_related(
        "klynge", "opdateret_af")
    i_2026 = datetime.date(2026, 6, 1)  # the clusters' last year: the demo ends them on 31 December 2026
    assert {i.klynge.slug for i in opdateret} == set(Klynge.objects.aktive(i_2026).values_list("slug", flat=True))
    assert len({i.status for i in opdateret}) >= 2
    assert {ImplementeringStatus.I_GANG, ImplementeringStatus.IMPLEMENTERET} <= {i.status for i in opdateret}
    brugere = {k.slug: {i.opdateret_af.username for i in opdateret if i.klynge_id == k.pk}
               for k in Klynge.objects.all()}
    assert brugere["horsensklyngen"] == {"klynge-horsens"}
    assert brugere["goedstrupklyngen"] == {"klynge-goedstrup"}


# --- idempotence -----------------------------------------------------------------------------------


def _antal() -> dict[str, int]:
    modeller = [Samarbejdsaftale, AftaleVersion, Godkendelse, Overgang, Behandling, Hoeringssvar, Implementering,
                Proevehandling, Sundhedsaftale, Indsatsomraade, Maalsaetning, Haendelse]
    return {m.__name__: m.objects.count() for m in modeller}


def test_running_demo_twice_adds_nothing():
    foer = _antal()
    ud = StringIO()
    call_command("demo", "--force", stdout=ud)
    assert _antal() == foer
    assert "Aftaler:" in ud.getvalue() and ud.getvalue().count("Intet at ændre") == 2
