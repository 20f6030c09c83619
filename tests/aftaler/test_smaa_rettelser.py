"""Issue 13 item 9, the smaller things: the consultation deadline only while the consultation runs,
consultation answers signed with a name and an authority, the PDF's text before its decisions,
the portal's own Danish error pages, and a direct contact on the accessibility statement."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.template import loader
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from rest_framework.test import APIClient

from aftaler import pdf, services, sidekontekst
from aftaler.choices import Status
from aftaler.models import Hoeringssvar, Overgang
from aftaler.workflow import Handling
from organisation.models import Person
from sundhed import dansk, views
from sundhed.env import ImproperlyConfiguredEnv, env_email
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk

pytestmark = pytest.mark.django_db


def _tekst(indhold: bytes | str) -> str:
    if isinstance(indhold, bytes):
        indhold = indhold.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", indhold)))


# --- a. the consultation deadline --------------------------------------------------------------


BESLUTNINGSFRIST = OM_EN_MAANED + datetime.timedelta(days=14)  # the consultation's deadline is OM_EN_MAANED


def _efter_hoering(lav_aftale, personas, udvalg):
    """Consulted, the consultation ended, then recommended: public, and no longer in consultation."""
    sek = personas["sekretariat"]
    aftale = lav_aftale(Status.HOERING)
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.AFSLUT_HOERING)
    services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                             beslutningsfrist=BESLUTNINGSFRIST)
    return _frisk(aftale)


def test_the_staff_page_shows_the_consultation_deadline_while_the_consultation_runs(client, lav_aftale, personas):
    aftale = lav_aftale(Status.HOERING)
    client.force_login(personas["sekretariat"])
    tekst = _tekst(client.get(reverse("arbejde:aftale", args=[aftale.slug])).content)
    assert f"Høringsfrist {dansk.dato(OM_EN_MAANED)}" in tekst
    assert "Høringen sluttede" not in tekst


def test_after_the_consultation_the_staff_page_says_when_it_ended_not_a_deadline(client, lav_aftale, personas,
                                                                                 udvalg):
    aftale = _efter_hoering(lav_aftale, personas, udvalg)
    slut = Overgang.objects.get(aftale=aftale, handling=Handling.AFSLUT_HOERING).tidspunkt
    client.force_login(personas["sekretariat"])
    tekst = _tekst(client.get(reverse("arbejde:aftale", args=[aftale.slug])).content)
    assert "Høringsfrist" not in tekst
    assert f"Høringen sluttede {dansk.dato(slut)}" in tekst


def test_the_public_page_and_pdf_never_show_a_past_consultation_deadline(client, lav_aftale, personas, udvalg):
    aftale = _efter_hoering(lav_aftale, personas, udvalg)
    side = _tekst(client.get(reverse("aftale-detalje", args=[aftale.slug])).content)
    kilde = _tekst(pdf.pdf_html(sidekontekst.aftaler_til_visning().get(pk=aftale.pk)))
    for tekst in (side, kilde):
        assert "Aftale om sundhedsvisitationer" in tekst
        assert f"Frist for beslutninger {dansk.dato(BESLUTNINGSFRIST)}" in tekst
        assert "øringsfrist" not in tekst
        assert dansk.dato(OM_EN_MAANED) not in tekst and dansk.dato(OM_EN_MAANED, kort=True) not in tekst


# --- b. consultation answers signed with a name and an authority -------------------------------


@pytest.fixture
def svar(lav_aftale, personas, struktur):
    """Kommune A answers; its secretary is the person Karen Jensen."""
    person = Person.objects.get(bruger=personas["kommune_a"])
    person.navn = "Karen Jensen"
    person.save()
    personas["kommune_a"].refresh_from_db()  # drop the cached person
    aftale = lav_aftale(Status.HOERING)
    services.hoeringssvar_afgiv(aftale=aftale, bruger=personas["kommune_a"], afsender=struktur["kommune_a"],
                                tekst="<p>Kommunens svar.</p>")
    return Hoeringssvar.objects.get()


def test_the_answers_overview_signs_each_answer_with_the_persons_name_and_authority(client, svar, personas):
    client.force_login(personas["sekretariat"])
    tekst = _tekst(client.get(reverse("arbejde:hoeringssvar-oversigt", args=[svar.version.aftale.slug])).content)
    assert "af Karen Jensen, Kommune A" in tekst
    assert "kommune-a" not in tekst


def test_the_answer_page_says_who_answered_by_name_and_authority(client, svar, personas):
    client.force_login(personas["kommune_a"])
    url = reverse("arbejde:hoering-svar", args=[svar.version.aftale.slug, "part", "kommune-a"])
    tekst = _tekst(client.get(url).content)
    assert re.search(r"Svar afgivet \d{1,2}\. [a-zæøå]+ \d{4} kl\. \d\d\.\d\d af Karen Jensen, Kommune A", tekst)


def test_the_api_gives_the_signature_too(svar, personas):
    klient = APIClient()
    klient.force_authenticate(personas["sekretariat"])
    data = klient.get(f"/api/v1/aftaler/{svar.version.aftale.slug}/hoeringssvar/").json()
    assert [(s["afgivet_af_navn"], s["afsender_navn"], s["underskrift"]) for s in data] == [
        ("Karen Jensen", "Kommune A", "Karen Jensen, Kommune A")]


def test_a_username_never_signs_an_answer(client, lav_aftale, personas, struktur):
    """A user without a person's name (the name kept is the login): the authority alone signs."""
    Person.objects.filter(bruger=personas["kommune_a"]).update(bruger=None)
    aftale = lav_aftale(Status.HOERING)
    # Without a person the user cannot answer through the service; write the row as an old import would.
    hs = Hoeringssvar.objects.create(version=aftale.aktuel_version, part=struktur["kommune_a"], tekst="<p>Svar</p>",
                                     afgivet_af=personas["kommune_a"], afgivet_af_navn="kommune-a")
    assert hs.underskrift == "Kommune A"
    client.force_login(personas["sekretariat"])
    tekst = _tekst(client.get(reverse("arbejde:hoeringssvar-oversigt", args=[aftale.slug])).content)
    assert "af Kommune A" in tekst and "kommune-a" not in tekst


@pytest.mark.parametrize(("navn", "forventet"), [
    ("Karen Jensen", "Karen Jensen, Kommune A"),
    ("Sekretariatet for kommunalbestyrelsen, Kommune A", "Sekretariatet for kommunalbestyrelsen, Kommune A"),
    ("", "Kommune A"),
])
def test_the_signature_names_the_authority_once(struktur, navn, forventet):
    assert Hoeringssvar(part=struktur["kommune_a"], afgivet_af_navn=navn).underskrift == forventet


# --- c. the PDF: text first, then the decisions -------------------------------------------------


def test_the_pdf_puts_the_agreement_text_before_the_decisions(lav_aftale):
    aftale = lav_aftale(Status.I_KRAFT)
    kilde = pdf.pdf_html(sidekontekst.aftaler_til_visning().get(pk=aftale.pk))
    assert 'id="tekst-titel"' in kilde and 'id="beslutninger-titel"' in kilde
    assert kilde.index('id="tekst-titel"') < kilde.index('id="beslutninger-titel"')
    beslutninger = kilde.index("Kommunalbestyrelsernes og regionsrådets beslutninger")
    assert kilde.index("Første tekst om borgeren.") < beslutninger


# --- d. error pages with DEBUG off ---------------------------------------------------------------


def _boom(request):
    raise RuntimeError("Testfejl")


# This module is also a URLconf for the 500 test: the portal's routes, one that fails, its handlers.
urlpatterns = [path("test-fejl/", _boom), path("api/test-fejl/", _boom), path("", include("sundhed.urls"))]
handler400 = "sundhed.views.ugyldig_forespoergsel"
handler403 = "sundhed.views.forbudt"
handler404 = "sundhed.views.ikke_fundet"
handler500 = "sundhed.views.serverfejl"


def _dansk_fejlside(svar, status: int, overskrift: str) -> None:
    assert svar.status_code == status
    indhold = svar.content.decode()
    assert '<html lang="da">' in indhold
    assert overskrift in indhold and f"Fejlkode {status}" in indhold
    assert "Sundhedssamarbejdet i Region Midtjylland" in indhold


@pytest.mark.parametrize("navn", ["400.html", "403.html", "403_csrf.html", "404.html", "500.html"])
def test_every_error_page_is_the_portals_own_and_danish(navn):
    kilde = loader.get_template(navn).template.source
    assert '{% extends "base.html" %}' in kilde and "Fejlkode" in kilde


def test_a_missing_page_gives_the_danish_404(client, settings):
    settings.DEBUG = False
    _dansk_fejlside(client.get("/findes-ikke/"), 404, "Siden findes ikke")


def test_a_form_without_its_csrf_token_gives_the_danish_403(db, settings):
    settings.DEBUG = False
    svar = Client(enforce_csrf_checks=True).post("/log-ind/", {"username": "x", "password": "y"})
    _dansk_fejlside(svar, 403, "Formularen kunne ikke sendes")
    assert "CSRF" not in svar.content.decode()


def test_a_csrf_failure_under_api_is_json():
    svar = views.csrf_fejl(RequestFactory().post("/api/v1/aftaler/"), reason="CSRF cookie not set.")
    assert svar.status_code == 403 and svar["Content-Type"] == "application/json"


def test_a_request_for_an_unknown_host_gives_the_danish_400(client, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["sundhed.example.dk"]
    _dansk_fejlside(client.get("/", HTTP_HOST="ond.example.com"), 400, "Forespørgslen kunne ikke behandles")


@pytest.mark.urls(__name__)
def test_a_crash_gives_the_danish_500_without_touching_the_database(settings):
    settings.DEBUG = False
    klient = Client(raise_request_exception=False)
    klient.get("/")  # warm up: the first request may load sessions, templates and the like
    with CaptureQueriesContext(connection) as ctx:
        svar = klient.get("/test-fejl/")
    _dansk_fejlside(svar, 500, "Der opstod en fejl")
    assert len(ctx.captured_queries) == 0
    api = klient.get("/api/test-fejl/")
    assert api.status_code == 500 and api["Content-Type"] == "application/json"


# --- e. the accessibility statement's contact --------------------------------------------------


def test_the_accessibility_statement_names_the_contact_address_and_links_the_was_statement(client, settings):
    settings.TILGAENGELIGHED_EMAIL = "tilgaengelighed@sundhed.example.dk"
    settings.TILGAENGELIGHED_WAS_URL = "https://www.was.digst.dk/sundhed-example-dk"
    indhold = client.get(reverse("tilgaengelighed")).content.decode()
    assert ('<a href="mailto:tilgaengelighed@sundhed.example.dk">tilgaengelighed@sundhed.example.dk</a>'
            in indhold)
    assert '<a href="https://www.was.digst.dk/sundhed-example-dk">' in indhold


def test_without_the_settings_the_statement_has_no_address_and_no_was_link(client, settings):
    settings.TILGAENGELIGHED_EMAIL = ""
    settings.TILGAENGELIGHED_WAS_URL = ""
    indhold = client.get(reverse("tilgaengelighed")).content.decode()
    assert "mailto:" not in indhold and "was.digst.dk" not in indhold and "WAS" not in indhold
    assert "Fortæl os om et problem" in indhold and "via din kommune" in indhold


def test_the_contact_address_is_read_from_the_environment_and_checked(monkeypatch):
    monkeypatch.setenv("TILGAENGELIGHED_EMAIL", " tilgaengelighed@rm.dk ")
    assert env_email("TILGAENGELIGHED_EMAIL") == "tilgaengelighed@rm.dk"
    monkeypatch.setenv("TILGAENGELIGHED_EMAIL", "tilgaengelighed")
    with pytest.raises(ImproperlyConfiguredEnv, match="TILGAENGELIGHED_EMAIL"):
        env_email("TILGAENGELIGHED_EMAIL")
    monkeypatch.delenv("TILGAENGELIGHED_EMAIL")
    assert env_email("TILGAENGELIGHED_EMAIL") == ""
