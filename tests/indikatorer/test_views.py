"""The dashboards, the half-year report (HTML and PDF), the cluster section and the import pages."""

import html
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indikatorer import importer, services
from indikatorer.choices import BatchStatus
from indikatorer.models import ImportBatch, Maaling, fremskridt_noegle
from tests.indikatorer.conftest import csv_fil, fuld_periode, importer_raekker

pytestmark = pytest.mark.django_db


def _tekst(svar) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", svar.content.decode())))


@pytest.fixture
def data(personas, indikatorer):
    """Two complete half years and a yearly value."""
    sek = personas["sekretariat"]
    importer_raekker(sek, fuld_periode("2024H1", basis=20.0))
    importer_raekker(sek, fuld_periode("2024H2", basis=18.0) + [("aarlig", "region-midtjylland", "2023", "2,5"),
                                                                   ("aarlig", "region-midtjylland", "2024", "2,25")])
    return indikatorer


# --- /indikatorer/ --------------------------------------------------------------------------------


def test_the_overview_shows_each_indicator_with_latest_value_and_change_judged_by_direction(client, data):
    svar = client.get(reverse("indikator-liste"))
    assert svar.status_code == 200
    tekst = _tekst(svar)
    # Region: andel 20,0 -> 18,0 is a fall, and lower is better; rate falls the same, but higher is better;
    # the yearly one falls from 2,50 to 2,25, lower is better.
    assert "Andel genindlæggelser" in tekst and "Ajourførte medicinkort" in tekst
    html = svar.content.decode()
    assert html.count("aendring--bedre") == 2 and html.count("aendring--daarligere") == 1
    assert "Fald på </span>2,0 <span class=\"aendring-vurdering\">(bedre)" in html
    assert "(dårligere)" in tekst and "Udviklingsområde" in tekst


def test_the_overview_can_show_a_cluster_or_municipality(client, data):
    svar = client.get(reverse("indikator-liste"), {"geografi": "kommune-b"})
    assert "Viser seneste værdi for Kommune B" in _tekst(svar)
    assert "22,0" in _tekst(svar)  # basis 18 + index 4 in GEOGRAFIER


def test_synthetic_demo_data_is_marked_on_the_pages(client, personas, indikatorer):
    from indikatorer.importer import Opslag, kontroller

    raekker = kontroller("x.csv", csv_fil(fuld_periode("2024H1")), Opslag.hent()).raekker
    services.demodata_gem(raekker=raekker)
    for url in [reverse("indikator-liste"), reverse("indikator-detalje", args=["andel"]),
                reverse("rapport", args=["2024H1"])]:
        assert "Syntetiske demodata" in _tekst(client.get(url)), url
    csv = client.get(reverse("indikator-csv", args=["andel"])).content.decode("utf-8-sig")
    assert csv.splitlines()[1].endswith(";ja")


# --- /indikatorer/<kode>/ ------------------------------------------------------------------------


def test_the_indicator_page_has_an_accessible_chart_and_the_data_as_a_table(client, data):
    svar = client.get(reverse("indikator-detalje", args=["andel"]))
    html = svar.content.decode()
    assert svar.status_code == 200
    assert 'role="img" aria-labelledby="graf-titel graf-beskrivelse"' in html
    assert '<title id="graf-titel">Andel genindlæggelser</title>' in html
    assert re.search(r'<desc id="graf-beskrivelse">Linjediagram over andel genindlæggelser \(%\) fra 1\. halvår 2024 '
                     r'til 2\. halvår 2024', html)
    # Region and both clusters as series and table columns; no municipality until one is chosen.
    assert html.count("<polyline") == 3
    assert '<th scope="col" class="tal">Region Midtjylland</th>' in html
    assert '<th scope="col" class="tal">Kommune A</th>' not in html
    # Every municipality in the latest period, with its change.
    assert "Kommunerne i 2. halvår 2024" in html


def test_a_municipality_can_be_added_to_the_chart_with_a_plain_form(client, data):
    html = client.get(reverse("indikator-detalje", args=["andel"]), {"kommune": "kommune-c"}).content.decode()
    assert '<form method="get"' in html and 'name="kommune"' in html
    assert '<option value="kommune-c" selected>' in html
    assert html.count("<polyline") == 4
    assert '<th scope="col" class="tal">Kommune C</th>' in html


def test_an_unknown_indicator_is_404(client, data):
    assert client.get("/indikatorer/findes-ikke/").status_code == 404


def test_the_csv_download_opens_in_danish_excel_and_can_be_imported_again(client, data, personas):
    svar = client.get(reverse("indikator-csv", args=["andel"]))
    assert svar["Content-Type"].startswith("text/csv")
    assert svar.content.startswith(b"\xef\xbb\xbf")
    linjer = svar.content.decode("utf-8-sig").splitlines()
    assert linjer[0] == "kode;geografi;periode;vaerdi;taeller;naevner;note;geografinavn;syntetisk"
    assert "andel;region-midtjylland;2024H1;20;;;;Region Midtjylland;nej" in linjer
    resultat = importer.kontroller("andel.csv", svar.content)
    assert resultat.antal_fejl == 0 and len(resultat.raekker) == 12


# --- the report -----------------------------------------------------------------------------------


def test_the_report_shows_every_indicator_by_goal_for_the_region_and_clusters(client, data):
    svar = client.get(reverse("rapport", args=["2024H2"]))
    tekst = _tekst(svar)
    assert svar.status_code == 200
    assert "Halvårsrapport om sundhedsaftalens indikatorer, 2. halvår 2024" in tekst
    for navn in ["Andel genindlæggelser", "Ajourførte medicinkort", "Overdødelighed", "Trivselsdata"]:
        assert navn in tekst
    html = svar.content.decode()
    assert html.count('<th scope="row">Region Midtjylland</th>') == 4
    assert html.count('<th scope="row">Klynge Et</th>') == 4 and "Kommune A" not in html
    assert "er komplette for regionen, alle klynger og alle kommuner" in tekst
    # The yearly indicator shows its latest figure up to the half year, with the change since the year before.
    assert re.search(r"Region Midtjylland 2024 2,25 2023 2,50 .*Fald på 0,25", tekst)


def test_a_half_year_without_complete_data_says_what_is_missing(client, personas, indikatorer):
    importer_raekker(personas["sekretariat"], fuld_periode("2024H1")[:5])
    tekst = _tekst(client.get(reverse("rapport", args=["2024H1"])))
    assert "endnu ikke komplette: der mangler 7 af 12 værdier" in tekst


@pytest.mark.parametrize("periode", ["2024", "2024H3", "2099H1"])
def test_only_half_years_that_have_begun_have_a_report(client, indikatorer, periode):
    assert client.get(f"/indikatorer/rapport/{periode}/").status_code == 404


def test_the_report_pdf_is_a_pdf(client, data):
    svar = client.get("/indikatorer/rapport/2024H2.pdf")
    assert svar.status_code == 200
    assert svar["Content-Type"] == "application/pdf"
    assert svar.content.startswith(b"%PDF")


def test_the_pdf_is_rendered_from_the_report_content_without_web_resources(data):
    from indikatorer import rapport
    from indikatorer.perioder import Periode

    html = rapport.html_til_pdf(Periode(2024, 2))
    assert "Andel genindlæggelser" in html and "Halvårsrapport" in html
    assert "http://" not in html and "https://" not in html and "<link" not in html


def test_the_report_list_links_each_half_year(client, data):
    html = client.get(reverse("rapport-liste")).content.decode()
    assert 'href="/indikatorer/rapport/2024H2/"' in html and 'href="/indikatorer/rapport/2024H1.pdf"' in html


def test_the_pdf_as_sent_is_kept(client, data, django_capture_on_commit_callbacks, personas):
    with django_capture_on_commit_callbacks(execute=True):
        importer_raekker(personas["sekretariat"], fuld_periode("2023H2"))
    svar = client.get("/indikatorer/rapport/2023H2/udsendt.pdf")
    assert svar.status_code == 200 and svar.content.startswith(b"%PDF")
    with CaptureQueriesContext(connection) as q:
        side = client.get("/indikatorer/rapport/2023H2/")
    assert "Rapporten, som den blev sendt ud" in _tekst(side)
    assert not any('"pdf"' in x["sql"] and "halvaarsrapport" in x["sql"] and "NOT NULL" not in x["sql"]
                   for x in q.captured_queries)
    assert client.get("/indikatorer/rapport/2022H2/udsendt.pdf").status_code == 404


# --- the cluster section ------------------------------------------------------------------------


def test_the_cluster_section_shows_the_clusters_figures_its_municipalities_and_the_region(data, struktur):
    html = Template("{% load indikatorer %}{% indikatorer_for_klynge klynge %}").render(
        Context({"klynge": struktur["klynge"]}))
    tekst = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Indikatorer for klyngens population" in tekst
    assert "med kommunerne Kommune A og Kommune B" in tekst
    assert '<th scope="col" class="tal">Kommune A</th>' in html and "Kommune C" not in html
    # Klynge Et is index 1 in GEOGRAFIER: 19,0 in 2024H2, down from 21,0.
    assert re.search(r"Andel genindlæggelser .* 2\. halvår 2024 19,0 .*Fald på 2,0 \(bedre\)", tekst)


def test_the_cluster_section_says_so_when_there_is_no_data(indikatorer, struktur):
    html = Template("{% load indikatorer %}{% indikatorer_for_klynge klynge %}").render(
        Context({"klynge": struktur["anden_klynge"]}))
    assert "Der er endnu ingen indikatordata for klyngen." in html


# --- query counts ---------------------------------------------------------------------------------


def _antal_forespoergsler(client, url) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q.captured_queries)


@pytest.mark.parametrize("url", [
    "/indikatorer/", "/indikatorer/?geografi=klynge-et", "/indikatorer/andel/", "/indikatorer/andel/?kommune=kommune-a",
    "/indikatorer/rapport/2024H1/", "/indikatorer/rapport/", "/indikatorer/andel/data.csv",
])
def test_pages_run_the_same_number_of_queries_whatever_the_amount_of_data(client, personas, indikatorer, url):
    from indikatorer.models import Indikator

    sek = personas["sekretariat"]
    importer_raekker(sek, fuld_periode("2024H1"))
    lidt = _antal_forespoergsler(client, url)
    for i in range(8):
        Indikator.objects.create(kode=f"ekstra-{i}", navn=f"Ekstra {i}", enhed="%", retning="lavere")
    raekker = [(kode, geo, f"{aar}H{h}", "5") for kode in ["andel", "rate", *(f"ekstra-{i}" for i in range(8))]
               for geo in ["region-midtjylland", "klynge-et", "klynge-to", "kommune-a", "kommune-b", "kommune-c"]
               for aar in range(2015, 2024) for h in (1, 2)]
    importer_raekker(sek, raekker)
    assert _antal_forespoergsler(client, url) == lidt


def test_the_cluster_section_runs_a_fixed_number_of_queries(personas, indikatorer, struktur):
    def antal() -> int:
        with CaptureQueriesContext(connection) as q:
            Template("{% load indikatorer %}{% indikatorer_for_klynge klynge %}").render(
                Context({"klynge": struktur["klynge"]}))
        return len(q.captured_queries)

    importer_raekker(personas["sekretariat"], fuld_periode("2024H1"))
    lidt = antal()
    importer_raekker(personas["sekretariat"], [r for p in ("2022H1", "2022H2", "2023H1") for r in fuld_periode(p)])
    assert antal() == lidt <= 6  # 6: the predecessors with the same municipalities (a sundhedsråd's cluster)


# --- import pages ---------------------------------------------------------------------------------

IMPORT_SIDER = ["import", "import-batches"]


@pytest.mark.parametrize("persona", ["temagruppe", "klynge", "kommune_a", "region", "styregruppe", "udenforstaaende"])
def test_outsiders_get_404_for_the_import_pages_and_batches(client, personas, indikatorer, persona):
    batch = importer_raekker(personas["sekretariat"], [("andel", "kommune-a", "2024H1", "1")])
    kladde = services.import_forbered(bruger=personas["sekretariat"], filnavn="k.csv",
                                      indhold=csv_fil([("andel", "kommune-b", "2024H1", "1")]))
    client.force_login(personas[persona])
    for navn in IMPORT_SIDER:
        assert client.get(reverse(navn)).status_code == 404, navn
    assert client.get(reverse("import-batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("import-preview", args=[kladde.pk])).status_code == 404
    assert client.post(reverse("import-godkend", args=[kladde.pk])).status_code == 404
    assert client.post(reverse("import-tilbagerul", args=[batch.pk])).status_code == 404
    assert client.post(reverse("import"), {"fil": _upload(csv_fil([("andel", "kommune-c", "2024H1", "1")]))}
                       ).status_code == 404
    assert Maaling.objects.count() == 1
    kladde.refresh_from_db()
    assert kladde.status == BatchStatus.KLADDE


def test_anonymous_users_are_sent_to_log_in(client, indikatorer):
    svar = client.get(reverse("import"))
    assert svar.status_code == 302 and svar["Location"].startswith("/log-ind/")


def _upload(data: bytes, navn: str = "eksport.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(navn, data, content_type="text/csv")


@pytest.mark.parametrize("persona", ["sekretariat", "oekonomi"])
def test_upload_preview_and_commit_in_the_browser(client, personas, oekonomi, indikatorer, persona):
    client.force_login(oekonomi if persona == "oekonomi" else personas[persona])
    assert client.get(reverse("import")).status_code == 200
    svar = client.post(reverse("import"), {"fil": _upload(csv_fil(fuld_periode("2024H1")))})
    batch = ImportBatch.objects.get()
    assert svar.status_code == 302 and svar["Location"] == reverse("import-preview", args=[batch.pk])
    preview = client.get(svar["Location"])
    tekst = _tekst(preview)
    assert "Gennemse importen" in tekst and "alle 12 rækker er i orden" in tekst and "Intet er gemt endnu" in tekst
    assert "Godkend og gem 12 rækker" in tekst
    assert not Maaling.objects.exists()
    svar = client.post(reverse("import-godkend", args=[batch.pk]), follow=True)
    assert svar.redirect_chain[-1][0] == reverse("import-batch", args=[batch.pk])
    assert "Importen er gemt: 12 rækker." in _tekst(svar) and "Færdig" in _tekst(svar)
    assert Maaling.objects.count() == 12
    liste = _tekst(client.get(reverse("import-batches")))
    assert "eksport.csv" in liste and batch.oprettet_af.username in liste


def test_bad_rows_are_listed_with_their_lines_and_nothing_is_kept(client, personas, indikatorer):
    client.force_login(personas["sekretariat"])
    svar = client.post(reverse("import"), {"fil": _upload(csv_fil([("andel", "kommune-a", "2024H1", "1"),
                                                                     ("andel", "atlantis", "2024H1", "1")]))})
    assert svar.status_code == 400
    tekst = _tekst(svar)
    assert "Filen blev ikke importeret" in tekst and "Linje 3: ukendt geografi 'atlantis'." in tekst
    assert not ImportBatch.objects.exists()


def test_an_oversize_upload_gets_a_clear_message(client, personas, indikatorer, monkeypatch):
    monkeypatch.setattr(importer, "MAKS_STOERRELSE", 100)
    client.force_login(personas["sekretariat"])
    svar = client.post(reverse("import"), {"fil": _upload(b"x" * 500)})
    assert svar.status_code == 400
    assert "Filen er for stor" in _tekst(svar) and "Den største tilladte størrelse" in _tekst(svar)


def test_an_empty_upload_gets_a_clear_message(client, personas, indikatorer):
    client.force_login(personas["sekretariat"])
    svar = client.post(reverse("import"), {"fil": _upload(b"\xef\xbb\xbfkode;geografi;periode;vaerdi\r\n")})
    assert "Filen indeholder ingen datarækker" in _tekst(svar)


def test_a_batch_can_be_rolled_back_from_its_page(client, personas, indikatorer):
    batch = importer_raekker(personas["sekretariat"], [("andel", "kommune-a", "2024H1", "1")])
    client.force_login(personas["sekretariat"])
    side = _tekst(client.get(reverse("import-batch", args=[batch.pk])))
    assert "Rul importen tilbage" in side
    svar = client.post(reverse("import-tilbagerul", args=[batch.pk]), follow=True)
    assert "Importen er rullet tilbage" in _tekst(svar) and "Rullet tilbage" in _tekst(svar)
    assert not Maaling.objects.exists()


def test_the_batch_status_partial_polls_while_running_and_shows_progress(client, personas, indikatorer):
    from django.core.cache import cache

    batch = services.import_forbered(bruger=personas["sekretariat"], filnavn="k.csv",
                                     indhold=csv_fil(fuld_periode("2024H1")))
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.KOERER)
    cache.set(fremskridt_noegle(batch.pk), 6)
    client.force_login(personas["sekretariat"])
    svar = client.get(reverse("import-batch", args=[batch.pk]), HTTP_HX_REQUEST="true")
    html = svar.content.decode()
    assert html.startswith('<div id="batch-status"') or 'id="batch-status"' in html[:200]
    assert 'hx-trigger="every 1s"' in html and "6 af 12 rækker" in html
    assert "<html" not in html
    assert "Opdatér status" in html  # the refresh link for browsers without JavaScript
