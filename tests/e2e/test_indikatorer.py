"""The indicator pages in a real browser on the demo data: accessibility, no JavaScript needed, and the
secretariat importing a half year exported from Excel, with preview, then seeing it on the dashboards."""

import json
import random
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_ind

SIDER = [
    "/indikatorer/",
    "/indikatorer/?geografi=goedstrupklyngen",
    "/indikatorer/akutte-indlaeggelser-aeldre/",
    "/indikatorer/akutte-indlaeggelser-aeldre/?kommune=samsoe",
    "/indikatorer/dagligrygere/",
    "/indikatorer/rapport/",
    "/indikatorer/rapport/2026H1/",
]


@pytest.mark.parametrize("sti", SIDER)
def test_indicator_pages_have_no_accessibility_violations(page, sti):
    svar = page.goto(sti)
    assert svar.status == 200
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_text("Syntetiske demodata").first).to_be_visible()
    assert_no_axe_violations(page)


def test_the_chart_is_an_image_with_a_title_and_description_and_the_table_follows(page):
    page.goto("/indikatorer/akutte-indlaeggelser-aeldre/")
    graf = page.get_by_role("img", name="Antal akutte indlæggelser blandt ældre")
    expect(graf).to_be_visible()
    assert "Linjediagram over" in graf.locator("desc").text_content()
    tabel = page.get_by_role("table").filter(has_text="1. halvår 2026").first
    expect(tabel.get_by_role("columnheader", name="Region Midtjylland")).to_be_visible()
    expect(tabel.get_by_role("columnheader", name="Gødstrupklyngen")).to_be_visible()


def test_the_dashboards_work_without_javascript(browser, server_url):
    context = browser.new_context(base_url=server_url, locale="da-DK", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/indikatorer/")
        page.get_by_label("Vis tal for").select_option("horsensklyngen")
        page.get_by_role("button", name="Vis", exact=True).click()
        page.wait_for_url("**/indikatorer/?geografi=horsensklyngen")
        expect(page.get_by_text("Viser seneste værdi for Horsensklyngen")).to_be_visible()
        page.get_by_role("link", name="Antal akutte indlæggelser blandt ældre").click()
        page.get_by_label("Vis også en kommune").select_option("samsoe")
        page.get_by_role("button", name="Vis", exact=True).click()
        page.wait_for_url("**kommune=samsoe")
        expect(page.get_by_role("columnheader", name="Samsø Kommune")).to_be_visible()
    finally:
        context.close()


def _json(url: str) -> dict:
    with urllib.request.urlopen(url) as svar:
        return json.load(svar)


def _excel_eksport(server_url: str, periode: str) -> bytes:
    """A half year for every active half-yearly indicator and every geography, as Danish Excel saves
    "CSV UTF-8": BOM, semicolons, decimal comma, CRLF, Danish headers, some geographies by name."""
    indikatorer = [i for i in _json(f"{server_url}/api/v1/indikatorer/?limit=1000")["results"]
                   if i["aktiv"] and i["frekvens"] == "halvaar"]
    klynger = [k["slug"] for k in _json(f"{server_url}/api/v1/klynger/?aktiv=true&limit=100")["results"]]
    kommuner = [(k["slug"], k["navn"]) for k in
                _json(f"{server_url}/api/v1/parter/?type=kommune&aktiv=true&limit=100")["results"]]
    rng = random.Random(periode)
    linjer = ["kode;geografi;periode;værdi;tæller;nævner"]
    for ind in indikatorer:
        for i, geografi in enumerate(["region-midtjylland", *klynger, *(s for s, _n in kommuner)]):
            if i % 7 == 3 and geografi not in klynger and geografi != "region-midtjylland":
                geografi = dict(kommuner)[geografi]  # "Ringkøbing-Skjern Kommune" as typed in a spreadsheet
            vaerdi = f"{rng.uniform(10, 90):.1f}".replace(".", ",")
            linjer.append(f"{ind['kode']};{geografi};{periode};{vaerdi};;")
    return ("\ufeff" + "\r\n".join(linjer) + "\r\n").encode("utf-8")


def test_the_secretariat_imports_a_half_year_with_preview_and_the_dashboards_show_it(page, server_url, tmp_path):
    # An ended half-year the demo data does not hold (the demo holds 2019H1 up to the last ended one; a
    # half-year still running is refused by the import).
    fil = tmp_path / "indikatorer 2. halvår 2018.csv"
    fil.write_bytes(_excel_eksport(server_url, "2018H2"))
    log_ind(page, "sekretariat")
    page.wait_for_url("**/arbejde/")
    page.goto("/indikatorer/")
    page.get_by_role("link", name="Importér indikatordata").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importér indikatordata")
    assert_no_axe_violations(page)
    page.get_by_label("Fil med indikatordata").set_input_files(str(fil))
    page.get_by_role("button", name="Se filens indhold").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gennemse importen")
    expect(page.get_by_text("Intet er gemt endnu")).to_be_visible()
    expect(page.get_by_role("cell", name="2. halvår 2018").first).to_be_visible()
    assert_no_axe_violations(page)
    # Nothing is visible on the indicator's page before the import is approved.
    detalje = f"{server_url}/indikatorer/akutte-indlaeggelser-aeldre/?kommune=ringkoebing-skjern"
    assert "2. halvår 2018" not in urllib.request.urlopen(detalje).read().decode()

    page.get_by_role("button", name="Godkend og gem").click()
    expect(page.get_by_text("Importen er gemt")).to_be_visible()
    expect(page.locator("#batch-status")).to_contain_text("Færdig")
    assert_no_axe_violations(page)

    page.goto("/indikatorer/akutte-indlaeggelser-aeldre/?kommune=ringkoebing-skjern")
    expect(page.get_by_role("rowheader", name="2. halvår 2018")).to_be_visible()
    page.goto("/indikatorer/rapport/2018H2/")
    expect(page.get_by_text("Data for 2. halvår 2018 er komplette for regionen, alle klynger og alle kommuner")
           ).to_be_visible()
    svar = page.request.get("/indikatorer/rapport/2018H2.pdf")
    assert svar.status == 200 and svar.headers["content-type"] == "application/pdf"
    assert svar.body().startswith(b"%PDF")

    page.goto("/indikatorer/import/koersler/")
    expect(page.get_by_role("cell", name="indikatorer 2. halvår 2018.csv")).to_be_visible()
    assert_no_axe_violations(page)


def test_a_file_with_errors_is_refused_with_the_line_of_each_error(page, tmp_path):
    fil = tmp_path / "fejl.csv"
    fil.write_bytes("\ufeffkode;geografi;periode;værdi\r\nmiddellevetid;aarhus;2026H1;81,2\r\n"
                    "middellevetid;atlantis;2026H1;80\r\n".encode("utf-8"))
    log_ind(page, "sekretariat")
    page.wait_for_url("**/arbejde/")
    page.goto("/indikatorer/import/")
    page.get_by_label("Fil med indikatordata").set_input_files(str(fil))
    page.get_by_role("button", name="Se filens indhold").click()
    opsummering = page.locator('[data-module="error-summary"]')
    expect(opsummering).to_contain_text("Linje 3: ukendt geografi 'atlantis'.")
    expect(opsummering).to_be_focused()
    assert_no_axe_violations(page)


def test_outsiders_do_not_find_the_import(page):
    log_ind(page, "klynge-horsens")
    page.wait_for_url("**/arbejde/")
    assert page.goto("/indikatorer/import/").status == 404
    assert page.goto("/indikatorer/import/koersler/1/").status == 404


def test_a_cluster_member_sees_the_populations_figures_on_the_cluster_page(page):
    log_ind(page, "klynge-horsens")
    page.wait_for_url("**/arbejde/")
    page.goto("/klynger/horsensklyngen/")
    sektion = page.locator("section", has=page.get_by_role("heading", name="Indikatorer for klyngens population"))
    expect(sektion.first).to_be_visible()
    expect(sektion.first.get_by_role("columnheader", name="Skanderborg").first).to_be_visible()
    expect(sektion.first.get_by_text("Syntetiske demodata").first).to_be_visible()
    assert_no_axe_violations(page)
