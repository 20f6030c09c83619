"""The committee's recommendation recorded from its agenda item, in a real browser: the secretariat plans
a committee meeting, adds an item about an agreement, publishes the agenda and records "Anbefalet" on the
item; the agreement is then indstillet and links the item. Every page passes axe (WCAG 2.1 A/AA)."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, assert_passer_320, log_ind
from tests.e2e.test_aftale_beslutning import _skriv_aftaletekst

pytestmark = pytest.mark.e2e


def test_the_secretariat_records_the_committees_recommendation_from_its_agenda_item(page, browser, server_url):
    titel = f"Aftale om fælles sårteam {uuid.uuid4().hex[:6]}"
    log_ind(page, "sekretariat")
    page.goto("/arbejde/aftaler/ny/")
    page.get_by_label("Titel", exact=True).fill(titel)
    _skriv_aftaletekst(page, "Kommunerne og regionen etablerer et fælles sårteam.")
    page.get_by_role("button", name="Opret aftalen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(titel)
    slug = re.search(r"/arbejde/aftaler/([^/]+)/", page.url).group(1)

    # A meeting in 2026: from 2027 the demo names no recommending body.
    page.goto("/arbejde/moeder/ny/")
    page.get_by_label("Forum").select_option(label="Sundhedssamarbejdsudvalget")
    page.get_by_label("Titel").fill("Møde om sårteamet")
    page.get_by_label("Begynder").fill("2026-12-14T14:00")
    page.get_by_label("Slutter").fill("2026-12-14T16:00")
    page.get_by_role("button", name="Planlæg mødet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Møde om sårteamet")
    moede_url = page.url
    pk = re.search(r"/moeder/(\d+)/", moede_url).group(1)

    page.get_by_role("link", name="Tilføj et punkt").click()
    page.get_by_label("Titel").fill("Indstilling af aftalen om sårteam")
    page.get_by_role("textbox", name="Indstilling").click()  # the rich-text editor's surface
    page.keyboard.type("Det indstilles, at udvalget anbefaler aftalen.")
    page.get_by_role("button", name="Tilføj punktet").click()
    page.get_by_role("button", name="Offentliggør dagsordenen").click()
    expect(page.get_by_text("Dagsordenen er offentliggjort.")).to_be_visible()

    page.get_by_role("link", name="Indstilling af aftalen om sårteam").click()
    expect(page.get_by_role("heading", name="Aftalen, punktet handler om")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Aftale", exact=True).select_option(value=slug)
    page.get_by_label("Udfald").select_option(label="Anbefalet")
    # Without the councils' deadline the service refuses: the form comes back with the message at its
    # field and the choices kept. That page passes axe and fits 320 px too (WCAG 1.4.10).
    page.get_by_role("button", name="Registrér", exact=True).click()
    expect(page.get_by_role("heading", name="Udfaldet blev ikke registreret")).to_be_visible()
    expect(page.get_by_label("Aftale", exact=True)).to_have_value(slug)
    assert_no_axe_violations(page)
    assert_passer_320(page)
    page.get_by_label("Frist for rådenes beslutninger").fill("2099-12-31")
    page.get_by_role("button", name="Registrér", exact=True).click()
    expect(page.get_by_text("Udfaldet af punkt 1 er registreret på aftalen.")).to_be_visible()
    expect(page.get_by_text("Anbefalet", exact=True)).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"/arbejde/aftaler/{slug}/")
    expect(page.get_by_text("Indstillet til godkendelse").first).to_be_visible()
    expect(page.locator(f'a[href="/moeder/{pk}/#punkt-1"]')).to_be_visible()
    assert_no_axe_violations(page)

    offentlig = browser.new_context(base_url=server_url, locale="da-DK").new_page()
    offentlig.goto(f"/moeder/{pk}/")
    expect(offentlig.get_by_role("link", name=titel)).to_have_attribute("href", f"/aftaler/{slug}/")
    assert_no_axe_violations(offentlig)
    offentlig.get_by_role("link", name=titel).click()
    expect(offentlig.locator(f'a[href="/moeder/{pk}/#punkt-1"]')).to_be_visible()
    assert_no_axe_violations(offentlig)
    offentlig.context.close()
