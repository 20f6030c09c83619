"""A user changes their notification preferences and follows an agreement, in a real browser without
JavaScript needed; each page passes axe (WCAG 2.1 A/AA) and reflows at 320 px."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, assert_passer_320, log_ind

pytestmark = pytest.mark.e2e


def test_a_user_changes_preferences_and_follows_an_agreement(page):
    log_ind(page, "kommune-aarhus")
    page.get_by_role("link", name="Vælg, hvilke e-mails du får, og se det, du følger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifikationer")
    assert_no_axe_violations(page)
    assert_passer_320(page)

    gruppe = page.get_by_role("group", name="Dagsordener og referater")
    gruppe.get_by_label("Fra").check()
    page.get_by_role("button", name="Gem valg").click()
    expect(page.get_by_text("Dine valg er gemt.")).to_be_visible()
    expect(page.get_by_role("group", name="Dagsordener og referater").get_by_label("Fra")).to_be_checked()
    assert_no_axe_violations(page)

    page.goto("/arbejde/aftaler/")
    page.locator("main table a").first.click()
    titel = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("button", name="Følg aftalen").click()
    expect(page.get_by_text("Du følger den nu og får besked om ændringer.")).to_be_visible()
    expect(page.get_by_role("button", name="Følg ikke længere aftalen")).to_be_visible()
    assert_no_axe_violations(page)
    assert_passer_320(page)

    page.goto("/arbejde/notifikationer/")
    expect(page.get_by_role("button", name="Følg ikke længere")).to_have_count(1)
    assert titel


def test_the_secretariat_finds_who_could_not_be_reached_from_its_front_page(page):
    log_ind(page, "sekretariat")
    page.goto("/arbejde/")
    page.locator("main a[href$='/arbejde/notifikationer/uden-adresse/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ikke nået af notifikationer")
    expect(page.get_by_role("heading", name="Uden e-mailadresse")).to_be_visible()
    expect(page.get_by_role("heading", name="Fejlede afsendelser")).to_be_visible()
    assert_no_axe_violations(page)
    assert_passer_320(page)


def test_a_council_secretariat_does_not_find_the_list(page):
    log_ind(page, "kommune-aarhus")
    svar = page.goto("/arbejde/notifikationer/uden-adresse/")
    assert svar.status == 404
