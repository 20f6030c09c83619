"""The personal calendar in a real browser, on the demo data: a member of the steering group makes a calendar
address, copies it from the page, a calendar app (no session) fetches the meetings, renewing makes the old
address 404; axe finds nothing, and the page reflows at 320 px with the long address on it."""

import urllib.error
import urllib.request

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_ind
from tests.e2e.test_reflow import BREDDE, HOEJDE, MAAL, Besoeg

pytestmark = pytest.mark.e2e


def hent(adresse: str) -> int | bytes:
    """What a calendar app gets: the body, or the HTTP status when it fails."""
    try:
        with urllib.request.urlopen(adresse) as svar:  # noqa: S310 - the test server's own address
            return svar.read()
    except urllib.error.HTTPError as fejl:
        return fejl.code


def test_a_member_makes_renews_and_uses_a_calendar_address(page):
    log_ind(page, "styregruppe")
    page.goto("/arbejde/")
    page.get_by_role("link", name="Mine møder i din kalender").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine møder i din kalender")
    assert_no_axe_violations(page)

    if page.get_by_role("button", name="Forny adressen").count():
        page.get_by_role("button", name="Slet adressen").click()  # a rerun on the same server starts afresh
    page.get_by_role("button", name="Opret en kalenderadresse").click()
    felt = page.get_by_label("Adresse til din kalender")
    adresse = felt.input_value()
    assert "/arbejde/kalender/" in adresse and adresse.endswith(".ics")
    expect(page.get_by_role("button", name="Kopiér adressen")).to_be_visible()
    assert_no_axe_violations(page)

    indhold = hent(adresse)
    assert isinstance(indhold, bytes)
    begivenheder = Calendar.from_ical(indhold).walk("VEVENT")
    assert begivenheder, "the steering group meets through the demo year"
    assert b"Fortrolig" not in indhold

    page.reload()
    expect(page.get_by_label("Adresse til din kalender")).to_have_count(0)  # shown once only
    page.get_by_role("button", name="Forny adressen").click()
    expect(page.get_by_text("Den gamle virker ikke længere.")).to_be_visible()
    ny = page.get_by_label("Adresse til din kalender").input_value()
    assert ny != adresse
    assert hent(adresse) == 404
    assert isinstance(hent(ny), bytes)

    page.get_by_role("button", name="Slet adressen").click()
    expect(page.get_by_text("Kalenderadressen er slettet.")).to_be_visible()
    assert hent(ny) == 404
    assert_no_axe_violations(page)


def test_the_calendar_page_fits_a_320_px_wide_screen_with_the_address_on_it(browser, server_url):
    context = browser.new_context(base_url=server_url, locale="da-DK", viewport={"width": BREDDE, "height": HOEJDE})
    page = context.new_page()
    try:
        log_ind(page, "klynge-horsens")
        page.goto("/arbejde/kalender/")
        if page.get_by_role("button", name="Forny adressen").count():
            page.get_by_role("button", name="Forny adressen").click()
        else:
            page.get_by_role("button", name="Opret en kalenderadresse").click()
        expect(page.get_by_label("Adresse til din kalender")).to_be_visible()

        besoeg = Besoeg(sti="/arbejde/kalender/", moenster="arbejde:kalender", status=200,
                        maaling=page.evaluate(MAAL))
        assert not besoeg.fejl(), "\n".join(besoeg.fejl())
        assert_no_axe_violations(page)
    finally:
        context.close()
