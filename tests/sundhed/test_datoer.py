"""Dates and half years in Danish (issue 13 item 4): one format per context, from Django's Danish
locale. "29. november 2026" in running text and headings (DATE_FORMAT), "29.11.2026" in dense tables
(SHORT_DATE_FORMAT), "1. halvår 2026" wherever people read a half year; never "29. Nov 2026",
"27. Sept 2023" or "22. Maj 2026" (the `M`/`N`/`b` format characters)."""

import datetime
import html
import re

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from aftaler import pdf, services, sidekontekst
from aftaler.choices import Beslutning, Status
from aftaler.selectors import paakraevede_parter
from aftaler.tasks import underret_om_overgang
from aftaler.workflow import Handling
from indikatorer.perioder import Periode
from organisation.models import Person
from sundhed import dansk
from tests.aftaler import conftest as aftale_fixturer
from tests.aftaler.conftest import raadssekretaer
from tests.indikatorer import conftest as indikator_fixturer
from tests.indikatorer.conftest import csv_fil, fuld_periode, importer_raekker

pytestmark = pytest.mark.django_db

# The apps' fixtures, for this module outside their folders.
udvalg = aftale_fixturer.udvalg
indikatorer = indikator_fixturer.indikatorer

INDSTILLET = datetime.date(2023, 9, 27)  # "Sept" with the `M` format character
BESLUTTET = datetime.date(2026, 5, 22)  # "Maj"
GODKENDT = datetime.date(2026, 11, 29)  # "Nov"; the day the issue was reported, so never in the future

# A day, then an English or Danish month abbreviation: what `M`, `N` and `b` write.
FORKORTELSE = re.compile(r"\b\d{1,2}\.? (?:Jan|Feb|Mar|Apr|Maj|May|Jun|Jul|Aug|Sept?|Okt|Oct|Nov|Dec)\b"
                         r"|\b\d{1,2}\. (?:jan|feb|mar|apr|jun|jul|aug|sept?|okt|nov|dec)\.? \d{4}")


def _tekst(indhold: bytes | str) -> str:
    if isinstance(indhold, bytes):
        indhold = indhold.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", indhold)))


def _ingen_forkortede_maaneder(tekst: str) -> None:
    fundet = FORKORTELSE.findall(tekst)
    assert not fundet, f"forkortede måneder: {fundet}"
    assert "Nov " not in tekst and "Sept" not in tekst and "Maj " not in tekst


@pytest.fixture
def aftale(personas, udvalg):
    """In force, with every date known: recommended 27 September 2023, decisions 22 May and
    29 November 2026 (the last approval), in force from 29 November 2026."""
    sek = personas["sekretariat"]
    a = services.aftale_opret(bruger=sek, titel="Aftale om datoer", tekst="<p>Aftalens tekst.</p>")
    services.aftale_overgang(aftale=a, bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=INDSTILLET,
                             beslutningsfrist=BESLUTTET)
    parter = list(paakraevede_parter(a))
    for i, part in enumerate(parter):
        services.godkendelse_registrer(aftale=type(a).objects.get(pk=a.pk), part=part, bruger=raadssekretaer(part),
                                       beslutning=Beslutning.GODKENDT, sagsnummer=f"{part.slug}-1",
                                       dato=GODKENDT if i == len(parter) - 1 else BESLUTTET)
    a = type(a).objects.get(pk=a.pk)
    assert a.status == Status.GODKENDT and a.godkendt_dato == GODKENDT
    services.aftale_overgang(aftale=a, bruger=sek, handling=Handling.OFFENTLIGGOER, ikrafttraedelse=GODKENDT)
    return type(a).objects.get(pk=a.pk)


# --- the helpers ---------------------------------------------------------------------------------


def test_the_python_helpers_write_danish_whatever_language_is_active():
    with translation.override("en"):
        assert dansk.dato(GODKENDT) == "29. november 2026"
        assert dansk.dato(GODKENDT, kort=True) == "29.11.2026"
        assert dansk.dato(INDSTILLET) == "27. september 2023"
        assert dansk.tidspunkt(datetime.datetime(2026, 11, 29, 13, 30, tzinfo=datetime.UTC)) == \
            "29. november 2026 kl. 14.30"  # in Danish time
    assert dansk.halvaar("2026H1") == "1. halvår 2026"
    assert dansk.halvaar("2025H2") == "2. halvår 2025"
    assert dansk.halvaar("2026") == "2026"
    assert dansk.halvaar(Periode(2026, 1)) == "1. halvår 2026" == Periode(2026, 1).navn
    assert dansk.halvaar(None) == ""


def test_the_template_filter_and_the_named_formats():
    skabelon = Template('{% load dansk %}{{ p|halvaar }} · {{ d|date:"DATE_FORMAT" }} · '
                        '{{ d|date:"SHORT_DATE_FORMAT" }} · {{ t|date:"DATETIME_FORMAT" }}')
    ud = skabelon.render(Context({"p": "2026H1", "d": GODKENDT,
                                  "t": datetime.datetime(2026, 11, 29, 13, 5, tzinfo=datetime.UTC)}))
    assert ud == "1. halvår 2026 · 29. november 2026 · 29.11.2026 · 29. november 2026 kl. 14.05"


# --- pages ---------------------------------------------------------------------------------------


def test_the_public_agreement_list_writes_dates_in_full(client, aftale):
    tekst = _tekst(client.get(reverse("aftale-liste")).content)
    assert "Aftale om datoer" in tekst
    assert "27. september 2023" in tekst and "29. november 2026" in tekst
    _ingen_forkortede_maaneder(tekst)


def test_the_public_agreement_page_has_full_dates_in_text_and_short_dates_in_its_tables(client, aftale):
    tekst = _tekst(client.get(reverse("aftale-detalje", args=[aftale.slug])).content)
    assert "I kraft fra 29. november 2026" in tekst
    assert "Godkendt af alle parter 29. november 2026" in tekst
    # The decisions table and the committee's recommendation are dense tables.
    assert "29.11.2026" in tekst and "22.05.2026" in tekst and "27.09.2023" in tekst
    _ingen_forkortede_maaneder(tekst)


def test_the_staff_agreement_page_and_its_decision_table(client, aftale, personas):
    client.force_login(personas["sekretariat"])
    side = _tekst(client.get(reverse("arbejde:aftale", args=[aftale.slug])).content)
    assert "Ikrafttrædelse 29. november 2026" in side and "Indstillet 27. september 2023" in side
    assert "27.09.2023" in side  # the committee's recommendation in the table of treatments
    _ingen_forkortede_maaneder(side)
    godkendelser = _tekst(client.get(reverse("arbejde:godkendelser", args=[aftale.slug])).content)
    assert "Indstillet 27. september 2023" in godkendelser
    assert "29.11.2026" in godkendelser and "22.05.2026" in godkendelser
    _ingen_forkortede_maaneder(godkendelser)
    liste = _tekst(client.get(reverse("arbejde:aftale-liste")).content)  # a dense table of agreements
    assert "I kraft fra 29.11.2026" in liste
    _ingen_forkortede_maaneder(liste)


def test_the_agreement_pdf_uses_the_same_forms(aftale):
    with translation.override("en"):  # the PDF is made in a worker, without a request's language
        kilde = pdf.pdf_html(sidekontekst.aftaler_til_visning().get(pk=aftale.pk))
    tekst = _tekst(kilde)
    assert "29. november 2026" in tekst and "29.11.2026" in tekst and "22.05.2026" in tekst
    assert re.search(r"Dannet \d{1,2}\. [a-zæøå]+ \d{4} kl\. \d\d\.\d\d", tekst)
    _ingen_forkortede_maaneder(tekst)


def test_the_atom_feed_writes_the_date_of_entry_into_force_in_full(client, aftale):
    indhold = client.get(reverse("feed-aftaler")).content.decode()
    assert "Version 1 er offentliggjort og træder i kraft 29. november 2026." in indhold
    assert "29.11.2026" not in indhold


def test_the_notification_email_gives_the_deadline_in_danish_even_from_an_english_worker(
        personas, udvalg, django_capture_on_commit_callbacks):
    Person.objects.filter(bruger=personas["kommune_a"]).update(email="sekretariat@kommune-a.dk")
    sek = personas["sekretariat"]
    a = services.aftale_opret(bruger=sek, titel="Aftale om frister", tekst="<p>Tekst.</p>")
    overgang = services.aftale_overgang(aftale=a, bruger=sek, handling=Handling.INDSTIL, forum=udvalg,
                                        dato=INDSTILLET, beslutningsfrist=GODKENDT)
    mail.outbox.clear()
    with translation.override("en"):
        underret_om_overgang(overgang.pk)
    [besked] = [m for m in mail.outbox if m.to == ["sekretariat@kommune-a.dk"]]
    assert "Frist: 29. november 2026." in besked.body
    _ingen_forkortede_maaneder(besked.body)


# --- half years ----------------------------------------------------------------------------------


@pytest.fixture
def maalinger(personas, indikatorer):
    sek = personas["sekretariat"]
    importer_raekker(sek, fuld_periode("2025H2", basis=20.0))
    importer_raekker(sek, fuld_periode("2026H1", basis=18.0))
    return indikatorer


def test_the_report_page_names_half_years_in_words(client, maalinger):
    svar = client.get(reverse("rapport", args=["2026H1"]))
    tekst = _tekst(svar.content)
    assert "Halvårsrapport om sundhedsaftalens indikatorer, 1. halvår 2026" in tekst
    # In the tables too: the period of each value and of the one before.
    assert re.search(r"Region Midtjylland 1\. halvår 2026 18,0 2\. halvår 2025 20,0", tekst)
    assert "fra 2. halvår 2025" in tekst
    assert "2026H1" not in tekst and "2025H2" not in tekst
    assert 'href="/indikatorer/rapport/2026H1.pdf"' in svar.content.decode()  # the code stays in URLs


def test_the_report_pdf_names_half_years_in_words(maalinger):
    from indikatorer import rapport

    with translation.override("en"):
        kilde = rapport.html_til_pdf(Periode(2026, 1))
    tekst = _tekst(kilde)
    assert "1. halvår 2026" in tekst and "2026H1" not in kilde
    assert re.search(r"Dannet \d{1,2}\. [a-zæøå]+ \d{4} kl\. \d\d\.\d\d", tekst)


def test_the_indicator_page_names_half_years_in_words_in_chart_table_and_headings(client, maalinger):
    svar = client.get(reverse("indikator-detalje", args=["andel"]))
    indhold = svar.content.decode()
    assert "Linjediagram over andel genindlæggelser (%) fra 2. halvår 2025 til 1. halvår 2026." in indhold
    assert "Kommunerne i 1. halvår 2026" in indhold
    assert '<th scope="row">1. halvår 2026</th>' in indhold
    assert "2026H1" not in _tekst(indhold)


def test_the_overview_and_the_report_list_name_half_years_in_words(client, maalinger):
    oversigt = _tekst(client.get(reverse("indikator-liste")).content)
    assert "1. halvår 2026" in oversigt and "2026H1" not in oversigt
    liste = _tekst(client.get(reverse("rapport-liste")).content)
    assert "1. halvår 2026" in liste and "2026H1" not in liste


def test_the_import_preview_and_the_import_pages_name_half_years_in_words(client, personas, indikatorer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from indikatorer.models import ImportBatch
    client.force_login(personas["sekretariat"])
    fil = SimpleUploadedFile("data.csv", csv_fil(fuld_periode("2026H1")), content_type="text/csv")
    svar = client.post(reverse("import"), {"fil": fil})
    batch = ImportBatch.objects.get()
    forhaand = _tekst(client.get(svar["Location"]).content)
    assert "Perioder 1. halvår 2026" in forhaand and "2026H1" not in forhaand
    client.post(reverse("import-godkend", args=[batch.pk]))
    for url in (reverse("import-batch", args=[batch.pk]), reverse("import-batches")):
        tekst = _tekst(client.get(url).content)
        assert "1. halvår 2026" in tekst and "2026H1" not in tekst, url
        _ingen_forkortede_maaneder(tekst)


def test_a_signed_in_client_and_an_anonymous_one_get_the_same_danish_forms(aftale, personas):
    klient = Client(HTTP_ACCEPT_LANGUAGE="en")  # LANGUAGES holds only Danish: the browser cannot switch it
    tekst = _tekst(klient.get(reverse("aftale-liste")).content)
    assert "29. november 2026" in tekst
    _ingen_forkortede_maaneder(tekst)
