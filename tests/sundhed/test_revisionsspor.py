"""The audit trail remembers people: who recorded a decision, a transition or an audit row stays
known (a name kept on the row, the user protected from deletion), deleting or closing an account is
itself in the log, only a council's secretariat records its decision, and the database refuses to
change the record rows (issue 8, item 9)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from aftaler import policies, selectors
from aftaler import services as aftale_services
from aftaler.choices import Beslutning, ImplementeringStatus, Status, Udfald
from aftaler.models import (
    AftaleVersion,
    Behandling,
    Godkendelse,
    Hoeringssvar,
    Implementering,
    Overgang,
    Proevehandling,
)
from aftaler.services import IkkeTilladt
from aftaler.workflow import Handling
from organisation import services as org_services
from organisation.choices import Rolle
from organisation.models import Person
from sundhed import permissions
from sundhed.models import Haendelse
from sundhed.services import haendelse_registrer, navn_paa
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk, raadssekretaer
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def _navngiv(personas) -> dict[str, str]:
    """Give each persona's person a name unlike the username, so a test can tell which one is shown."""
    navne = {}
    for noegle, bruger in personas.items():
        person = getattr(bruger, "person", None)  # the user object holds its person: rename that one
        if person is not None:
            navne[noegle] = person.navn = f"Person {noegle.replace('_', ' ').title()}"
            person.save()
    return navne


# --- the name kept on each row --------------------------------------------------------------------


def test_the_name_kept_is_the_persons_else_the_full_name_else_the_username():
    med_person = UserFactory(username="kb-a", first_name="Ole", last_name="Olsen")
    PersonFactory(navn="Sekretær for Kommune A", bruger=med_person)

    assert navn_paa(med_person) == "Sekretær for Kommune A"
    assert navn_paa(UserFactory(username="ole", first_name="Ole", last_name="Olsen")) == "Ole Olsen"
    assert navn_paa(UserFactory(username="bare")) == "bare"
    assert navn_paa(None) == navn_paa(AnonymousUser()) == ""


def test_every_record_keeps_the_name_of_who_wrote_it(lav_aftale, personas, struktur, udvalg):
    navne = _navngiv(personas)
    sek, kommune_a, klynge = personas["sekretariat"], personas["kommune_a"], personas["klynge"]

    aftale = lav_aftale(Status.HOERING)
    aftale_services.hoeringssvar_afgiv(aftale=aftale, bruger=kommune_a, afsender=struktur["kommune_a"],
                                       tekst="<p>Vi støtter aftalen.</p>")
    aftale_services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.AFSLUT_HOERING)
    aftale_services.behandling_registrer(aftale=_frisk(aftale), bruger=sek, forum=struktur["fora"]["styregruppe"],
                                         dato=I_DAG, udfald=Udfald.DROEFTET)
    aftale_services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.INDSTIL, forum=udvalg,
                                    dato=I_DAG, beslutningsfrist=OM_EN_MAANED)
    for noegle, part in [("kommune_a", "kommune_a"), ("kommune_b", "kommune_b"), ("region", "region")]:
        aftale_services.godkendelse_registrer(aftale=_frisk(aftale), part=struktur[part], bruger=personas[noegle],
                                              beslutning=Beslutning.GODKENDT, dato=I_DAG)
    # The last approval makes the agreement approved: that transition is the last approver's.
    sidste = raadssekretaer(struktur["kommune_c"], "kb-c")
    aftale_services.godkendelse_registrer(aftale=_frisk(aftale), part=struktur["kommune_c"], bruger=sidste,
                                          beslutning=Beslutning.GODKENDT, dato=I_DAG)
    aftale_services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.OFFENTLIGGOER,
                                    ikrafttraedelse=I_DAG)
    aftale_services.implementering_opdater(aftale=_frisk(aftale), klynge=struktur["klynge"], bruger=klynge,
                                           status=ImplementeringStatus.I_GANG)
    aftale_services.proevehandling_gem(bruger=klynge, klynge=struktur["klynge"], titel="Fremskudt visitation")

    overgange = list(Overgang.objects.filter(aftale=aftale).order_by("id"))
    assert [(o.handling, o.bruger_navn) for o in overgange] == [
        (Handling.SEND_I_HOERING, navne["sekretariat"]), (Handling.AFSLUT_HOERING, navne["sekretariat"]),
        (Handling.INDSTIL, navne["sekretariat"]), ("automatisk_godkendt", "Rådssekretær kb-c"),
        (Handling.OFFENTLIGGOER, navne["sekretariat"]),
    ]
    assert {b.registreret_af_navn for b in Behandling.objects.filter(aftale=aftale)} == {navne["sekretariat"]}
    assert dict(Godkendelse.objects.values_list("part__slug", "registreret_af_navn")) == {
        "kommune-a": navne["kommune_a"], "kommune-b": navne["kommune_b"], "region-midtjylland": navne["region"],
        "kommune-c": "Rådssekretær kb-c",
    }
    assert Hoeringssvar.objects.get().afgivet_af_navn == navne["kommune_a"]
    assert Implementering.objects.get(klynge=struktur["klynge"]).opdateret_af_navn == navne["klynge"]
    assert Proevehandling.objects.get().registreret_af_navn == navne["klynge"]
    logget = Haendelse.objects.filter(bruger__isnull=False).select_related("bruger__person")
    assert {h.handling for h in logget} >= {"oprettet", "hoeringssvar", "behandling", "beslutning", "implementering",
                                            "proevehandling"}
    assert all(h.bruger_navn == navn_paa(h.bruger) != "" for h in logget)


def test_pages_and_api_show_who_recorded_it_as_they_were_named_then(client, lav_aftale, personas, struktur):
    navne = _navngiv(personas)
    aftale = lav_aftale(Status.INDSTILLET)
    aftale_services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                          beslutning=Beslutning.AFVIST, dato=I_DAG, sagsnummer="24/2")
    # The person is renamed afterwards (or leaves): the records still say who it was then.
    Person.objects.filter(bruger__in=personas.values()).update(navn="Omdøbt")

    client.force_login(personas["kommune_a"])
    side = client.get(reverse("arbejde:beslutning-registrer", args=[aftale.slug, "kommune-a"])).content.decode()
    assert f"af {navne['kommune_a']}" in side
    client.force_login(personas["sekretariat"])
    side = client.get(reverse("arbejde:aftale", args=[aftale.slug])).content.decode()
    assert f"<td>{navne['sekretariat']}</td>" in side

    api = APIClient()
    api.force_authenticate(personas["kommune_a"])
    godkendelser = api.get(f"/api/v1/aftaler/{aftale.slug}/godkendelser/").json()
    assert [(g["registreret_af"], g["registreret_af_navn"]) for g in godkendelser] == [
        ("kommune-a", navne["kommune_a"])]
    # The public reads the decisions, not who on the staff recorded them.
    anonym = APIClient().get(f"/api/v1/aftaler/{aftale.slug}/godkendelser/").json()
    assert [(g["registreret_af"], g["registreret_af_navn"]) for g in anonym] == [(None, None)]


# --- users with records cannot be deleted ------------------------------------------------------------


def _record(art: str, bruger, aftale, struktur, udvalg) -> None:
    """One row of kind `art` written by `bruger`, and nothing else by them."""
    if art == "haendelse":
        haendelse_registrer(bruger=bruger, handling="test", objekt=aftale)
    elif art == "overgang":
        Overgang.objects.create(aftale=aftale, handling="test", fra_status=Status.UDKAST, til_status=Status.UDKAST,
                                bruger=bruger)
    elif art == "behandling":
        Behandling.objects.create(aftale=aftale, forum=udvalg, dato=I_DAG, udfald=Udfald.DROEFTET,
                                  registreret_af=bruger)
    elif art == "godkendelse":
        Godkendelse.objects.create(version=aftale.aktuel_version, part=struktur["kommune_a"],
                                   beslutning=Beslutning.UDSAT, dato=I_DAG, registreret_af=bruger)
    elif art == "version":
        AftaleVersion.objects.create(aftale=aftale, nummer=2, forfatter=bruger)


@pytest.mark.parametrize("art", ["haendelse", "overgang", "behandling", "godkendelse", "version"])
def test_a_user_who_wrote_a_record_cannot_be_deleted(lav_aftale, struktur, udvalg, art):
    aftale = lav_aftale(Status.INDSTILLET)
    bruger = UserFactory(username="optager")
    _record(art, bruger, aftale, struktur, udvalg)

    with pytest.raises(ProtectedError), transaction.atomic():
        bruger.delete()
    assert User.objects.filter(pk=bruger.pk).exists()


# --- the admin: deleting and deactivating users ---------------------------------------------------


def _slet(admin_client, konto):
    return admin_client.post(reverse("admin:auth_user_delete", args=[konto.pk]), {"post": "yes"})


def test_the_admin_refuses_to_delete_a_user_with_records_and_says_to_deactivate(admin_client, lav_aftale,
                                                                                  personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    aftale_services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                          beslutning=Beslutning.GODKENDT, dato=I_DAG)

    svar = _slet(admin_client, personas["kommune_a"])

    assert svar.status_code == 200  # the page lists what protects the user instead of deleting
    assert 'id="deaktiver-i-stedet"' in svar.content.decode()
    assert Godkendelse.objects.get().registreret_af == personas["kommune_a"]
    assert not Haendelse.objects.filter(handling="bruger_slettet").exists()


def test_the_admin_deletes_a_user_who_recorded_nothing_and_logs_who_did_it(admin_client, admin_user):
    konto = UserFactory(username="vikar", first_name="Vera", last_name="Vikar")
    PersonFactory(navn="Vikar i sekretariatet", bruger=konto)

    svar = _slet(admin_client, konto)

    assert svar.status_code == 302
    assert not User.objects.filter(username="vikar").exists()
    h = Haendelse.objects.get(handling="bruger_slettet")
    assert (h.bruger, h.bruger_navn, h.objekt_type, h.objekt_id) == (admin_user, "admin", "auth.user", str(konto.pk))
    assert h.data == {"brugernavn": "vikar", "navn": "Vikar i sekretariatet"}
    assert "Vikar i sekretariatet (vikar)" in h.beskrivelse


def test_the_admins_bulk_delete_logs_each_user_and_refuses_if_one_has_records(admin_client, admin_user):
    frie = [UserFactory(username="fri-1"), UserFactory(username="fri-2")]
    optaget = UserFactory(username="optaget")
    haendelse_registrer(bruger=optaget, handling="test", objekt=admin_user)

    def slet(konti):
        return admin_client.post(reverse("admin:auth_user_changelist"), {
            "action": "delete_selected", "_selected_action": [k.pk for k in konti], "post": "yes"})

    assert slet([*frie, optaget]).status_code == 200  # refused: nothing is deleted
    assert User.objects.filter(username__in=["fri-1", "fri-2", "optaget"]).count() == 3
    assert slet(frie).status_code == 302
    assert not User.objects.filter(username__in=["fri-1", "fri-2"]).exists()
    assert sorted(Haendelse.objects.filter(handling="bruger_slettet").values_list("data__brugernavn", flat=True)) == [
        "fri-1", "fri-2"]


def test_an_administrator_cannot_delete_their_own_account(admin_client, admin_user):
    svar = _slet(admin_client, admin_user)

    assert svar.status_code == 200
    assert User.objects.filter(pk=admin_user.pk).exists()
    assert not Haendelse.objects.filter(handling="bruger_slettet").exists()


def _gem(admin_client, konto, **felter):
    """Save the account's change form in the admin, as it stands, with `felter` (ticked boxes) added."""
    return admin_client.post(reverse("admin:auth_user_change", args=[konto.pk]), {
        "username": konto.username, "first_name": konto.first_name, "last_name": konto.last_name, "email": "",
        "date_joined_0": konto.date_joined.date().isoformat(), "date_joined_1": "12:00:00",
        "last_login_0": "", "last_login_1": "", **felter,
    })


def test_deactivating_a_user_in_the_admin_is_logged_and_locks_them_out(admin_client, admin_user, lav_aftale,
                                                                        personas, struktur):
    konto = personas["kommune_a"]  # with a decision on record: deactivated, not deleted
    aftale = lav_aftale(Status.INDSTILLET)
    aftale_services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=konto,
                                          beslutning=Beslutning.GODKENDT, dato=I_DAG)
    token = Token.objects.create(user=konto).key

    svar = _gem(admin_client, konto)  # "Aktiv" unticked

    assert svar.status_code == 302
    konto.refresh_from_db()
    assert not konto.is_active
    h = Haendelse.objects.get(handling="bruger_deaktiveret")
    assert (h.bruger, h.objekt_id, h.data["brugernavn"]) == (admin_user, str(konto.pk), "kommune-a")
    # Locked out of the pages and the API, while the decision keeps pointing at the account.
    assert not Client().login(username="kommune-a", password="demo")
    assert APIClient().post("/api/v1/auth/token/", {"username": "kommune-a", "password": "demo"}).status_code == 400
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/aftaler/").status_code == 401
    assert Godkendelse.objects.get().registreret_af == konto
    assert not permissions.har(konto, "registrere_beslutning", struktur["kommune_a"])


def test_reactivating_a_user_in_the_admin_is_logged_and_other_edits_are_not(admin_client, admin_user):
    konto = UserFactory(username="tilbage", is_active=False)

    assert _gem(admin_client, konto, first_name="Tove", is_active="on").status_code == 302
    assert _gem(admin_client, konto, first_name="Tove", last_name="Tilbage", is_active="on").status_code == 302

    konto.refresh_from_db()
    assert (konto.is_active, konto.get_full_name()) == (True, "Tove Tilbage")
    # The admin's own log of each save is mirrored in the audit trail too (sundhed.revision); besides those,
    # only the reactivation is a row of its own.
    egne = Haendelse.objects.exclude(handling="admin_aendret")
    assert list(egne.values_list("handling", "bruger", "data__navn")) == [
        ("bruger_genaktiveret", admin_user.pk, "Tove")]
    assert Haendelse.objects.filter(handling="admin_aendret", bruger=admin_user, objekt_id=str(konto.pk)).count() == 2


# --- only a council's secretariat records its decision --------------------------------------------------


def test_a_superuser_cannot_record_a_decision_for_a_council(lav_aftale, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    admin = UserFactory(username="superbruger", is_superuser=True, is_staff=True)

    assert policies.beslutningsparter(admin, aftale) == []
    with pytest.raises(IkkeTilladt):
        aftale_services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=admin,
                                              beslutning=Beslutning.GODKENDT, dato=I_DAG)
    assert not Godkendelse.objects.exists()
    assert selectors.mine_opgaver(admin).beslutninger == []


def test_an_administrator_records_a_decision_through_an_audited_membership_of_the_council(lav_aftale, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    admin = UserFactory(username="superbruger", is_superuser=True, is_staff=True)
    person = PersonFactory(navn="Administratoren", bruger=admin)

    org_services.medlemskab_opret(person=person, forum=struktur["fora"]["kb_a"], rolle=Rolle.SEKRETAER, bruger=admin)

    assert Haendelse.objects.filter(handling="oprettet", objekt_type="organisation.medlemskab", bruger=admin).exists()
    assert [p.slug for p in policies.beslutningsparter(admin, aftale)] == ["kommune-a"]
    g = aftale_services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=admin,
                                              beslutning=Beslutning.GODKENDT, dato=I_DAG)
    assert g.registreret_af_navn == "Administratoren"
    with pytest.raises(IkkeTilladt):
        aftale_services.godkendelse_registrer(aftale=_frisk(aftale), part=struktur["kommune_b"], bruger=admin,
                                              beslutning=Beslutning.GODKENDT, dato=I_DAG)


# --- the database refuses to change the record ----------------------------------------------------------


AENDRINGER = {
    "overgang": (Overgang, {"note": "Ændret bagefter"}),
    "godkendelse": (Godkendelse, {"sagsnummer": "ændret"}),
    "behandling": (Behandling, {"note": "Ændret bagefter"}),
    "haendelse": (Haendelse, {"beskrivelse": "Ændret bagefter"}),
}


@pytest.fixture
def historik(lav_aftale):
    """An approved agreement: transitions, a recommendation, decisions and audit rows."""
    return lav_aftale(Status.GODKENDT)


@pytest.mark.parametrize("art", sorted(AENDRINGER))
def test_the_database_refuses_to_change_a_record_row(historik, art):
    model, felter = AENDRINGER[art]
    assert model.objects.exists()

    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.update(**felter)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite guards updates only: Django's test flush on SQLite deletes row by row")
@pytest.mark.parametrize("art", sorted(AENDRINGER))
def test_the_database_refuses_to_delete_a_record_row(historik, art):
    model, _felter = AENDRINGER[art]
    antal = model.objects.count()

    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.all().delete()
    assert model.objects.count() == antal


# --- rows written before the names were kept ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migrations_name_the_writers_of_rows_written_before_them():
    foer = [("aftaler", "0004_version_titel_resume"), ("sundhed", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(foer)
    try:
        apps = executor.loader.project_state(foer).apps
        brugere = apps.get_model("auth", "User").objects
        med_person = brugere.create(username="kb-a", first_name="Ole", last_name="Olsen")
        apps.get_model("organisation", "Person").objects.create(navn="Sekretær for Kommune A", bruger=med_person)
        fuldt_navn = brugere.create(username="ole", first_name="Ole", last_name="Olsen")
        bare = brugere.create(username="bare")
        part = apps.get_model("organisation", "Part").objects.create(navn="Kommune A", slug="kommune-a",
                                                                       type="kommune")
        aftale = apps.get_model("aftaler", "Samarbejdsaftale").objects.create(titel="Aftale", slug="aftale")
        version = apps.get_model("aftaler", "AftaleVersion").objects.create(aftale=aftale, nummer=1)
        apps.get_model("aftaler", "Overgang").objects.create(
            aftale=aftale, handling="indstil", fra_status="udkast", til_status="indstillet", bruger=med_person)
        apps.get_model("aftaler", "Godkendelse").objects.create(
            version=version, part=part, beslutning="udsat", dato=datetime.date(2024, 1, 2), registreret_af=fuldt_navn)
        apps.get_model("sundhed", "Haendelse").objects.create(
            bruger=bare, handling="test", objekt_type="aftaler.samarbejdsaftale", objekt_id=str(aftale.pk))
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert Overgang.objects.get().bruger_navn == "Sekretær for Kommune A"
    assert Godkendelse.objects.get().registreret_af_navn == "Ole Olsen"
    assert Haendelse.objects.get().bruger_navn == "bare"
    with pytest.raises(DatabaseError), transaction.atomic():  # and then the rows are guarded
        Overgang.objects.update(note="Ændret bagefter")
