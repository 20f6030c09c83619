"""The agreement API end to end: the lifecycle through HTTP only, lost updates, cleaning, Danish
errors, what the public sees, and pinned query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from aftaler import selectors, services
from aftaler.choices import Beslutning, Omfang, Status
from aftaler.models import AftaleVersion, Godkendelse, Implementering
from aftaler.workflow import Handling
from organisation.choices import PartType
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk, raadssekretaer
from tests.conftest import totp_felter
from tests.factories import PartFactory, UserFactory

pytestmark = pytest.mark.django_db

OM_ET_AAR = I_DAG + datetime.timedelta(days=365)
LISTE = "/api/v1/aftaler/"


def url(slug: str, *dele: str) -> str:
    return "/".join([LISTE.rstrip("/"), slug, *dele, ""])


def logget_ind(brugernavn: str) -> APIClient:
    """An API client carrying the token the user gets from /api/v1/auth/token/ (password `demo`)."""
    klient = APIClient()
    # The secretariat gives its TOTP code too (sundhed.mfa).
    data = {"username": brugernavn, "password": "demo", **totp_felter(brugernavn)}
    svar = klient.post("/api/v1/auth/token/", data, format="json")
    assert svar.status_code == 200, svar.content
    klient.credentials(HTTP_AUTHORIZATION=f"Token {svar.json()['token']}")
    return klient


@pytest.fixture
def klienter(personas, struktur, udvalg):
    """One logged-in client per persona (plus municipality C's council secretariat) and an anonymous one."""
    raadssekretaer(struktur["kommune_c"], "raadssekretaer")
    k = {navn: logget_ind(bruger.username) for navn, bruger in personas.items()}
    k["kommune_c"] = logget_ind("raadssekretaer")
    k["anonym"] = APIClient()
    return k


def post(klient, adresse, data, status_kode=201):
    svar = klient.post(adresse, data, format="json")
    assert svar.status_code == status_kode, svar.content.decode()
    return svar.json()


def beslut(klient, slug: str, part: str, beslutning: str = Beslutning.GODKENDT, status_kode: int = 201) -> dict:
    return post(klient, url(slug, "godkendelser"), {
        "part": part, "beslutning": beslutning, "dato": I_DAG.isoformat(), "sagsnummer": f"{part}-17",
        "referat_url": f"https://{part}.dk/referat", "bemaerkning": "Behandlet på mødet.",
    }, status_kode)


def overgang(klient, slug: str, handling: str, status_kode: int = 201, **felter) -> dict:
    return post(klient, url(slug, "overgange"), {"handling": handling, **felter}, status_kode)


# --- the lifecycle ------------------------------------------------------------------------------


def test_the_whole_lifecycle_runs_through_the_api(klienter, struktur):
    sek = klienter["sekretariat"]

    # The secretariat creates an agreement with only a title: a regional draft with a first version.
    aftale = post(sek, LISTE, {"titel": "Aftale om sundhedsvisitationer"})
    slug = aftale["slug"]
    assert slug == "aftale-om-sundhedsvisitationer"
    assert (aftale["status"], aftale["omfang"], aftale["klynge"], aftale["version"]) == ("udkast", "regional", None, 1)
    assert aftale["url"].endswith(url(slug))

    version = post(sek, url(slug, "versioner"), {"tekst": "<p>Udkast til høring.</p>", "aendringsnote": "Tekst",
                                                 "grundlag": 1})
    # The first text fills version 1 (no empty "phantom" version before it).
    assert version["nummer"] == 1 and version["forfatter"] == "sekretariat"

    assert overgang(sek, slug, Handling.SEND_I_HOERING, hoeringsfrist=OM_EN_MAANED.isoformat())["status"] == "hoering"
    # Municipality A answers the consultation for itself; it sees its own answer, B sees none.
    svar = post(klienter["kommune_a"], url(slug, "hoeringssvar"), {"part": "kommune-a", "tekst": "<p>Vi støtter.</p>"})
    assert (svar["part"], svar["version"]) == ("kommune-a", 1)
    assert len(klienter["kommune_a"].get(url(slug, "hoeringssvar")).json()) == 1
    assert klienter["kommune_b"].get(url(slug, "hoeringssvar")).json() == []
    assert len(sek.get(url(slug, "hoeringssvar")).json()) == 1
    assert overgang(sek, slug, Handling.AFSLUT_HOERING)["status"] == "udkast"

    post(sek, url(slug, "versioner"), {"tekst": "<p>Endelig tekst efter høringen.</p>", "aendringsnote": "Høringssvar",
                                       "grundlag": 1})
    indstillet = overgang(sek, slug, Handling.INDSTIL, beslutningsfrist=OM_EN_MAANED.isoformat(),
                          note="Anbefalet på mødet")
    assert (indstillet["status"], indstillet["version"]) == ("indstillet", 2)
    detalje = klienter["anonym"].get(url(slug)).json()  # public from indstillet on
    assert detalje["godkendelser_status"] == {"godkendt": 0, "afvist": 0, "udsat": 0, "mangler": 4, "antal": 4}
    assert [b["udfald"] for b in sek.get(url(slug, "behandlinger")).json()] == ["anbefalet"]

    # Each council records its own decision; the last one makes the agreement approved.
    beslut(klienter["kommune_b"], slug, "kommune-b", Beslutning.UDSAT)
    assert beslut(klienter["kommune_a"], slug, "kommune-a")["aftale_status"] == "indstillet"
    beslut(klienter["kommune_b"], slug, "kommune-b")
    beslut(klienter["region"], slug, "region-midtjylland")
    sidste = beslut(klienter["kommune_c"], slug, "kommune-c")
    assert sidste["aftale_status"] == "godkendt"

    detalje = sek.get(url(slug)).json()
    assert (detalje["status"], detalje["godkendt_dato"]) == ("godkendt", I_DAG.isoformat())
    assert detalje["godkendelser_status"] == {"godkendt": 4, "afvist": 0, "udsat": 0, "mangler": 0, "antal": 4}
    assert {(g["part"], g["beslutning"]) for g in detalje["godkendelser"]} == {
        ("kommune-a", "godkendt"), ("kommune-b", "udsat"), ("kommune-b", "godkendt"),
        ("region-midtjylland", "godkendt"), ("kommune-c", "godkendt"),
    }
    a = next(g for g in detalje["godkendelser"] if g["part"] == "kommune-a")
    assert a == {**a, "part_navn": "Kommune A", "dato": I_DAG.isoformat(), "sagsnummer": "kommune-a-17",
                 "referat_url": "https://kommune-a.dk/referat", "bemaerkning": "Behandlet på mødet.", "version": 2}

    offentlig = overgang(sek, slug, Handling.OFFENTLIGGOER, ikrafttraedelse=I_DAG.isoformat(),
                         revisionsdato=OM_ET_AAR.isoformat())
    assert offentlig["status"] == "i_kraft"
    detalje = klienter["anonym"].get(url(slug)).json()
    assert (detalje["offentliggjort_version"], detalje["ikrafttraedelse"]) == (2, I_DAG.isoformat())
    assert detalje["tekst"] == "<p>Endelig tekst efter høringen.</p>"

    # The cluster member records implementation for its own cluster, not for another.
    klynge = klienter["klynge"]
    raekke = klynge.put(url(slug, "implementering", "klynge-et"), {"status": "i_gang", "note": "Plan vedtaget"},
                        format="json")
    assert raekke.status_code == 200, raekke.content
    assert raekke.json() | {"opdateret": None} == {
        "klynge": "klynge-et", "klynge_navn": "Klynge Et", "status": "i_gang", "status_navn": "I gang",
        "note": "Plan vedtaget", "opdateret": None, "opdateret_af": "klynge", "opdateret_af_navn": "klynge",
        "forgaenger": None, "fortsat_fra": None, "klynge_i_kraft": True,
    }
    anden = klynge.put(url(slug, "implementering", "klynge-to"), {"status": "i_gang"}, format="json")
    assert anden.status_code == 403
    assert Implementering.objects.get(klynge=struktur["anden_klynge"]).status == "ikke_startet"
    assert [r["status"] for r in klienter["anonym"].get(url(slug, "implementering")).json()] == [
        "i_gang", "ikke_startet"]
    assert klienter["anonym"].get(url(slug, "implementering", "klynge-et")).json()["opdateret_af"] is None

    historik = sek.get(url(slug, "overgange")).json()
    assert [(o["handling"], o["til_status"]) for o in historik] == [
        ("send_i_hoering", "hoering"), ("afslut_hoering", "udkast"), ("indstil", "indstillet"),
        ("automatisk_godkendt", "godkendt"), ("offentliggoer", "i_kraft"),
    ]
    assert historik[2]["note"] == "Anbefalet på mødet" and historik[2]["bruger"] == "sekretariat"


def test_a_rejection_sends_the_agreement_back_and_the_new_version_starts_with_no_decisions(klienter, lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)
    sek, slug = klienter["sekretariat"], aftale.slug
    beslut(klienter["kommune_b"], slug, "kommune-b")
    beslut(klienter["kommune_a"], slug, "kommune-a", Beslutning.AFVIST)
    assert sek.get(url(slug)).json()["godkendelser_status"]["afvist"] == 1

    assert overgang(sek, slug, Handling.SEND_RETUR, note="Afvist i Kommune A")["status"] == "udkast"
    post(sek, url(slug, "versioner"), {"tekst": "<p>Rettet efter afvisningen.</p>", "grundlag": 1})
    assert overgang(sek, slug, Handling.INDSTIL, beslutningsfrist=OM_EN_MAANED.isoformat())["status"] == "indstillet"

    detalje = sek.get(url(slug)).json()
    assert detalje["version"] == 2
    assert detalje["godkendelser"] == []
    assert detalje["godkendelser_status"] == {"godkendt": 0, "afvist": 0, "udsat": 0, "mangler": 4, "antal": 4}
    # The earlier decisions stay in the history, pinned to version 1.
    alle = sek.get(url(slug, "godkendelser")).json()
    assert {(g["part"], g["beslutning"], g["version"]) for g in alle} == {
        ("kommune-b", "godkendt", 1), ("kommune-a", "afvist", 1)}
    # Municipality B must decide again on the new version.
    assert beslut(klienter["kommune_b"], slug, "kommune-b")["version"] == 2


def test_a_municipality_cannot_record_a_decision_for_another(klienter, lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)
    svar = klienter["kommune_b"].post(url(aftale.slug, "godkendelser"), {
        "part": "kommune-a", "beslutning": "godkendt", "dato": I_DAG.isoformat()}, format="json")
    assert svar.status_code == 403
    assert svar.json() == {"detail": "Du kan kun registrere beslutninger for din egen myndighed."}
    assert not Godkendelse.objects.exists()


def test_an_unknown_party_is_a_validation_error_naming_the_field(klienter, lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)
    svar = klienter["kommune_a"].post(url(aftale.slug, "godkendelser"), {
        "part": "atlantis", "beslutning": "godkendt", "dato": I_DAG.isoformat()}, format="json")
    assert svar.status_code == 400
    assert svar.json() == {"part": ["Der findes ingen part med slug 'atlantis'."]}


def test_a_local_agreement_is_created_for_its_cluster(klienter):
    svar = post(klienter["sekretariat"], LISTE, {"titel": "Lokal aftale", "omfang": "lokal", "klynge": "klynge-et",
                                                 "tekst": "<p>Kun i klyngen.</p>"})
    assert (svar["omfang"], svar["klynge"], svar["tekst"]) == ("lokal", "klynge-et", "<p>Kun i klyngen.</p>")
    assert svar["godkendelser_status"]["antal"] == 3  # the cluster's two municipalities and the region


def test_the_owning_theme_group_can_create_and_edit_its_own_draft(klienter, struktur):
    tg = klienter["temagruppe"]
    aftale = post(tg, LISTE, {"titel": "Gruppens aftale", "ejer_forum": "temagruppe-forebyggelse"})
    assert aftale["tilladelser"]["redigere"] is True
    rettet = tg.patch(url(aftale["slug"]), {"revision": aftale["revision"], "resume": "Kort"}, format="json")
    assert rettet.status_code == 200 and rettet.json()["resume"] == "Kort"
    # Without naming its own group it may not create an agreement.
    assert tg.post(LISTE, {"titel": "Ingen ejer"}, format="json").status_code == 403


def test_forum_dealings_are_recorded_by_the_secretariat(klienter, lav_aftale, struktur):
    aftale = lav_aftale()
    svar = post(klienter["sekretariat"], url(aftale.slug, "behandlinger"), {
        "forum": "sundhedsstyregruppen", "dato": I_DAG.isoformat(), "udfald": "droeftet", "note": "Godt udkast"})
    assert (svar["forum"], svar["udfald"], svar["version"]) == ("sundhedsstyregruppen", "droeftet", 1)
    nej = klienter["styregruppe"].post(url(aftale.slug, "behandlinger"), {
        "forum": "sundhedsstyregruppen", "dato": I_DAG.isoformat(), "udfald": "droeftet"}, format="json")
    assert nej.status_code == 403
    assert len(klienter["styregruppe"].get(url(aftale.slug, "behandlinger")).json()) == 1


# --- lost updates -------------------------------------------------------------------------------


def test_a_stale_patch_is_refused_with_409_and_changes_nothing(klienter, lav_aftale):
    aftale = lav_aftale()
    sek = klienter["sekretariat"]
    laest = sek.get(url(aftale.slug)).json()
    forste = sek.patch(url(aftale.slug), {"revision": laest["revision"], "titel": "Første redaktør"}, format="json")
    assert forste.status_code == 200 and forste.json()["revision"] == laest["revision"] + 1

    anden = sek.patch(url(aftale.slug), {"revision": laest["revision"], "titel": "Anden redaktør",
                                         "tekst": "<p>Overskriver</p>"}, format="json")
    assert anden.status_code == 409
    assert set(anden.json()) == {"detail"} and "gemt af en anden" in anden.json()["detail"]
    frisk = _frisk(aftale)
    assert (frisk.titel, frisk.revision, frisk.versioner.count()) == ("Første redaktør", laest["revision"] + 1, 1)


def test_a_patch_without_revision_is_refused(klienter, lav_aftale):
    svar = klienter["sekretariat"].patch(url(lav_aftale().slug), {"titel": "X"}, format="json")
    assert svar.status_code == 400
    assert svar.json() == {"revision": ["Send aftalens `revision`, som du læste den."]}


def test_a_text_change_by_patch_fills_the_draft_version(klienter, lav_aftale):
    aftale = lav_aftale()
    svar = klienter["sekretariat"].patch(url(aftale.slug), {
        "revision": 0, "tekst": "<p>Ny tekst</p>", "aendringsnote": "Omskrevet"}, format="json")
    assert svar.status_code == 200
    assert (svar.json()["version"], svar.json()["tekst"]) == (1, "<p>Ny tekst</p>")
    assert AftaleVersion.objects.get(aftale=aftale, nummer=1).aendringsnote == "Omskrevet"
    assert AftaleVersion.objects.filter(aftale=aftale).count() == 1


def test_a_version_based_on_an_older_one_is_refused_with_409(klienter, lav_aftale):
    aftale = lav_aftale()
    sek = klienter["sekretariat"]
    post(sek, url(aftale.slug, "versioner"), {"tekst": "<p>To</p>", "grundlag": 1})
    svar = sek.post(url(aftale.slug, "versioner"), {"tekst": "<p>Også to</p>", "grundlag": 1}, format="json")
    assert svar.status_code == 409
    assert svar.json() == {"detail": "Der er kommet en nyere version (2) end den, du tog udgangspunkt i (1)."}
    assert aftale.versioner.count() == 2


# --- cleaning -----------------------------------------------------------------------------------

XSS = ('<p onclick="stjael()">Hej<script>alert(1)</script> <a href="javascript:alert(2)">link</a>'
       '<img src="x" onerror="alert(3)"><a href="https://rm.dk" onmouseover="alert(4)">rm</a></p>')


def _uskadelig(html: str) -> None:
    lav = html.lower()
    assert "<script" not in lav and "javascript:" not in lav and "<img" not in lav
    assert not re.search(r"\son\w+\s*=", lav)  # no onclick=, onerror=, onmouseover= ...
    assert "Hej" in html and 'href="https://rm.dk"' in html


def test_script_in_text_comes_back_cleaned(klienter):
    sek = klienter["sekretariat"]
    aftale = post(sek, LISTE, {"titel": "XSS", "tekst": XSS})
    _uskadelig(aftale["tekst"])
    version = post(sek, url(aftale["slug"], "versioner"), {"tekst": XSS, "grundlag": 1})
    _uskadelig(version["tekst"])
    _uskadelig(sek.get(url(aftale["slug"], "versioner", "2")).json()["tekst"])
    _uskadelig(AftaleVersion.objects.get(aftale__slug=aftale["slug"], nummer=2).tekst)


# --- errors in Danish ---------------------------------------------------------------------------


def test_an_unknown_agreement_is_404_in_danish(klienter):
    for klient in (klienter["anonym"], klienter["sekretariat"]):
        svar = klient.get(url("findes-ikke"))
        assert svar.status_code == 404
        assert svar.json() == {"detail": "Findes ikke."}


def test_validation_errors_name_the_field_in_danish(klienter):
    sek = klienter["sekretariat"]
    assert sek.post(LISTE, {}, format="json").json() == {"titel": ["Skriv en titel."]}
    lokal = sek.post(LISTE, {"titel": "Lokal", "omfang": "lokal"}, format="json")
    assert lokal.status_code == 400 and lokal.json() == {"klynge": ["Vælg klyngen for en lokal aftale."]}
    assert sek.post(LISTE, {"titel": "X", "omfang": "global"}, format="json").json() == {
        "omfang": ["'global' er ikke en gyldig værdi."]}
    assert sek.post(LISTE, {"titel": "X", "revisionsdato": "1/2/2026"}, format="json").json() == {
        "revisionsdato": ["Datoen skal skrives som ÅÅÅÅ-MM-DD."]}


def test_a_transition_from_the_wrong_state_names_the_action(klienter, lav_aftale):
    aftale = lav_aftale()
    svar = klienter["sekretariat"].post(url(aftale.slug, "overgange"), {"handling": "offentliggoer",
                                                                        "ikrafttraedelse": I_DAG.isoformat()},
                                        format="json")
    assert svar.status_code == 400
    assert svar.json() == {"handling": ["'Offentliggør' kan ikke udføres, når aftalen har status 'Udkast'."]}
    ukendt = klienter["sekretariat"].post(url(aftale.slug, "overgange"), {"handling": "slet"}, format="json")
    assert ukendt.json() == {"handling": ["'slet' er ikke en kendt handling."]}
    assert _frisk(aftale).status == Status.UDKAST


def test_writes_need_a_login_and_a_drafting_right(klienter):
    anonym = klienter["anonym"].post(LISTE, {"titel": "X"}, format="json")
    assert anonym.status_code == 401
    assert anonym.json() == {"detail": "Du skal logge ind (Authorization: Token <nøgle>)."}
    kommune = klienter["kommune_a"].post(LISTE, {"titel": "X", "omfang": "lokal"}, format="json")
    assert kommune.status_code == 403
    assert kommune.json() == {"detail": "Du har ikke ret til at oprette samarbejdsaftaler."}


def test_an_invalid_filter_is_a_danish_validation_error(klienter):
    svar = klienter["anonym"].get(LISTE, {"status": "kladde"})
    assert svar.status_code == 400
    assert list(svar.json()) == ["status"]


# --- what the public sees -----------------------------------------------------------------------


def test_anonymous_sees_only_public_agreements(klienter, lav_aftale):
    udkast = lav_aftale(Status.UDKAST, titel="Udkast")
    hoering = lav_aftale(Status.HOERING, titel="Høring")
    indstillet = lav_aftale(Status.INDSTILLET, titel="Indstillet")
    svar = klienter["anonym"].get(LISTE).json()
    assert svar["count"] == 1
    assert [a["slug"] for a in svar["results"]] == [indstillet.slug]
    for skjult in (udkast, hoering):
        assert klienter["anonym"].get(url(skjult.slug)).status_code == 404
        assert klienter["anonym"].get(url(skjult.slug, "versioner")).status_code == 404
        assert klienter["udenforstaaende"].get(url(skjult.slug)).status_code == 404
    assert {a["slug"] for a in klienter["sekretariat"].get(LISTE).json()["results"]} == {
        udkast.slug, hoering.slug, indstillet.slug}


def test_the_public_reads_the_published_version_while_a_revision_is_drafted(klienter, lav_aftale):
    aftale = lav_aftale(Status.I_KRAFT)
    sek = klienter["sekretariat"]
    assert overgang(sek, aftale.slug, Handling.REVIDER)["status"] == "udkast"
    post(sek, url(aftale.slug, "versioner"), {"tekst": "<p>Hemmeligt revisionsudkast</p>", "grundlag": 1})

    offentlig = klienter["anonym"].get(url(aftale.slug)).json()
    # Not even the draft's number: the public reads version 1 and is told of no other.
    assert (offentlig["status"], offentlig["version"], offentlig["tekst_version"]) == ("udkast", 1, 1)
    assert offentlig["tekst"] == "<p>Første tekst om borgeren.</p>"
    assert [v["nummer"] for v in klienter["anonym"].get(url(aftale.slug, "versioner")).json()] == [1]
    assert klienter["anonym"].get(url(aftale.slug, "versioner", "2")).status_code == 404
    assert klienter["kommune_a"].get(url(aftale.slug)).json()["tekst_version"] == 1

    intern = sek.get(url(aftale.slug)).json()
    assert (intern["version"], intern["tekst_version"], intern["tekst"]) == (2, 2, "<p>Hemmeligt revisionsudkast</p>")


def test_the_list_filters_by_slug(klienter, lav_aftale, struktur):
    lav_aftale(Status.INDSTILLET, titel="Regional")
    lokal = lav_aftale(Status.INDSTILLET, titel="Lokal", omfang=Omfang.LOKAL, klynge=struktur["klynge"])
    egen = lav_aftale(Status.UDKAST, titel="Gruppens", ejer_forum=struktur["fora"]["temagruppe"])
    sek = klienter["sekretariat"]

    def slugs(**params):
        return [a["slug"] for a in sek.get(LISTE, params).json()["results"]]

    assert slugs(omfang="lokal") == slugs(klynge="klynge-et") == [lokal.slug]
    assert slugs(ejer="temagruppe-forebyggelse") == slugs(status="udkast") == [egen.slug]
    assert slugs(klynge="klynge-to") == []


def test_the_list_summary_agrees_with_the_selector(klienter, lav_aftale, struktur):
    plo = PartFactory(navn="PLO-Midtjylland", slug="plo-midtjylland", type=PartType.ALMEN_PRAKSIS)
    sek_bruger = UserFactory(username="sekretariat")
    med_plo = lav_aftale(Status.UDKAST, titel="Med PLO")
    services.ekstra_parter_saet(aftale=med_plo, bruger=sek_bruger, parter=[plo])
    lav_aftale(Status.INDSTILLET, titel="Lokal", omfang=Omfang.LOKAL, klynge=struktur["klynge"])
    delvis = lav_aftale(Status.INDSTILLET, titel="Delvis")
    beslut(klienter["kommune_a"], delvis.slug, "kommune-a")
    beslut(klienter["kommune_b"], delvis.slug, "kommune-b", Beslutning.UDSAT)
    beslut(klienter["region"], delvis.slug, "region-midtjylland", Beslutning.AFVIST)
    lav_aftale(Status.GODKENDT, titel="Godkendt")

    resultater = klienter["sekretariat"].get(LISTE).json()["results"]
    assert len(resultater) == 4
    for raekke in resultater:
        f = selectors.fremdrift(selectors.aftaler_med_detaljer().get(slug=raekke["slug"]))
        assert raekke["godkendelser_status"] == {
            "godkendt": f.godkendt, "afvist": f.afvist, "udsat": f.udsat, "mangler": f.mangler, "antal": f.antal}
        detalje = klienter["sekretariat"].get(url(raekke["slug"])).json()
        assert detalje["godkendelser_status"] == raekke["godkendelser_status"]
        assert detalje["godkendelser"] == raekke["godkendelser"]
    assert next(r for r in resultater if r["slug"] == delvis.slug)["godkendelser_status"] == {
        "godkendt": 1, "afvist": 1, "udsat": 1, "mangler": 1, "antal": 4}
    assert next(r for r in resultater if r["titel"] == "Med PLO")["godkendelser_status"]["antal"] == 5


# --- query counts ---------------------------------------------------------------------------------


def _forespoergsler(klient, adresse) -> int:
    with CaptureQueriesContext(connection) as ctx:
        svar = klient.get(adresse)
    assert svar.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["sekretariat", "kommune_a", "anonym"])
def test_the_list_costs_the_same_number_of_queries_for_1_and_30_agreements(klienter, lav_aftale, persona):
    forste = lav_aftale(Status.INDSTILLET, titel="Aftale 0")
    beslut(klienter["kommune_a"], forste.slug, "kommune-a")
    en = _forespoergsler(klienter[persona], LISTE)

    sek = UserFactory(username="sekretariat")
    for i in range(1, 30):
        aftale = services.aftale_opret(bruger=sek, titel=f"Aftale {i}", tekst="<p>Tekst</p>")
        services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, dato=I_DAG,
                                 beslutningsfrist=OM_EN_MAANED)
        if i % 3 == 0:
            beslut(klienter["kommune_b"], aftale.slug, "kommune-b", Beslutning.AFVIST)
    assert klienter[persona].get(LISTE).json()["count"] == 30
    assert _forespoergsler(klienter[persona], LISTE) == en


def test_the_detail_costs_the_same_number_of_queries_with_and_without_decisions(klienter, lav_aftale):
    uden = lav_aftale(Status.INDSTILLET, titel="Uden")
    med = lav_aftale(Status.INDSTILLET, titel="Med")
    beslut(klienter["kommune_a"], med.slug, "kommune-a")
    beslut(klienter["kommune_b"], med.slug, "kommune-b", Beslutning.UDSAT)
    beslut(klienter["region"], med.slug, "region-midtjylland")
    for persona in ("sekretariat", "kommune_a", "anonym"):
        antal = _forespoergsler(klienter[persona], url(uden.slug))
        assert antal == _forespoergsler(klienter[persona], url(med.slug))
        assert antal <= 25


# --- consultation, sessions ---------------------------------------------------------------------


def test_a_cluster_answers_the_consultation_for_itself(klienter, lav_aftale):
    aftale = lav_aftale(Status.HOERING)
    klynge = klienter["klynge"]
    svar = post(klynge, url(aftale.slug, "hoeringssvar"), {"klynge": "klynge-et", "tekst": "<p>Klyngens svar</p>"})
    assert (svar["klynge"], svar["part"], svar["afsender_navn"]) == ("klynge-et", None, "Klynge Et")
    # A second answer replaces the first.
    post(klynge, url(aftale.slug, "hoeringssvar"), {"klynge": "klynge-et", "tekst": "<p>Rettet svar</p>"})
    assert [s["tekst"] for s in klynge.get(url(aftale.slug, "hoeringssvar")).json()] == ["<p>Rettet svar</p>"]
    assert klynge.post(url(aftale.slug, "hoeringssvar"), {"klynge": "klynge-to", "tekst": "<p>Nej</p>"},
                       format="json").status_code == 403
    begge = klynge.post(url(aftale.slug, "hoeringssvar"), {"klynge": "klynge-et", "part": "kommune-a",
                                                           "tekst": "<p>?</p>"}, format="json")
    assert begge.status_code == 400 and list(begge.json()) == ["part"]
    assert klienter["anonym"].get(url(aftale.slug, "hoeringssvar")).status_code == 404


def test_a_session_login_works_as_well_as_a_token(personas, lav_aftale):
    udkast = lav_aftale()
    klient = APIClient()
    klient.force_login(personas["sekretariat"])
    assert [a["slug"] for a in klient.get(LISTE).json()["results"]] == [udkast.slug]
    assert klient.post(LISTE, {"titel": "Via sessionen"}, format="json").status_code == 201


def test_an_unknown_cluster_has_no_implementation_row(klienter, lav_aftale):
    aftale = lav_aftale(Status.I_KRAFT)
    svar = klienter["anonym"].get(url(aftale.slug, "implementering", "atlantis"))
    assert (svar.status_code, svar.json()) == (404, {"detail": "Findes ikke."})


def test_the_public_reads_only_the_versions_the_public_site_shows(personas, udvalg):
    """Drafts written before an agreement was recommended were never public: not in the API either."""
    from tests.aftaler.conftest import OM_EN_MAANED

    s = services
    sek = personas["sekretariat"]
    aftale = s.aftale_opret(bruger=sek, titel="Versioner for offentligheden", tekst="<p>Første udkast</p>")
    s.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision, tekst="<p>Indstillet tekst</p>",
                 ny_version=True)
    s.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, forum=udvalg,
                      beslutningsfrist=OM_EN_MAANED)
    url = f"/api/v1/aftaler/{aftale.slug}/versioner/"
    anonym = APIClient().get(url).json()
    assert [v["nummer"] for v in anonym] == [2]
    assert APIClient().get(url + "1/").status_code == 404
    klient = APIClient()
    klient.force_authenticate(sek)
    assert [v["nummer"] for v in klient.get(url).json()] == [1, 2]
