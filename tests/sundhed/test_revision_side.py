"""The administrators' audit trail, /arbejde/revision/ (issue 12, item 6): transitions, decisions, sign-ins,
failed sign-ins, refusals and admin changes, each with who, what, when and from where; filtered, paged
and as CSV; for administrators only; and nobody can change or delete a row."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import DatabaseError, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from aftaler.choices import Status
from aftaler.models import Godkendelse
from aftaler.workflow import Handling
from sundhed import kilde
from sundhed.models import Haendelse
from sundhed.services import haendelse_registrer
from tests.aftaler.conftest import I_DAG
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIDE = "/arbejde/revision/"
CSV = "/arbejde/revision/csv"


@pytest.fixture
def admin(admin_user):
    klient = Client()
    klient.force_login(admin_user)
    return klient


def raekker(**filtre) -> list[Haendelse]:
    return list(Haendelse.objects.filter(**filtre).order_by("id"))


def log_ind(brugernavn: str, adgangskode: str, ip: str, **extra):
    return Client(REMOTE_ADDR=ip).post("/log-ind/", {"username": brugernavn, "password": adgangskode}, **extra)


# --- each kind of row, with who, what, when and from where --------------------------------------------


def test_a_transition_through_the_api_is_logged_with_the_address(lav_aftale, personas):
    aftale = lav_aftale(Status.INDSTILLET)
    api = APIClient(REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Testbrowser/1.0")
    api.force_authenticate(personas["sekretariat"])

    svar = api.post(f"/api/v1/aftaler/{aftale.slug}/overgange/", {"handling": Handling.SEND_RETUR}, format="json")

    assert svar.status_code in {200, 201}, svar.content
    h = raekker(handling="overgang", data__handling=Handling.SEND_RETUR)[-1]
    assert (h.bruger, h.objekt_type, h.objekt_id) == (personas["sekretariat"], "aftaler.samarbejdsaftale",
                                                      str(aftale.pk))
    assert (h.ip, h.brugeragent) == ("192.0.2.10", "Testbrowser/1.0")
    assert (h.data["fra"], h.data["til"]) == (Status.INDSTILLET, Status.UDKAST)
    assert h.beskrivelse == (f"{aftale.titel}: Send retur til udkast ({Status.INDSTILLET.label} → "
                             f"{Status.UDKAST.label})")
    # The earlier transitions (run by the services outside a request) are there too, from nowhere.
    assert {x.data["handling"] for x in raekker(handling="overgang")} >= {Handling.INDSTIL, Handling.SEND_RETUR}
    assert all(x.ip is None for x in raekker(handling="overgang") if x.pk != h.pk)


def test_a_decision_is_logged_with_the_address(lav_aftale, personas):
    aftale = lav_aftale(Status.INDSTILLET)
    api = APIClient(REMOTE_ADDR="192.0.2.11")
    api.force_authenticate(personas["kommune_a"])

    svar = api.post(f"/api/v1/aftaler/{aftale.slug}/godkendelser/",
                    {"part": "kommune-a", "beslutning": "godkendt", "dato": I_DAG.isoformat()}, format="json")

    assert svar.status_code == 201, svar.content
    h = raekker(handling="beslutning")[-1]
    assert (h.bruger, h.ip, h.data["part"], h.data["beslutning"]) == (personas["kommune_a"], "192.0.2.11",
                                                                      "kommune-a", "godkendt")


def test_a_sign_in_and_a_sign_out_are_logged_with_the_address(personas):
    klient = Client(REMOTE_ADDR="192.0.2.20", HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 400)

    assert klient.post("/log-ind/", {"username": "kommune-a", "password": "demo"}).status_code == 302
    klient.post(reverse("logout"))

    ind, ud = raekker(handling="logget_ind"), raekker(handling="logget_ud")
    assert [(h.bruger, h.ip, h.objekt_type, h.objekt_id) for h in ind] == [
        (personas["kommune_a"], "192.0.2.20", "auth.user", str(personas["kommune_a"].pk))]
    assert len(ind[0].brugeragent) == 200 and ind[0].brugeragent.startswith("Mozilla/5.0")
    assert [(h.bruger, h.ip) for h in ud] == [(personas["kommune_a"], "192.0.2.20")]


def test_a_failed_sign_in_keeps_the_username_and_the_address_never_the_password(personas):
    assert log_ind("kommune-a", "hemmeligt-forkert", "203.0.113.7").status_code == 200
    assert log_ind("  findes-ikke  ", "andet-forkert", "203.0.113.8").status_code == 200

    kendt, ukendt = raekker(handling="login_fejlet")
    assert (kendt.bruger, kendt.ip, kendt.data) == (None, "203.0.113.7", {"brugernavn": "kommune-a",
                                                                           "kendt_bruger": True})
    assert (ukendt.bruger, ukendt.ip, ukendt.data) == (None, "203.0.113.8", {"brugernavn": "findes-ikke",
                                                                              "kendt_bruger": False})
    assert "ukendt bruger" in ukendt.beskrivelse
    gemt = str(list(Haendelse.objects.values()))
    assert "hemmeligt-forkert" not in gemt and "andet-forkert" not in gemt


def test_a_sign_in_refused_by_the_lockout_is_logged_as_such(personas, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        log_ind("kommune-a", "forkert", "203.0.113.10")

    assert log_ind("kommune-a", "demo", "203.0.113.10").status_code == 429

    # The attempt that reaches the limit locks the account, and the next is refused by the lockout.
    forsoeg = raekker(handling="login_fejlet")
    assert [h.data.get("spaerret", False) for h in forsoeg] == [False, True, True]
    assert not Haendelse.objects.filter(handling="logget_ind").exists()


def test_a_failed_sign_in_at_the_token_endpoint_is_logged_too(personas):
    svar = APIClient(REMOTE_ADDR="203.0.113.9").post("/api/v1/auth/token/",
                                                     {"username": "kommune-b", "password": "forkert"})

    assert svar.status_code == 400
    assert [(h.ip, h.data["brugernavn"]) for h in raekker(handling="login_fejlet")] == [("203.0.113.9", "kommune-b")]


def test_the_address_behind_a_proxy_is_the_one_the_proxy_added_and_only_then(personas, settings):
    forfalsket = {"HTTP_X_FORWARDED_FOR": "1.1.1.1, 198.51.100.9"}
    log_ind("kommune-a", "forkert", "10.0.0.1", **forfalsket)
    settings.BAG_PROXY = True
    log_ind("kommune-a", "forkert", "10.0.0.1", **forfalsket)
    log_ind("kommune-a", "forkert", "10.0.0.1", HTTP_X_FORWARDED_FOR="ikke en adresse")

    # A header that is no address counts as the proxy's (on PostgreSQL it used to be a 500 in the lockout).
    assert [h.ip for h in raekker(handling="login_fejlet")] == ["10.0.0.1", "198.51.100.9", "10.0.0.1"]


def test_a_refused_page_is_logged_once_and_changes_nothing(lav_aftale, personas):
    aftale = lav_aftale(Status.INDSTILLET)
    klient = Client(REMOTE_ADDR="192.0.2.30")
    klient.force_login(personas["kommune_b"])
    url = reverse("arbejde:beslutning-registrer", args=[aftale.slug, "kommune-a"])
    foer = Haendelse.objects.exclude(handling="afvist").count()

    assert klient.get(url).status_code == 404
    assert klient.post(url, {"beslutning": "godkendt", "dato": I_DAG.isoformat()}).status_code == 404

    afvist = raekker(handling="afvist")
    assert [(h.bruger, h.ip, h.data["metode"], h.data["sti"], h.data["status"]) for h in afvist] == [
        (personas["kommune_b"], "192.0.2.30", "GET", url, 404), (personas["kommune_b"], "192.0.2.30", "POST", url, 404)]
    assert afvist[0].data["visning"] == "arbejde:beslutning-registrer"
    assert not Godkendelse.objects.exists()
    assert Haendelse.objects.exclude(handling="afvist").count() == foer


def test_a_refusal_in_the_api_is_logged_with_the_services_reason(lav_aftale, personas):
    aftale = lav_aftale(Status.INDSTILLET)
    api = APIClient(REMOTE_ADDR="192.0.2.31")
    api.force_authenticate(personas["kommune_b"])

    svar = api.post(f"/api/v1/aftaler/{aftale.slug}/godkendelser/",
                    {"part": "kommune-a", "beslutning": "godkendt", "dato": I_DAG.isoformat()}, format="json")

    assert svar.status_code == 403
    (h,) = raekker(handling="afvist")
    assert (h.bruger, h.ip, h.data["metode"], h.data["status"]) == (personas["kommune_b"], "192.0.2.31", "POST", 403)
    assert h.data["grund"] == svar.json()["detail"]
    assert not Godkendelse.objects.exists()


def test_ordinary_404s_are_not_refusals(lav_aftale, personas):
    lav_aftale(Status.UDKAST)
    klient = Client()
    klient.force_login(personas["kommune_a"])

    assert Client().get("/findes-ikke/").status_code == 404
    assert Client().get("/aftaler/findes-ikke/").status_code == 404  # the public's 404
    assert klient.get("/arbejde/findes-ikke/").status_code == 404  # no route: no view decided anything
    assert APIClient().get("/api/v1/aftaler/findes-ikke/").status_code == 404

    assert not Haendelse.objects.filter(handling="afvist").exists()


def test_a_change_in_the_admin_is_logged_with_the_address(admin_user):
    klient = Client(REMOTE_ADDR="192.0.2.40")
    klient.force_login(admin_user)

    assert klient.post(reverse("admin:auth_group_add"), {"name": "Revisorer"}).status_code == 302
    gruppe = Group.objects.get(name="Revisorer")
    assert klient.post(reverse("admin:auth_group_change", args=[gruppe.pk]), {"name": "Revisorerne"}).status_code == 302
    andre = [Group.objects.create(name=f"Gruppe {n}") for n in range(2)]
    # A bulk deletion: Django writes its log entries in one bulk insert, mirrored all the same.
    assert klient.post(reverse("admin:auth_group_changelist"), {
        "action": "delete_selected", "_selected_action": [g.pk for g in [gruppe, *andre]], "post": "yes",
    }).status_code == 302

    admin_raekker = [h for h in raekker() if h.handling.startswith("admin_")]
    assert [(h.handling, h.objekt_type, h.bruger, h.ip) for h in admin_raekker[:2]] == [
        ("admin_tilfoejet", "auth.group", admin_user, "192.0.2.40"),
        ("admin_aendret", "auth.group", admin_user, "192.0.2.40")]
    assert "Revisorer" in admin_raekker[0].beskrivelse
    assert sorted(h.objekt_id for h in admin_raekker if h.handling == "admin_slettet") == sorted(
        str(g.pk) for g in [gruppe, *andre])


def test_every_kind_of_row_appears_on_the_page_with_its_address(lav_aftale, personas, admin_user):
    aftale = lav_aftale(Status.INDSTILLET)
    sek = APIClient(REMOTE_ADDR="192.0.2.51")
    sek.force_authenticate(personas["sekretariat"])
    kommune = APIClient(REMOTE_ADDR="192.0.2.52")
    kommune.force_authenticate(personas["kommune_a"])
    assert kommune.post(f"/api/v1/aftaler/{aftale.slug}/godkendelser/", {
        "part": "kommune-a", "beslutning": "afvist", "dato": I_DAG.isoformat()}, format="json").status_code == 201
    assert sek.post(f"/api/v1/aftaler/{aftale.slug}/overgange/", {"handling": Handling.SEND_RETUR},
                    format="json").status_code in {200, 201}
    assert log_ind("kommune-b", "demo", "192.0.2.53").status_code == 302
    assert log_ind("kommune-b", "forkert", "192.0.2.54").status_code == 200
    udenfor = Client(REMOTE_ADDR="192.0.2.55")
    udenfor.force_login(personas["udenforstaaende"])
    assert udenfor.get(SIDE).status_code == 404
    admin = Client(REMOTE_ADDR="192.0.2.56")
    admin.force_login(admin_user)
    assert admin.post(reverse("admin:auth_group_add"), {"name": "Revisorer"}).status_code == 302

    for slags, ip in [("beslutning", "192.0.2.52"), ("overgang", "192.0.2.51"), ("logget_ind", "192.0.2.53"),
                      ("login_fejlet", "192.0.2.54"), ("afvist", "192.0.2.55"), ("admin", "192.0.2.56")]:
        side = admin.get(SIDE, {"slags": slags})
        assert side.status_code == 200
        assert ip in side.content.decode(), slags
        assert {r["h"].ip for r in side.context["raekker"]} >= {ip}


# --- the page ----------------------------------------------------------------------------------------


def _lav(handling: str, bruger=None, ip: str | None = None, beskrivelse: str = "", dage_siden: int = 0, **data):
    """A row as a service would write it, `dage_siden` days ago."""
    return Haendelse.objects.create(
        handling=handling, bruger=bruger, bruger_navn=bruger.username if bruger else "", objekt_type="auth.user",
        objekt_id="1", beskrivelse=beskrivelse or handling, data=data, ip=ip,
        tidspunkt=timezone.now() - datetime.timedelta(days=dage_siden))


def test_the_page_shows_every_kind_newest_first(admin, personas):
    _lav("overgang", personas["sekretariat"], "192.0.2.1", "Aftale X: Send i høring")
    _lav("login_fejlet", None, "203.0.113.7", "Mislykket log-ind som »mallory«.", brugernavn="mallory")
    _lav("afvist", personas["kommune_b"], "192.0.2.3", "GET /arbejde/aftaler/x/")
    _lav("afvist", None, "192.0.2.6", "GET /arbejde/aftaler/y/")
    _lav("implementering_videreført", None, None, "Af en opgave")

    side = admin.get(SIDE)

    assert side.status_code == 200
    tekst = side.content.decode()
    assert "<h1>Revisionsspor</h1>" in tekst
    assert tekst.index("GET /arbejde/aftaler/x/") < tekst.index("mallory") < tekst.index("Aftale X")
    for bid in ["Overgang", "Mislykket log-ind", "Afvist", "Forsøgt: mallory", "203.0.113.7", "192.0.2.3"]:
        assert bid in tekst
    hvem = {r["h"].beskrivelse: r["bruger"] for r in side.context["raekker"]}
    assert (hvem["GET /arbejde/aftaler/y/"], hvem["Af en opgave"]) == ("Ikke logget ind", "Systemet")


FEM = {"fejl", "afvist", "admin", "andet", "gammel"}


@pytest.mark.parametrize(("parametre", "forventet"), [
    ({"slags": "login_fejlet"}, {"fejl"}),
    ({"slags": "admin"}, {"admin"}),
    ({"slags": "oevrige"}, {"andet"}),
    ({"bruger": "kommune-b"}, {"afvist"}),
    ({"bruger": "mallory"}, {"fejl"}),
    ({"objekt": "/arbejde/aftaler/"}, {"afvist"}),
    ({"ip": "203.0.113."}, {"fejl"}),
    ({"fra": "2000-01-01", "til": (timezone.localdate() - datetime.timedelta(days=5)).isoformat()}, {"gammel"}),
    ({"fra": timezone.localdate().isoformat()}, {"fejl", "afvist", "admin", "andet"}),
    ({"slags": "afvist", "ip": "10."}, set()),
])
def test_the_filters_narrow_the_page_and_the_file(admin, personas, parametre, forventet):
    _lav("login_fejlet", None, "203.0.113.7", "fejl", brugernavn="mallory")
    _lav("afvist", personas["kommune_b"], "192.0.2.3", "afvist GET /arbejde/aftaler/x/")
    _lav("admin_aendret", None, "192.0.2.4", "admin")
    _lav("ny_version", None, None, "andet")
    _lav("overgang", None, "192.0.2.5", "gammel", dage_siden=10)

    side = admin.get(SIDE, parametre)
    fil = admin.get(CSV, parametre)

    assert side.status_code == 200
    # (The personas' memberships are rows too, of the kind "Øvrige ændringer": only these five count here.)
    assert {r["h"].beskrivelse.split(" ")[0] for r in side.context["raekker"]} & FEM == forventet
    linjer = list(csv.DictReader(io.StringIO(b"".join(fil.streaming_content).decode("utf-8-sig"))))
    assert {r["beskrivelse"].split(" ")[0] for r in linjer} & FEM == forventet


def test_a_bad_date_is_named_in_danish_and_filters_nothing(admin):
    _lav("afvist", None, "192.0.2.3", "en")

    svar = admin.get(SIDE, {"fra": "i går", "til": "2020-01-01", "ip": "192."})

    assert svar.status_code == 400
    tekst = svar.content.decode()
    assert "Skriv datoen som ÅÅÅÅ-MM-DD." in tekst
    assert len(svar.context["raekker"]) == 0  # "til" 2020 still filters; "fra" is ignored


def test_the_page_is_paged_and_the_links_keep_the_filters(admin):
    for n in range(55):
        _lav("afvist", None, "192.0.2.3", f"nr {n}")

    foerste = admin.get(SIDE, {"slags": "afvist"})
    anden = admin.get(SIDE, {"slags": "afvist", "side": "2"})

    assert len(foerste.context["raekker"]) == 50 and len(anden.context["raekker"]) == 5
    assert 'href="?slags=afvist&amp;side=2"' in foerste.content.decode()
    assert 'href="/arbejde/revision/csv?slags=afvist"' in foerste.content.decode()


def test_the_csv_file_has_every_column_and_is_safe_in_a_spreadsheet(admin, personas):
    _lav("login_fejlet", None, "203.0.113.7", "=HYPERLINK(\"http://x\")", brugernavn="=cmd|' /C calc'!A0")
    _lav("overgang", personas["sekretariat"], "192.0.2.1", "Aftale X")

    svar = admin.get(CSV)

    assert svar.status_code == 200
    assert svar["Content-Type"] == "text/csv; charset=utf-8"
    assert svar["Content-Disposition"].startswith('attachment; filename="revisionsspor-')
    indhold = b"".join(svar.streaming_content).decode("utf-8")
    assert indhold.startswith("\ufeff")
    linjer = list(csv.DictReader(io.StringIO(indhold.lstrip("\ufeff"))))
    assert list(linjer[0]) == ["tidspunkt", "bruger", "brugernavn", "handling", "hvad", "objekt_type", "objekt_id",
                               "beskrivelse", "ip", "browser", "data"]
    nyeste, aeldste = [r for r in linjer if r["ip"]]  # the personas' memberships have no address
    assert (nyeste["handling"], nyeste["bruger"], nyeste["ip"]) == ("overgang", "sekretariat", "192.0.2.1")
    assert (aeldste["handling"], aeldste["hvad"], aeldste["ip"]) == ("login_fejlet", "Mislykket log-ind", "203.0.113.7")
    assert aeldste["beskrivelse"].startswith("'=HYPERLINK")
    assert aeldste["brugernavn"] == "'=cmd|' /C calc'!A0"
    assert datetime.datetime.fromisoformat(nyeste["tidspunkt"]).tzinfo is not None


# --- only administrators -----------------------------------------------------------------------------


PERSONAER = ["sekretariat", "temagruppe", "styregruppe", "klynge", "kommune_a", "kommune_b", "region",
             "udenforstaaende"]


@pytest.mark.parametrize("persona", PERSONAER)
@pytest.mark.parametrize("url", [SIDE, CSV])
def test_everyone_but_administrators_gets_404(personas, persona, url):
    klient = Client()
    klient.force_login(personas[persona])

    assert klient.get(url).status_code == 404
    # The attempt is itself in the trail.
    assert Haendelse.objects.filter(handling="afvist", bruger=personas[persona], data__sti=url).count() == 1


def test_a_staff_user_without_the_permission_gets_404_and_one_with_it_reads(db):
    personale = UserFactory(username="personale", is_staff=True)
    revisor = UserFactory(username="revisor")
    revisor.user_permissions.add(Permission.objects.get(codename="view_haendelse"))
    klient = Client()

    klient.force_login(personale)
    assert klient.get(SIDE).status_code == 404
    klient.force_login(revisor)
    assert klient.get(SIDE).status_code == 200


def test_the_anonymous_are_sent_to_the_login(db):
    for url in [SIDE, CSV]:
        svar = Client().get(url)
        assert svar.status_code == 302 and svar["Location"].startswith("/log-ind/")


def test_administrators_find_the_page_from_their_tasks(admin, personas):
    assert 'href="/arbejde/revision/"' in admin.get("/arbejde/").content.decode()
    klient = Client()
    klient.force_login(personas["kommune_a"])
    assert 'href="/arbejde/revision/"' not in klient.get("/arbejde/").content.decode()


# --- a constant number of queries --------------------------------------------------------------------


def _antal_forespoergsler(klient, url, parametre=None) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        assert klient.get(url, parametre or {}).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_runs_the_same_queries_for_5_and_50_rows(admin, personas, django_assert_max_num_queries):
    brugere = list(personas.values())
    for n in range(5):
        _lav("afvist", brugere[n % len(brugere)], "192.0.2.3", f"nr {n}")
    admin.get(SIDE)
    med_5 = _antal_forespoergsler(admin, SIDE)
    for n in range(45):
        _lav("overgang", brugere[n % len(brugere)], "192.0.2.4", f"nr {n}")

    with django_assert_max_num_queries(med_5):
        assert admin.get(SIDE).status_code == 200
    with django_assert_max_num_queries(med_5):
        assert admin.get(SIDE, {"slags": "overgang", "bruger": "k"}).status_code == 200
    assert med_5 <= 5  # session, user, count, rows (with their users), and no more


# --- nobody changes or deletes a row -----------------------------------------------------------------


def test_the_admin_shows_a_row_but_refuses_to_add_change_or_delete(admin, admin_user):
    h = haendelse_registrer(bruger=admin_user, handling="test", objekt=admin_user)

    assert admin.get(reverse("admin:sundhed_haendelse_changelist")).status_code == 200
    assert admin.get(reverse("admin:sundhed_haendelse_change", args=[h.pk])).status_code == 200  # read only
    assert admin.post(reverse("admin:sundhed_haendelse_change", args=[h.pk]),
                      {"beskrivelse": "Ændret"}).status_code == 403
    assert admin.get(reverse("admin:sundhed_haendelse_delete", args=[h.pk])).status_code == 403
    assert admin.post(reverse("admin:sundhed_haendelse_delete", args=[h.pk]), {"post": "yes"}).status_code == 403
    assert admin.get(reverse("admin:sundhed_haendelse_add")).status_code == 403
    svar = admin.post(reverse("admin:sundhed_haendelse_changelist"),
                      {"action": "delete_selected", "_selected_action": [h.pk], "post": "yes"})
    assert svar.status_code in {200, 302}
    h_nu = Haendelse.objects.get(pk=h.pk)
    assert h_nu.beskrivelse == h.beskrivelse


def test_the_database_refuses_to_change_a_row_after_the_new_columns(admin_user):
    h = haendelse_registrer(bruger=admin_user, handling="test", objekt=admin_user)

    for felter in [{"ip": "192.0.2.99"}, {"brugeragent": "forfalsket"}, {"beskrivelse": "Ændret"}]:
        with pytest.raises(DatabaseError), transaction.atomic():
            Haendelse.objects.filter(pk=h.pk).update(**felter)
    assert Haendelse.objects.get(pk=h.pk).ip is None


def test_the_api_has_no_way_to_write_or_delete_audit_rows(admin_user):
    api = APIClient()
    api.force_authenticate(admin_user)
    skema = api.get("/api/schema/", {"format": "json"}).json()

    assert not [sti for sti in skema["paths"] if "haendelse" in sti or "revision" in sti]
    assert api.post("/api/v1/haendelser/", {"beskrivelse": "x"}, format="json").status_code == 404


def test_the_source_is_empty_outside_a_request():
    assert kilde.nuvaerende() == kilde.INGEN
