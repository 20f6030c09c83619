"""An administrator reads the audit trail (Revisionsspor) in a real browser: finds it from "Mine opgaver",
filters it without JavaScript needed, and the page passes axe (WCAG 2.1 A/AA) and reflows at 320 px;
others get 404."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, assert_passer_320, log_ind

pytestmark = pytest.mark.e2e


def test_an_administrator_finds_and_filters_the_audit_trail(page):
    # A failed sign-in with a name nobody has, for the trail to show.
    page.goto("/log-ind/")
    page.get_by_label("Brugernavn").fill("findes-ikke-e2e")
    page.get_by_label("Adgangskode").fill("forkert")
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()

    log_ind(page, "admin")
    page.goto("/arbejde/")
    page.locator("main a[href$='/arbejde/revision/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisionsspor")
    assert_no_axe_violations(page)
    assert_passer_320(page)

    page.locator("#id_slags").select_option("login_fejlet")
    page.locator("#id_bruger").fill("findes-ikke-e2e")
    with page.expect_navigation():
        page.get_by_role("button", name="Vis hændelser").click()

    assert "slags=login_fejlet" in page.url and "bruger=findes-ikke-e2e" in page.url
    tabel = page.locator("main table")
    expect(tabel.get_by_text("Forsøgt: findes-ikke-e2e").first).to_be_visible()
    expect(tabel.get_by_role("rowheader", name="Mislykket log-ind").first).to_be_visible()
    expect(page.locator("main a[href*='/arbejde/revision/csv?']")).to_have_attribute(
        "href", "/arbejde/revision/csv?slags=login_fejlet&bruger=findes-ikke-e2e")
    assert_no_axe_violations(page)
    assert_passer_320(page)

    # A date that cannot be read is named in Danish at its field.
    page.locator("#id_fra").evaluate("el => el.type = 'text'")
    page.locator("#id_fra").fill("i går")
    with page.expect_navigation():
        page.get_by_role("button", name="Vis hændelser").click()
    expect(page.locator(".form-error-message").first).to_contain_text("Skriv datoen som ÅÅÅÅ-MM-DD.")
    assert_no_axe_violations(page)


def test_a_council_secretariat_does_not_find_the_audit_trail(page):
    log_ind(page, "kommune-aarhus")
    assert page.goto("/arbejde/revision/").status == 404
    page.goto("/arbejde/")
    expect(page.locator("main a[href$='/arbejde/revision/']")).to_have_count(0)
