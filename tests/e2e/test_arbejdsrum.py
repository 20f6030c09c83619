"""The cluster's political level adds and edits a local goal in its workspace, in a real browser without
JavaScript needed; every step passes axe (WCAG 2.1 A/AA); the administrative level reads but cannot write."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_ind

pytestmark = pytest.mark.e2e

ARBEJDSRUM = "/klynger/horsensklyngen/arbejde/"


def test_the_political_level_adds_and_edits_a_local_goal(page):
    log_ind(page, "politisk-horsens")
    page.goto("/klynger/horsensklyngen/")
    page.get_by_role("link", name="Gå til klyngens arbejdsrum").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbejdsrum for Horsensklyngen")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Tilføj mål").click()  # no title: the error summary names the field
    expect(page.get_by_role("alert")).to_contain_text("Skriv en titel.")
    assert_no_axe_violations(page)

    page.get_by_label("Titel").fill("Kortere ventetid på genoptræning (browsertest)")
    page.get_by_label("Status").select_option(label="I gang")
    page.get_by_role("button", name="Tilføj mål").click()
    expect(page.get_by_text("Det lokale mål »Kortere ventetid på genoptræning (browsertest)« er gemt.")).to_be_visible()

    page.get_by_role("link", name="Ret »Kortere ventetid på genoptræning (browsertest)«").click()
    assert_no_axe_violations(page)
    page.get_by_label("Status").select_option(label="Nået")
    page.get_by_role("button", name="Gem", exact=True).click()
    raekke = page.get_by_role("row", name="Kortere ventetid på genoptræning (browsertest)")
    expect(raekke.first).to_contain_text("Nået")


def test_the_administrative_level_reads_the_workspace_without_the_form(page):
    log_ind(page, "klynge-horsens")
    page.goto(ARBEJDSRUM)
    expect(page.get_by_role("heading", name="Lokale mål", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Tilføj mål")).to_have_count(0)
    assert_no_axe_violations(page)
