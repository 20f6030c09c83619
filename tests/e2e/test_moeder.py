"""The secretariat plans a committee meeting in a real browser, without JavaScript tricks: the meeting,
an item, the agenda published; then the public finds it. Every new page passes axe (WCAG 2.1 A/AA)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_ind

pytestmark = pytest.mark.e2e


def test_the_secretariat_plans_a_committee_meeting_and_the_public_sees_its_agenda(page, browser, server_url):
    log_ind(page, "sekretariat")
    page.goto("/arbejde/moeder/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Møder, du planlægger")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Planlæg et møde").click()
    assert_no_axe_violations(page)
    page.get_by_label("Forum").select_option(label="Sundhedssamarbejdsudvalget")
    page.get_by_label("Titel").fill("Ekstraordinært møde om vinterberedskab")
    page.get_by_label("Begynder").fill("2026-12-21T14:00")
    page.get_by_label("Slutter").fill("2026-12-21T16:00")
    page.get_by_label("Sted").fill("Regionshuset Viborg")
    page.get_by_role("button", name="Planlæg mødet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ekstraordinært møde om vinterberedskab")
    assert_no_axe_violations(page)
    moede_url = page.url
    pk = re.search(r"/moeder/(\d+)/", moede_url).group(1)

    page.get_by_role("link", name="Tilføj et punkt").click()
    assert_no_axe_violations(page)
    page.get_by_label("Titel").fill("Vinterberedskab i de fem klynger")
    # The agreements' rich-text editor: the textarea gives way to an editing surface.
    page.get_by_role("textbox", name="Sagsfremstilling").click()
    page.keyboard.type("Klyngerne har lagt planer for vinteren.")
    page.get_by_role("textbox", name="Indstilling").click()
    page.keyboard.type("Det indstilles, at planerne drøftes.")
    page.get_by_role("button", name="Tilføj punktet").click()
    expect(page.get_by_role("link", name="Vinterberedskab i de fem klynger")).to_be_visible()

    page.get_by_role("link", name="Tilføj et punkt").click()
    page.get_by_label("Titel").fill("Fortroligt punkt om kontrakter")
    page.get_by_label("Åbent punkt").uncheck()
    page.get_by_role("button", name="Tilføj punktet").click()
    page.get_by_role("button", name="Flyt op: Fortroligt punkt om kontrakter").click()
    expect(page.get_by_role("heading", name="1. Fortroligt punkt om kontrakter")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Fortroligt punkt om kontrakter").click()
    assert_no_axe_violations(page)
    page.goto(f"/arbejde/moeder/{pk}/rediger/")
    assert_no_axe_violations(page)

    page.goto(moede_url)
    page.get_by_role("button", name="Offentliggør dagsordenen").click()
    expect(page.get_by_text("Dagsordenen er offentliggjort.")).to_be_visible()

    offentlig = browser.new_context(base_url=server_url, locale="da-DK").new_page()
    offentlig.goto("/moeder/")
    assert_no_axe_violations(offentlig)
    offentlig.get_by_role("link", name="Ekstraordinært møde om vinterberedskab").click()
    expect(offentlig.get_by_role("heading", name="2. Vinterberedskab i de fem klynger")).to_be_visible()
    expect(offentlig.get_by_role("heading", name="1. Lukket punkt")).to_be_visible()
    expect(offentlig.get_by_text("Fortroligt punkt om kontrakter")).to_have_count(0)
    assert_no_axe_violations(offentlig)

    offentlig.get_by_role("link", name="Alle møder i Sundhedssamarbejdsudvalget").click()
    expect(offentlig.get_by_role("link", name="Ekstraordinært møde om vinterberedskab")).to_be_visible()
    assert_no_axe_violations(offentlig)
    offentlig.context.close()
