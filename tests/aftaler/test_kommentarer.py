"""Comments on drafts through the staff pages: who sees, writes and handles them in every state (derived from
the capability table, not from the policies), the service's validation, the section's query count, "Mine
opgaver", and that a comment never reaches anything public or anyone outside the drafting audience."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aftaler import kommentarer, pdf, search, services, sidekontekst
from aftaler.choices import Status
from aftaler.models import Kommentar, Samarbejdsaftale, Soegeindeks
from aftaler.workflow import Handling
from sundhed.exceptions import DomainError, IkkeTilladt
from sundhed.models import Haendelse
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED
from tests.aftaler.test_api_matrix import PERSONAER, kapabiliteter

HANDLINGER = ["se", "kommenter", "behandl"]


# The matrix builds its world once for the module (tests/aftaler/conftest.py `verden`); the other tests
# here use the same structure and personas, each in its own savepoint, instead of building a second one.
@pytest.fixture
def struktur(verden, db):
    return verden["struktur"]


@pytest.fixture
def personas(verden, db):
    return verden["personas"]


@pytest.fixture
def udvalg(verden, db):
    return verden["udvalg"]

# DESIGN.md: comments are for those with the `kommentere` capability; a draft is open for them while it is
# prepared and discussed (udkast, and hoering); from `indstillet` on the version is frozen for the councils.
AABNE = {Status.UDKAST, Status.HOERING}


def publikum(persona: str, struktur) -> bool:
    """The drafting audience, from the capability table: `kommentere`, and reading the drafts (internal
    readers, the secretariat, the owning group; the matrix agreements are the theme group's)."""
    kap = kapabiliteter(persona, struktur)
    ejer = struktur["fora"]["temagruppe"]
    laeser_udkast = (("laese_internt", None) in kap or ("redigere_alle_aftaler", None) in kap
                     or ("redigere_gruppens_aftaler", ejer) in kap)
    return ("kommentere", None) in kap and laeser_udkast


def forventning(persona: str, status: str, handling: str, struktur) -> int:
    if persona == "anonym":
        return 302  # to the login page
    if not publikum(persona, struktur):
        return 404
    if handling == "se":
        return 200
    if handling == "kommenter":
        return 302 if status in AABNE else 404
    if handling == "behandl":
        return 302 if ("redigere_alle_aftaler", None) in kapabiliteter(persona, struktur) else 404
    raise AssertionError(handling)


def tilstand(aftale) -> list:
    """Everything a comment action could change: the comments and the audit rows (a refusal is itself
    logged, sundhed.revision, and changes nothing else)."""
    return [list(Kommentar.objects.filter(version__aftale=aftale).order_by("pk").values_list(
                "pk", "tekst", "behandlet", "behandlet_af_id")),
            Haendelse.objects.exclude(handling="afvist").count()]


@pytest.mark.parametrize("handling", HANDLINGER)
@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("persona", PERSONAER)
def test_comment_matrix_on_the_staff_pages(verden, db, persona, status, handling):
    struktur, aftale = verden["struktur"], verden["aftaler"][status]
    aftale = Samarbejdsaftale.objects.select_related("aktuel_version").get(pk=aftale.pk)
    assert aftale.status == status
    # A comment already there (written while it was open), for reading and handling.
    kommentar = Kommentar.objects.create(version=aftale.aktuel_version, forfatter=verden["personas"]["styregruppe"],
                                         forfatter_navn="styregruppe", tekst="En kommentar fra før.")
    forventet = forventning(persona, status, handling, struktur)
    foer = tilstand(aftale)

    klient = Client()
    if persona != "anonym":
        klient.force_login(verden["personas"][persona])
    base = f"/arbejde/aftaler/{aftale.slug}/kommentarer/"
    if handling == "se":
        svar = klient.get(base)
    elif handling == "kommenter":
        svar = klient.post(base, {"tekst": "Matrixkommentar", "citat": "Første tekst"})
    else:
        svar = klient.post(base + f"{kommentar.pk}/behandlet/")

    hvad = f"{persona} / {handling} / {status}"
    assert svar.status_code == forventet, f"{hvad}: {svar.status_code}"
    efter = tilstand(aftale)
    if forventet == 302 and persona != "anonym":
        if handling == "kommenter":
            ny = Kommentar.objects.filter(version__aftale=aftale).latest("pk")
            assert (ny.tekst, ny.citat, ny.version_id, ny.forfatter) == (
                "Matrixkommentar", "Første tekst", aftale.aktuel_version_id, verden["personas"][persona]), hvad
        else:
            kommentar.refresh_from_db()
            assert kommentar.behandlet is not None and kommentar.behandlet_af == verden["personas"][persona], hvad
        assert efter[1] == foer[1] + 1, f"{hvad}: no audit row"
    else:
        assert efter == foer, f"{hvad} was refused but changed something"
    if forventet == 200:
        assert "En kommentar fra før." in svar.content.decode()


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("persona", PERSONAER)
def test_the_agreement_page_shows_the_comments_section_only_to_the_drafting_audience(verden, db, persona, status):
    struktur, aftale = verden["struktur"], verden["aftaler"][status]
    aftale = Samarbejdsaftale.objects.select_related("aktuel_version").get(pk=aftale.pk)
    Kommentar.objects.create(version=aftale.aktuel_version, forfatter_navn="styregruppe",
                             tekst="Kommentarmarkoer Blaabaer")
    if persona == "anonym":
        return
    klient = Client()
    klient.force_login(verden["personas"][persona])
    svar = klient.get(f"/arbejde/aftaler/{aftale.slug}/")
    if svar.status_code == 404:
        return  # the agreement itself is hidden from this persona
    indhold = svar.content.decode()
    assert ("Blaabaer" in indhold) == publikum(persona, struktur), persona
    assert ('id="kommentarer"' in indhold) == publikum(persona, struktur), persona
    # The form only while the draft is open for comments.
    assert ('name="citat"' in indhold) == (publikum(persona, struktur) and status in AABNE), persona


# --- the service --------------------------------------------------------------------------------------


@pytest.fixture
def udkast(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.UDKAST, ejer_forum=struktur["fora"]["temagruppe"])
    services.aftale_gem(aftale=aftale, bruger=personas["sekretariat"], revision=aftale.revision,
                        felter={}, tekst="<p>Borgeren skal have en <strong>fast kontaktperson</strong> i kommunen.</p>"
                                     "<p>Sygehuset sender epikrisen samme dag.</p>", aendringsnote="", ny_version=False)
    return Samarbejdsaftale.objects.select_related("aktuel_version").get(pk=aftale.pk)


def test_a_comment_is_made_on_the_current_version_with_author_and_body(udkast, personas):
    k = kommentarer.kommentar_opret(bruger=personas["styregruppe"], aftale=udkast, tekst="  Godt forslag.  ",
                                    citat="fast  kontaktperson\ni kommunen")
    assert k.version == udkast.aktuel_version
    assert k.tekst == "Godt forslag."
    assert k.citat == "fast kontaktperson i kommunen"
    assert k.forfatter_navn == "styregruppe"
    assert k.forfatter_myndighed == "Sundhedsstyregruppen"
    assert k.behandlet is None
    rad = Haendelse.objects.get(handling="kommentar_oprettet")
    assert rad.objekt_id == str(k.pk) and "Godt forslag" not in rad.beskrivelse


def test_a_quote_may_span_two_paragraphs_as_the_browser_selects_it(udkast, personas):
    k = kommentarer.kommentar_opret(bruger=personas["styregruppe"], aftale=udkast, tekst="Se her.",
                                    citat="i kommunen. Sygehuset sender")
    assert k.citat == "i kommunen. Sygehuset sender"


@pytest.mark.parametrize(("tekst", "citat", "felt", "besked"), [
    ("", "", "tekst", "Skriv en kommentar."),
    ("   \n ", "", "tekst", "Skriv en kommentar."),
    ("x" * 4001, "", "tekst", "Kommentaren må højst være 4.000 tegn; den er 4.001 tegn."),
    ("Fint", "står ikke i teksten", "citat", "Citatet findes ikke i teksten til version 1."),
    ("Fint", "kontaktperson " * 100, "citat", "Citatet må højst være 1.000 tegn"),
])
def test_a_bad_comment_is_refused_naming_the_field_and_nothing_is_saved(udkast, personas, tekst, citat, felt, besked):
    foer = Haendelse.objects.count()
    with pytest.raises(DomainError) as fejl:
        kommentarer.kommentar_opret(bruger=personas["styregruppe"], aftale=udkast, tekst=tekst, citat=citat)
    assert fejl.value.field == felt
    assert besked in fejl.value.message
    assert not Kommentar.objects.exists() and Haendelse.objects.count() == foer


def test_a_recommended_agreement_is_closed_for_comments(lav_aftale, personas):
    aftale = lav_aftale(Status.INDSTILLET)
    with pytest.raises(DomainError, match="ikke åben for kommentarer"):
        kommentarer.kommentar_opret(bruger=personas["sekretariat"], aftale=aftale, tekst="For sent.")
    assert not Kommentar.objects.exists()


def test_a_revision_in_draft_is_open_again_on_its_new_version(lav_aftale, personas):
    aftale = lav_aftale(Status.I_KRAFT)
    services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=Handling.REVIDER)
    aftale = Samarbejdsaftale.objects.select_related("aktuel_version").get(pk=aftale.pk)
    k = kommentarer.kommentar_opret(bruger=personas["styregruppe"], aftale=aftale, tekst="Til revisionen.")
    assert k.version == aftale.aktuel_version


@pytest.mark.parametrize("persona", ["klynge", "kommune_a", "region", "udenforstaaende"])
def test_outside_the_drafting_audience_the_service_refuses(lav_aftale, personas, persona):
    aftale = lav_aftale(Status.HOERING)  # every party and cluster may read it, to answer the consultation
    with pytest.raises(IkkeTilladt):
        kommentarer.kommentar_opret(bruger=personas[persona], aftale=aftale, tekst="Udefra.")
    assert not Kommentar.objects.exists()


def test_only_the_secretariat_marks_a_comment_handled_and_only_once(udkast, personas):
    k = kommentarer.kommentar_opret(bruger=personas["styregruppe"], aftale=udkast, tekst="Ret dette.")
    with pytest.raises(IkkeTilladt):
        kommentarer.kommentar_behandl(bruger=personas["styregruppe"], kommentar=k)
    k.refresh_from_db()
    assert k.behandlet is None
    kommentarer.kommentar_behandl(bruger=personas["sekretariat"], kommentar=k)
    k.refresh_from_db()
    assert k.behandlet is not None and k.behandlet_af_navn == "sekretariat"
    with pytest.raises(DomainError, match="allerede markeret som behandlet"):
        kommentarer.kommentar_behandl(bruger=personas["sekretariat"], kommentar=k)
    assert Haendelse.objects.filter(handling="kommentar_behandlet").count() == 1


# --- the page -----------------------------------------------------------------------------------------


def test_a_refused_comment_comes_back_with_the_message_at_its_field_and_the_input_kept(client, udkast, personas):
    client.force_login(personas["styregruppe"])
    svar = client.post(f"/arbejde/aftaler/{udkast.slug}/kommentarer/",
                       {"tekst": "Min lange overvejelse", "citat": "noget andet end teksten"})
    assert svar.status_code == 200
    indhold = svar.content.decode()
    assert "Kommentaren blev ikke gemt" in indhold
    assert "Citat fra teksten: Citatet findes ikke i teksten til version 1." in indhold
    assert "Min lange overvejelse</textarea>" in indhold and "noget andet end teksten</textarea>" in indhold
    assert not Kommentar.objects.exists()


def test_a_comment_is_listed_with_author_body_date_version_quote_and_state(client, udkast, personas):
    client.force_login(personas["styregruppe"])
    svar = client.post(f"/arbejde/aftaler/{udkast.slug}/kommentarer/",
                       {"tekst": "Skriv hvem der ringer.", "citat": "fast kontaktperson"})
    assert svar.status_code == 302
    indhold = client.get(svar["Location"]).content.decode()
    assert "Din kommentar til version 1 er gemt." in indhold
    for tekst in ("styregruppe", "Sundhedsstyregruppen", "version 1", "»fast kontaktperson«",
                  "Skriv hvem der ringer.", "Ikke behandlet"):
        assert tekst in indhold, tekst
    assert "Markér som behandlet" not in indhold  # the steering group does not handle comments
    client.force_login(personas["sekretariat"])
    assert "Markér som behandlet" in client.get(f"/arbejde/aftaler/{udkast.slug}/").content.decode()


def _antal_forespoergsler(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("side", ["", "kommentarer/"])
def test_the_comments_section_runs_the_same_queries_for_1_and_20_comments(client, udkast, personas, side):
    client.force_login(personas["sekretariat"])
    url = f"/arbejde/aftaler/{udkast.slug}/{side}"
    kommentarer.kommentar_opret(bruger=personas["styregruppe"], aftale=udkast, tekst="Nummer 0")
    _antal_forespoergsler(client, url)  # warm the permission caches' tables
    en = _antal_forespoergsler(client, url)
    for i in range(1, 20):
        bruger = personas["styregruppe"] if i % 2 else personas["temagruppe"]
        k = kommentarer.kommentar_opret(bruger=bruger, aftale=udkast, tekst=f"Nummer {i}", citat="kontaktperson")
        if i % 3 == 0:
            kommentarer.kommentar_behandl(bruger=personas["sekretariat"], kommentar=k)
    tyve = _antal_forespoergsler(client, url)
    assert Kommentar.objects.count() == 20
    assert tyve == en


# --- Mine opgaver --------------------------------------------------------------------------------------


def test_mine_opgaver_lists_the_drafts_open_for_comments_with_the_unhandled_count(client, lav_aftale, personas):
    aaben = lav_aftale(Status.UDKAST, titel="Udkast til kommentering")
    lav_aftale(Status.INDSTILLET, titel="Lukket for kommentarer")
    kommentarer.kommentar_opret(bruger=personas["styregruppe"], aftale=aaben, tekst="En")
    kommentarer.kommentar_opret(bruger=personas["sekretariat"], aftale=aaben, tekst="To")
    client.force_login(personas["styregruppe"])
    indhold = client.get("/arbejde/").content.decode()
    assert "Udkast, der kan kommenteres" in indhold
    assert "Udkast til kommentering" in indhold and "Lukket for kommentarer" not in indhold
    assert "2 ubehandlede kommentarer, heraf 1 fra dig" in indhold

    client.force_login(personas["kommune_a"])
    indhold = client.get("/arbejde/").content.decode()
    assert "Udkast, der kan kommenteres" not in indhold and "Udkast til kommentering" not in indhold


# --- never public ----------------------------------------------------------------------------------------

MARKOER = "Zylofonkommentar"


@pytest.fixture
def kommenteret(lav_aftale, personas, udvalg, settings, tmp_path):
    """An agreement commented on while drafted (with a quote), then recommended: public from then on."""
    settings.MEDIA_ROOT = tmp_path
    aftale = lav_aftale(Status.UDKAST, titel="Aftale om kommentarlæk")
    kommentarer.kommentar_opret(bruger=personas["styregruppe"], aftale=aftale, tekst=f"{MARKOER} i teksten",
                                citat="Første tekst")
    services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=Handling.INDSTIL,
                             forum=udvalg, dato=I_DAG, beslutningsfrist=OM_EN_MAANED)
    # The index is written after commit, which a test's transaction never reaches: write it as the task would.
    assert search.indeks_opdater(aftale.pk)
    return Samarbejdsaftale.objects.get(pk=aftale.pk)


def test_a_comment_appears_nowhere_public(client, kommenteret):
    slug = kommenteret.slug
    for url in (f"/aftaler/{slug}/", f"/aftaler/{slug}/versioner/1/", "/aftaler/", "/feeds/aftaler/",
                "/aftaler.csv", "/aftaler.json", "/sitemap.xml",
                f"/api/v1/aftaler/{slug}/", f"/api/v1/aftaler/{slug}/versioner/", "/api/v1/aftaler/"):
        svar = client.get(url)
        assert svar.status_code == 200, url
        indhold = b"".join(svar.streaming_content) if svar.streaming else svar.content
        assert MARKOER.encode() not in indhold, url
    assert client.get(f"/api/v1/aftaler/{slug}/kommentarer/").status_code == 404
    # Searching for the comment's words finds nothing (the page repeats the search words, nothing more).
    link = f'href="/aftaler/{slug}/"'
    assert link in client.get("/aftaler/?q=kommentarlæk").content.decode()
    assert link not in client.get(f"/aftaler/?q={MARKOER}").content.decode()
    # The search index and the PDF's page.
    raekke = Soegeindeks.objects.get(aftale=kommenteret)
    assert "kommentarlæk" in str(raekke.__dict__).lower()
    assert MARKOER.lower() not in str(raekke.__dict__).lower()
    html = pdf.pdf_html(sidekontekst.aftaler_til_visning().get(pk=kommenteret.pk))
    assert MARKOER not in html and "Aftale om kommentarlæk" in html


@pytest.mark.parametrize("persona", ["klynge", "kommune_a", "region", "udenforstaaende"])
def test_a_comment_reaches_no_persona_outside_the_drafting_audience(client, kommenteret, personas, persona):
    client.force_login(personas[persona])
    slug = kommenteret.slug
    for url in (f"/arbejde/aftaler/{slug}/", f"/arbejde/aftaler/{slug}/versioner/1/", "/arbejde/",
                f"/arbejde/aftaler/{slug}/kommentarer/", f"/api/v1/aftaler/{slug}/",
                f"/api/v1/aftaler/{slug}/kommentarer/"):
        svar = client.get(url)
        assert MARKOER not in svar.content.decode(), f"{persona}: {url}"
    assert client.get(f"/arbejde/aftaler/{slug}/kommentarer/").status_code == 404
    assert client.get(f"/api/v1/aftaler/{slug}/kommentarer/").status_code == 404


def test_the_drafting_audience_still_reads_the_comment_after_recommendation(client, kommenteret, personas):
    client.force_login(personas["styregruppe"])
    indhold = client.get(f"/arbejde/aftaler/{kommenteret.slug}/").content.decode()
    assert MARKOER in indhold
    assert re.search(r"ikke åben for kommentarer", indhold)
