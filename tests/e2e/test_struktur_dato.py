"""The structure on a chosen day in a real browser, on the demo data: the five sundhedsråd of
1 February 2027 in the diagram, a 2027 area page, the links from an ended cluster to its successor and
back, the date chooser without JavaScript; axe finds nothing and the pages reflow at 320 px."""

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations
from tests.e2e.test_reflow import BREDDE, HOEJDE, MAAL, Besoeg

DAG = "2027-02-01"
ORGANISATION = f"/organisation/?dato={DAG}"
# DESIGN.md, "Structure over time": the five sundhedsråd of Region Midtjylland from 1 January 2027.
SUNDHEDSRAAD = ["Sundhedsråd Horsens", "Sundhedsråd Kronjylland", "Sundhedsråd Midt", "Sundhedsråd Vestjylland",
                "Sundhedsråd Aarhus"]


def _sundhedsraad_omraade(server_url: str) -> str:
    """The page of a sundhedsråd area in force on DAG, found through the API rather than typed in."""
    with urllib.request.urlopen(f"{server_url}/api/v1/klynger/?aktiv=true&dato={DAG}&limit=1000") as svar:
        omraader = [k for k in json.load(svar)["results"] if k["art"] == "sundhedsraad"]
    assert omraader, f"Demodataene har intet sundhedsråd i kraft pr. {DAG}"
    return f"/klynger/{omraader[0]['slug']}/?dato={DAG}"


@pytest.fixture
def smal_side(browser, server_url):
    context = browser.new_context(base_url=server_url, locale="da-DK", viewport={"width": BREDDE, "height": HOEJDE})
    pg = context.new_page()
    yield pg
    context.close()


def test_the_organisation_on_1_february_2027_shows_the_five_sundhedsraad(page):
    svar = page.goto(ORGANISATION)

    assert svar.status == 200
    expect(page.get_by_role("heading", name="Strukturen pr. 1. februar 2027")).to_be_visible()
    figur = page.locator("figure.org-figur")
    for navn in SUNDHEDSRAAD:
        expect(figur.get_by_role("link", name=navn, exact=True)).to_be_visible()
    expect(figur.get_by_role("link", name="Horsensklyngen", exact=True)).to_have_count(0)
    arkiv = page.locator("section", has=page.locator("#arkiverede"))
    expect(arkiv.get_by_text("Afløst af").first).to_be_visible()
    assert_no_axe_violations(page)


def test_a_2027_area_page_is_accessible_and_links_back_to_its_cluster(page, server_url):
    svar = page.goto(_sundhedsraad_omraade(server_url))

    assert svar.status == 200
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("heading", name="Strukturen pr. 1. februar 2027")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Afløser")).to_be_visible()
    assert_no_axe_violations(page)


def test_an_ended_cluster_links_forward_to_its_sundhedsraad_and_the_day_is_kept(page):
    page.goto(f"/klynger/horsensklyngen/?dato={DAG}")
    expect(page.locator("h1 .badge")).to_have_text("Arkiveret")

    page.get_by_role("status").get_by_role("link", name="Sundhedsråd Horsens").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sundhedsråd Horsens")
    assert f"dato={DAG}" in page.url
    expect(page.get_by_role("link", name="Horsensklyngen", exact=True).first).to_be_visible()


def test_the_date_chooser_works_without_javascript(browser, server_url):
    context = browser.new_context(base_url=server_url, locale="da-DK", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/organisation/")
        page.get_by_label("Vis strukturen pr. dato").fill(DAG)
        page.get_by_role("button", name="Vis", exact=True).click()

        page.wait_for_url(f"**/organisation/?dato={DAG}")
        expect(page.get_by_role("heading", name="Strukturen pr. 1. februar 2027")).to_be_visible()
        expect(page.get_by_label("Vis strukturen pr. dato")).to_have_value(DAG)
    finally:
        context.close()


def test_an_invalid_date_is_explained_at_the_field(page):
    svar = page.goto("/organisation/?dato=2027-13-01")

    assert svar.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Datoen »2027-13-01« findes ikke.")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("sti", [
    ORGANISATION, "area", f"/klynger/?dato={DAG}", f"/klynger/horsensklyngen/?dato={DAG}",
    f"/organisation/fora/sundhedsraad-horsens/?dato={DAG}",
    "/organisation/fora/sundhedsraad-horsens/?dato=2026-06-01",  # preparatory
    "/organisation/?dato=2026-06-01",  # the clusters, with the sundhedsråd as preparatory bodies
    "/organisation/?dato=abc",
])
def test_the_pages_of_2027_fit_a_320_px_wide_screen(smal_side, server_url, sti):
    if sti == "area":
        sti = _sundhedsraad_omraade(server_url)
    svar = smal_side.goto(sti)

    assert svar.status == (400 if "dato=abc" in sti else 200), sti
    besoeg = Besoeg(sti=sti, moenster="", status=svar.status, maaling=smal_side.evaluate(MAAL))
    assert not besoeg.fejl(), "\n".join(besoeg.fejl())
    assert_no_axe_violations(smal_side)
