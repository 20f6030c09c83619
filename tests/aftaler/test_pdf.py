"""The agreement as PDF: made from the page's parts, kept per version and change, never for drafts,
without network access."""

import socket

import pytest

from aftaler import pdf, services, sidekontekst
from aftaler.choices import Beslutning, Status
from aftaler.tasks_offentlig import pdf_forbered
from tests.aftaler.conftest import I_DAG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def taeller(monkeypatch):
    """Count the PDFs made (WeasyPrint still runs)."""
    kald = []
    original = pdf.lav_pdf

    def lav(aftale):
        kald.append(aftale.pk)
        return original(aftale)

    monkeypatch.setattr(pdf, "lav_pdf", lav)
    return kald


def _visning(aftale):
    return sidekontekst.aftaler_til_visning().get(pk=aftale.pk)


def test_the_pdf_is_served_inline_with_a_file_name_naming_the_version(client, lav_aftale):
    aftale = lav_aftale(Status.I_KRAFT)
    svar = client.get(f"/aftaler/{aftale.slug}.pdf")
    assert svar.status_code == 200
    assert svar["Content-Type"] == "application/pdf"
    assert svar.content.startswith(b"%PDF-")
    assert svar["Content-Disposition"] == f'inline; filename="{aftale.slug}-version-1.pdf"'
    assert svar["ETag"]
    assert client.get(f"/aftaler/{aftale.slug}.pdf", HTTP_IF_NONE_MATCH=svar["ETag"]).status_code == 304


def test_the_pdf_holds_title_status_decisions_text_and_version(lav_aftale, struktur, personas):
    aftale = lav_aftale(Status.INDSTILLET)
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.GODKENDT, dato=I_DAG, sagsnummer="24/777")
    html = pdf.pdf_html(_visning(aftale))
    assert "<h1>Aftale om sundhedsvisitationer</h1>" in html
    assert "Indstillet tekst – afventer beslutninger" in html
    assert "24/777" in html and "<strong>1 af 4</strong>" in html
    assert 'class="kommunekort-svg"' in html
    assert "Første tekst om borgeren." in html
    assert "Samarbejdsaftale · version 1" in html
    assert 'lang="da"' in html


def test_the_pdf_is_made_once_per_version_and_change(client, lav_aftale, struktur, personas, taeller, _media):
    aftale = lav_aftale(Status.INDSTILLET)
    url = f"/aftaler/{aftale.slug}.pdf"
    foerste = client.get(url).content
    assert client.get(url).content == foerste
    assert len(taeller) == 1
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.GODKENDT, dato=I_DAG)
    client.get(url)
    assert len(taeller) == 2
    # Only the newest file is kept.
    assert len(list((_media / "pdf" / str(aftale.pk)).iterdir())) == 1


def test_a_draft_has_no_pdf(client, lav_aftale, taeller):
    aftale = lav_aftale(Status.UDKAST)
    assert client.get(f"/aftaler/{aftale.slug}.pdf").status_code == 404
    assert pdf.forbered(aftale.pk) is False
    assert taeller == []


def test_preparing_in_the_background_makes_the_file_the_request_then_uses(client, lav_aftale, taeller):
    aftale = lav_aftale(Status.I_KRAFT)
    assert pdf.forbered(aftale.pk) is True
    assert pdf.forbered(aftale.pk) is True  # already there: not made again
    assert client.get(f"/aftaler/{aftale.slug}.pdf").status_code == 200
    assert len(taeller) == 1


def test_the_task_leaves_the_pdf_to_the_first_request_when_run_in_process(lav_aftale, taeller):
    aftale = lav_aftale(Status.I_KRAFT)
    assert pdf_forbered.delay(aftale.pk).get() is False
    assert taeller == []


def test_making_a_pdf_never_touches_the_network(lav_aftale, struktur, personas, monkeypatch):
    aftale = lav_aftale(Status.INDSTILLET)
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.GODKENDT, dato=I_DAG,
                                   referat_url="https://kommune-a.dk/referat.pdf")

    def ingen_forbindelse(*args, **kwargs):
        raise AssertionError("PDF'en forsøgte at hente noget over nettet")

    monkeypatch.setattr(socket.socket, "connect", ingen_forbindelse)
    assert pdf.lav_pdf(_visning(aftale)).startswith(b"%PDF-")
