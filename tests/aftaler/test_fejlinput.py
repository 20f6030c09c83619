"""Bad input answers a Danish 4xx (or is cut to size), never a 500 (security review, issue 8):
long attachment names, page numbers past any limit, invalid version numbers in the comparison
picker, a title with a newline in the e-mail subject, and versions posted without their base."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from aftaler import services
from aftaler.choices import Status
from aftaler.models import Bilag
from aftaler.workflow import Handling
from organisation.models import Person
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ENORMT = "99999999999999999999999"  # past a 64-bit integer, as the review sent it


@pytest.fixture(autouse=True)
def _medier(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sek(personas):
    return personas["sekretariat"]


def _passer_i_databasen(bilag: Bilag) -> None:
    """The lengths PostgreSQL enforces (and SQLite does not), checked in Python."""
    bilag.full_clean()
    for felt in ("titel", "filnavn", "fil"):
        assert len(str(getattr(bilag, felt))) <= Bilag._meta.get_field(felt).max_length, felt


# --- attachments with long names ----------------------------------------------------------------


@pytest.mark.parametrize("laengde", [250, 251, 253, 255])
def test_a_long_attachment_name_is_cut_to_fit_keeping_its_extension(lav_aftale, sek, laengde):
    navn = "ø" * (laengde - 4) + ".pdf"  # browsers and Django cut names at 255 characters
    bilag = services.bilag_tilfoej(aftale=lav_aftale(), bruger=sek, fil=SimpleUploadedFile(navn, PDF))

    bilag.refresh_from_db()
    _passer_i_databasen(bilag)
    assert bilag.filnavn.endswith(".pdf") and bilag.filnavn.startswith("øøø")
    assert bilag.titel == bilag.filnavn
    assert bilag.fil.name.endswith(".pdf")
    assert bilag.fil.read() == PDF


def test_a_long_name_with_the_wrong_extension_gets_the_right_one_and_still_fits(lav_aftale, sek):
    bilag = services.bilag_tilfoej(aftale=lav_aftale(), bruger=sek, fil=SimpleUploadedFile("a" * 255, PDF))

    _passer_i_databasen(bilag)
    assert bilag.filnavn == "a" * 246 + ".pdf"


def test_a_long_title_given_with_the_attachment_is_cut_too(lav_aftale, sek):
    bilag = services.bilag_tilfoej(aftale=lav_aftale(), bruger=sek, fil=SimpleUploadedFile("notat.pdf", PDF),
                                   titel="Notat " * 60)

    _passer_i_databasen(bilag)
    assert bilag.titel.startswith("Notat Notat")


def test_the_staff_upload_of_a_255_character_name_saves_a_name_that_fits(client, lav_aftale, sek):
    aftale = lav_aftale()
    client.force_login(sek)
    svar = client.post(reverse("arbejde:aftale-bilag", kwargs={"slug": aftale.slug}),
                       {"fil": SimpleUploadedFile("referat-" * 31 + "x.pdf", PDF), "titel": ""})

    assert svar.status_code in (200, 302)
    bilag = Bilag.objects.get(aftale=aftale)
    _passer_i_databasen(bilag)
    assert bilag.filnavn.startswith("referat-referat-") and bilag.filnavn.endswith(".pdf")


# --- page numbers past any limit ----------------------------------------------------------------


@pytest.fixture
def offentlig(lav_aftale):
    return lav_aftale(Status.INDSTILLET, titel="Aftale om borgerens overgang")


@pytest.mark.parametrize("side", [ENORMT, "-" + ENORMT, "1e400", "9" * 400])
def test_a_search_page_past_any_limit_shows_the_last_page(client, offentlig, side):
    svar = client.get("/aftaler/", {"q": "borger", "side": side})

    assert svar.status_code == 200
    assert f'href="/aftaler/{offentlig.slug}/"' in svar.content.decode()


@pytest.mark.parametrize("side", [ENORMT, "9" * 400])
def test_a_list_page_past_any_limit_shows_the_last_page(client, offentlig, side):
    svar = client.get("/aftaler/", {"side": side})

    assert svar.status_code == 200
    assert "Aftale om borgerens overgang" in svar.content.decode()


def test_a_staff_list_page_past_any_limit_shows_the_last_page(client, offentlig, sek):
    client.force_login(sek)
    svar = client.get(reverse("arbejde:aftale-liste"), {"side": ENORMT})

    assert svar.status_code == 200
    assert "Aftale om borgerens overgang" in svar.content.decode()


@pytest.mark.parametrize("parametre", [{"offset": ENORMT}, {"offset": ENORMT, "limit": ENORMT},
                                       {"limit": ENORMT}, {"page": ENORMT}, {"side": ENORMT}])
@pytest.mark.parametrize("adresse", ["/api/v1/aftaler/", "/api/v1/parter/"])
def test_an_api_offset_past_any_limit_is_an_empty_page_not_an_error(offentlig, adresse, parametre):
    svar = APIClient().get(adresse, parametre)

    assert svar.status_code == 200, svar.content
    assert svar.json()["count"] >= 1
    if "offset" in parametre:
        assert svar.json()["results"] == []


@pytest.mark.parametrize("adresse", ["versioner/{n}/", "sammenlign/{n}/1/", "sammenlign/1/{n}/"])
def test_a_version_number_past_any_limit_is_404(client, offentlig, adresse):
    svar = client.get(f"/aftaler/{offentlig.slug}/" + adresse.format(n=ENORMT))

    assert svar.status_code == 404


# --- the version picker -------------------------------------------------------------------------


@pytest.mark.parametrize("valg", [{"a": "-1", "b": "3"}, {"a": "0", "b": "1"}, {"a": "1", "b": "-3"},
                                  {"a": "1"}, {"a": "x", "b": "1"}, {"a": ENORMT, "b": "1"},
                                  {"a": "1.5", "b": "1"}])
def test_invalid_version_numbers_in_the_picker_are_a_danish_form_error(client, offentlig, valg):
    svar = client.get(f"/aftaler/{offentlig.slug}/sammenlign/", valg)

    assert svar.status_code == 302
    assert svar["Location"] == f"/aftaler/{offentlig.slug}/#versioner-titel"
    side = client.get(svar["Location"])
    assert side.status_code == 200
    assert "Vælg to versioner at sammenligne" in side.content.decode()
    assert "Vælg to versioner" not in client.get(svar["Location"]).content.decode()  # shown once


def test_valid_version_numbers_in_the_picker_still_go_to_the_comparison(client, offentlig):
    svar = client.get(f"/aftaler/{offentlig.slug}/sammenlign/", {"a": "1", "b": "1"})

    assert (svar.status_code, svar["Location"]) == (302, f"/aftaler/{offentlig.slug}/sammenlign/1/1/")


# --- e-mail subjects ----------------------------------------------------------------------------


@pytest.mark.parametrize("titel", ["Aftale om\nsundhedsvisitationer", "Aftale om\r\nBcc: alle@example.com",
                                   "Aftale\u2028om\tsundhedsvisitationer"])
def test_recommending_an_agreement_whose_title_has_a_newline_mails_the_councils_with_one_line_subjects(
        lav_aftale, personas, udvalg, sek, titel, django_capture_on_commit_callbacks):
    Person.objects.filter(bruger=personas["kommune_a"]).update(email="sekretariat@kommune-a.dk")
    Person.objects.filter(bruger=personas["region"]).update(email="sekretariat@rm.dk")
    aftale = lav_aftale(titel=titel)

    with django_capture_on_commit_callbacks(execute=True):
        services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                                 beslutningsfrist=OM_EN_MAANED)

    assert _frisk(aftale).status == Status.INDSTILLET
    assert sorted(m.to[0] for m in mail.outbox) == ["sekretariat@kommune-a.dk", "sekretariat@rm.dk"]
    for besked in mail.outbox:
        emne = besked.message()["Subject"]
        assert "\n" not in emne and "\r" not in emne
        assert besked.subject.startswith("Til beslutning: Aftale om ")
        assert besked.subject == " ".join(besked.subject.split())
        hoved = besked.message().as_string().split("\n\n", 1)[0]
        assert "\nBcc:" not in hoved  # the title cannot add a header


def test_recommending_through_the_api_answers_201_when_the_title_has_a_newline(lav_aftale, personas, udvalg, sek,
                                                                                  django_capture_on_commit_callbacks):
    Person.objects.filter(bruger=personas["kommune_a"]).update(email="sekretariat@kommune-a.dk")
    aftale = lav_aftale(titel="To\nlinjer")
    klient = APIClient()
    klient.force_authenticate(sek)

    with django_capture_on_commit_callbacks(execute=True):
        svar = klient.post(f"/api/v1/aftaler/{aftale.slug}/overgange/", {
            "handling": "indstil", "forum": udvalg.slug, "beslutningsfrist": OM_EN_MAANED.isoformat()},
            format="json")

    assert svar.status_code == 201, svar.content
    assert [m.subject for m in mail.outbox] == ["Til beslutning: To linjer"]


# --- versions through the API: the base is required ---------------------------------------------


@pytest.fixture
def api_sek(sek):
    klient = APIClient()
    klient.force_authenticate(sek)
    return klient


def test_a_version_without_its_base_is_refused_with_400_naming_the_field(api_sek, lav_aftale):
    aftale = lav_aftale()
    svar = api_sek.post(f"/api/v1/aftaler/{aftale.slug}/versioner/", {"tekst": "<p>Ny</p>"}, format="json")

    assert svar.status_code == 400
    assert list(svar.json()) == ["grundlag"]
    assert "version" in svar.json()["grundlag"][0]
    assert aftale.versioner.count() == 1


@pytest.mark.parametrize("grundlag", [None, "", "to", 0, -1])
def test_a_version_with_an_invalid_base_is_refused_with_400(api_sek, lav_aftale, grundlag):
    aftale = lav_aftale()
    svar = api_sek.post(f"/api/v1/aftaler/{aftale.slug}/versioner/", {"tekst": "<p>Ny</p>", "grundlag": grundlag},
                        format="json")

    assert svar.status_code == 400
    assert list(svar.json()) == ["grundlag"]
    assert aftale.versioner.count() == 1


def test_of_two_versions_on_the_same_base_the_second_is_refused_with_409(api_sek, lav_aftale):
    aftale = lav_aftale()
    adresse = f"/api/v1/aftaler/{aftale.slug}/versioner/"

    forste = api_sek.post(adresse, {"tekst": "<p>A</p>", "grundlag": 1}, format="json")
    anden = api_sek.post(adresse, {"tekst": "<p>B</p>", "grundlag": 1}, format="json")

    assert (forste.status_code, anden.status_code) == (201, 409)
    assert list(anden.json()) == ["detail"]
    assert list(aftale.versioner.values_list("nummer", flat=True).order_by("nummer")) == [1, 2]
