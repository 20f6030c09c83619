"""Councils decide in a real browser: the secretariat recommends an agreement, Aarhus approves it
with the keyboard only, Horsens rejects it; every page passes axe (WCAG 2.1 A/AA)."""

import datetime
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_ind

pytestmark = pytest.mark.e2e


@pytest.fixture
def ny_side(browser, server_url):
    """Pages in contexts of their own, so several users can be logged in at once."""
    kontekster = []

    def lav():
        ctx = browser.new_context(base_url=server_url, locale="da-DK")
        kontekster.append(ctx)
        return ctx.new_page()

    yield lav
    for ctx in kontekster:
        ctx.close()


def _skriv_aftaletekst(page, tekst: str) -> None:
    """The text field is a textarea, or the rich-text editor that enhances it when JavaScript runs."""
    editor = page.locator("[contenteditable=true]")
    if editor.count():
        editor.first.click()
        page.keyboard.type(tekst)
    else:
        page.get_by_label("Aftaletekst").fill(f"<p>{tekst}</p>")


def _indstillet_aftale(page) -> tuple[str, str]:
    """As the secretariat: create an agreement and record the committee's recommendation. -> (title, slug)"""
    titel = f"Aftale om fælles akutteam {uuid.uuid4().hex[:6]}"
    log_ind(page, "sekretariat")
    page.goto("/arbejde/aftaler/ny/")
    page.get_by_label("Titel", exact=True).fill(titel)
    _skriv_aftaletekst(page, "Kommunerne og regionen etablerer et fælles akutteam.")
    page.get_by_role("button", name="Opret aftalen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(titel)
    slug = re.search(r"/arbejde/aftaler/([^/]+)/", page.url).group(1)
    page.goto(f"/arbejde/aftaler/{slug}/handling/indstil/")
    # A date in the committee's time: from 2027 the demo leaves the recommending body to the administrator.
    page.get_by_label("Dato for indstillingen").fill("2026-11-02")
    page.get_by_label("Indstillende forum").select_option(label="Sundhedssamarbejdsudvalget")
    page.get_by_label("Frist for beslutninger").fill("2099-12-31")
    page.get_by_role("button", name="Bekræft").click()
    expect(page.get_by_text("Indstillet til godkendelse").first).to_be_visible()
    return titel, slug


def _tab_til(page, element_id: str, maks: int = 80) -> None:
    """Press Tab until the element with `element_id` has focus (keyboard only)."""
    for _ in range(maks):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} fik aldrig fokus med Tab")


def test_councils_record_their_decisions_in_the_browser(page, ny_side):
    titel, slug = _indstillet_aftale(page)

    # Aarhus: Mine opgaver shows the agreement awaiting the council's decision.
    aarhus = ny_side()
    log_ind(aarhus, "kommune-aarhus")
    aarhus.goto("/arbejde/")
    afventer = aarhus.locator("section", has=aarhus.locator("#opg-beslutninger"))
    expect(afventer.get_by_role("link", name=titel, exact=True)).to_be_visible()
    assert_no_axe_violations(aarhus)
    afventer.get_by_role("link", name=re.compile(f"Registrér beslutning for Aarhus Kommune om {titel}")).click()
    expect(aarhus.get_by_role("heading", level=1)).to_have_text("Registrér beslutning for Aarhus Kommune")
    expect(aarhus.get_by_text("Version 1", exact=False).first).to_be_visible()
    assert_no_axe_violations(aarhus)

    # The form with the keyboard only: Space picks "Godkendt", Tab moves on, Enter submits.
    aarhus.locator("main").focus()
    _tab_til(aarhus, "id_beslutning_0")
    aarhus.keyboard.press("Space")
    expect(aarhus.get_by_label("Godkendt")).to_be_checked()
    aarhus.keyboard.press("Tab")
    assert aarhus.evaluate("() => document.activeElement.id") == "id_dato"
    aarhus.keyboard.press("Tab")
    assert aarhus.evaluate("() => document.activeElement.id") == "id_sagsnummer"
    aarhus.keyboard.type("24/12345")
    aarhus.keyboard.press("Tab")
    aarhus.keyboard.type("https://aarhus.dk/referat/byraadet")
    aarhus.keyboard.press("Tab")
    aarhus.keyboard.type("Godkendt uden bemærkninger")
    aarhus.keyboard.press("Tab")
    assert aarhus.evaluate("() => document.activeElement.textContent.trim()") == "Registrér beslutning"
    aarhus.keyboard.press("Enter")

    # The progress table shows it.
    aarhus.wait_for_url(f"**/arbejde/aftaler/{slug}/godkendelser/")
    expect(aarhus.get_by_role("heading", name="Version 1: 1 af 20 godkendt")).to_be_visible()
    raekke = aarhus.get_by_role("row", name=re.compile("Aarhus Kommune"))
    expect(raekke).to_contain_text("Godkendt")
    expect(raekke).to_contain_text("24/12345")
    expect(raekke.get_by_role("link", name=re.compile("Referat"))).to_have_attribute(
        "href", "https://aarhus.dk/referat/byraadet")
    assert_no_axe_violations(aarhus)
    # The decision page now shows the recorded decision instead of the form.
    aarhus.goto(f"/arbejde/aftaler/{slug}/beslutning/aarhus/")
    expect(aarhus.get_by_role("heading", name="Registreret beslutning")).to_be_visible()
    expect(aarhus.get_by_role("button", name="Registrér beslutning")).to_have_count(0)

    # Horsens rejects; a date in the future is refused first, with the input kept.
    horsens = ny_side()
    log_ind(horsens, "kommune-horsens")
    horsens.goto(f"/arbejde/aftaler/{slug}/")
    panel = horsens.locator("section", has=horsens.locator("#panel-godkendelse"))
    expect(panel).to_contain_text("1 af 20 godkendt")
    assert_no_axe_violations(horsens)  # the overview with the decision panel
    panel.get_by_role("link", name="Registrér beslutning for Horsens Kommune").click()
    horsens.get_by_label("Afvist").check()
    horsens.get_by_label("Dato for beslutningen").fill("31.12.2099")
    horsens.get_by_label("Sagsnummer").fill("24/999")
    horsens.get_by_label("Bemærkning").fill("Økonomien er ikke afklaret.")
    horsens.get_by_role("button", name="Registrér beslutning").click()
    expect(horsens.get_by_role("alert")).to_contain_text("Beslutningsdatoen kan ikke ligge i fremtiden.")
    expect(horsens.get_by_label("Sagsnummer")).to_have_value("24/999")
    expect(horsens.get_by_label("Afvist")).to_be_checked()
    assert_no_axe_violations(horsens)
    horsens.get_by_label("Dato for beslutningen").fill("")
    horsens.get_by_label("Dato for beslutningen").fill(_i_dag())
    horsens.get_by_role("button", name="Registrér beslutning").click()
    horsens.wait_for_url(f"**/arbejde/aftaler/{slug}/godkendelser/")
    expect(horsens.get_by_role("heading", name="Version 1: 1 af 20 godkendt")).to_be_visible()
    raekke = horsens.get_by_role("row", name=re.compile("Horsens Kommune"))
    expect(raekke).to_contain_text("Afvist")
    expect(raekke).to_contain_text("Økonomien er ikke afklaret.")
    expect(horsens.get_by_role("row", name=re.compile("^Afvist"))).to_contain_text("1")

    # Horsens may not record for Aarhus: the page does not exist for it.
    svar = horsens.goto(f"/arbejde/aftaler/{slug}/beslutning/aarhus/")
    assert svar.status == 404


def _i_dag() -> str:
    """Today where the server counts days (a decision may not lie in the future)."""
    return datetime.datetime.now(ZoneInfo("Europe/Copenhagen")).strftime("%d.%m.%Y")


def test_the_secretariat_and_a_cluster_see_accessible_overviews(ny_side):
    sek = ny_side()
    log_ind(sek, "sekretariat")
    for sti in ("/arbejde/", "/arbejde/implementering/", "/arbejde/proevehandlinger/",
                "/arbejde/proevehandlinger/ny/"):
        assert sek.goto(sti).status == 200
        expect(sek.locator("h1")).to_have_count(1)
        assert_no_axe_violations(sek)
    klynge = ny_side()
    log_ind(klynge, "klynge-horsens")
    for sti in ("/arbejde/", "/arbejde/implementering/"):
        assert klynge.goto(sti).status == 200
        assert_no_axe_violations(klynge)
