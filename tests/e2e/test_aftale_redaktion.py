"""The secretariat drafts an agreement in the browser and takes it from draft to recommended.

Runs on the demo data (`manage.py demo --force`): the user `sekretariat` (password `demo`) and the
forum Sundhedssamarbejdsudvalget. Every page on the way is checked with axe (WCAG 2.1 A and AA).
"""

import datetime
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_ind

OM_EN_MAANED = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
OM_TO_MAANEDER = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()


def unik_titel(tekst: str) -> str:
    return f"{tekst} {uuid.uuid4().hex[:8]}"


def status(page):
    return page.locator(".aftale-status .badge").first


def bekraeft(page, link: str, **felter) -> None:
    """Open an action's confirmation page from the overview, fill its fields, check it, confirm."""
    page.get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(link)
    for label, vaerdi in felter.items():
        page.get_by_label(label, exact=True).fill(vaerdi)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Bekræft").click()


def test_the_secretariat_takes_an_agreement_from_draft_to_recommended(page):
    log_ind(page, "sekretariat")
    page.goto("/arbejde/aftaler/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samarbejdsaftaler")
    assert_no_axe_violations(page)

    # Draft: title and text written in the rich-text editor.
    page.get_by_role("link", name="Ny samarbejdsaftale").click()
    expect(page.get_by_role("toolbar")).to_be_visible()
    assert_no_axe_violations(page)
    titel = unik_titel("Aftale om sundhedsvisitationer")
    page.get_by_label("Titel", exact=True).fill(titel)
    flade = page.get_by_role("textbox", name="Aftaletekst")
    flade.click()
    page.get_by_role("button", name="Overskrift", exact=True).click()
    page.keyboard.type("Formål")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Brødtekst").click()
    page.keyboard.type("Borgeren visiteres samme dag af den kommunale akutfunktion.")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Punktopstilling").click()
    page.keyboard.type("Fælles vurdering")
    page.get_by_role("button", name="Opret aftalen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(titel)
    expect(status(page)).to_have_text("Udkast")
    tekst = page.locator(".aftaletekst")
    expect(tekst.get_by_role("heading", name="Formål")).to_be_visible()
    expect(tekst.locator("p")).to_contain_text("Borgeren visiteres samme dag af den kommunale akutfunktion.")
    expect(tekst.locator("ul li")).to_have_text("Fælles vurdering")
    assert_no_axe_violations(page)
    oversigt = page.url

    # The editor page itself.
    page.get_by_role("link", name="Rediger aftalen").click()
    expect(page.get_by_role("textbox", name="Aftaletekst")).to_contain_text("Borgeren visiteres samme dag")
    assert_no_axe_violations(page)
    page.goto(oversigt)

    # Consultation with a deadline, then its end.
    bekraeft(page, "Send i høring", **{"Høringsfrist": OM_EN_MAANED, "Note (valgfrit)": "Til klynger og kommuner"})
    expect(status(page)).to_have_text("I høring")
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text("Send i høring")
    expect(page.get_by_role("link", name="Rediger aftalen")).to_have_count(0)
    bekraeft(page, "Afslut høring")
    expect(status(page)).to_have_text("Udkast")

    # Revise the text after the consultation: a new version.
    page.get_by_role("link", name="Rediger aftalen").click()
    flade = page.get_by_role("textbox", name="Aftaletekst")
    flade.locator("p").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" Akutfunktionen svarer inden for en time.")
    page.get_by_label("Ændringsnote (valgfrit)").fill("Rettet efter høringen")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_role("status").first).to_contain_text("version 2")
    expect(page.locator(".aftaletekst")).to_contain_text("Akutfunktionen svarer inden for en time.")

    # Versions 1 and 2 compared: inline with htmx, then on a page of its own.
    page.get_by_role("link", name="Versionshistorik").click()
    expect(page.get_by_role("row", name="Version 2")).to_contain_text("Rettet efter høringen")
    assert_no_axe_violations(page)
    page.get_by_label("Fra version").select_option("1")
    page.get_by_label("Til version").select_option("2")
    page.get_by_role("button", name="Sammenlign").click()
    sammenligning = page.locator("#sammenligning")
    expect(sammenligning.locator(".sammenligning ins").first).to_contain_text("Akutfunktionen")
    page.get_by_role("link", name="Åbn sammenligningen på sin egen side").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sammenligning af version 1 og 2")
    expect(page.locator(".sammenligning ins").first).to_contain_text("Akutfunktionen svarer inden for en time.")
    expect(page.get_by_text("ord tilføjet")).to_be_visible()
    assert_no_axe_violations(page)

    # The committee's recommendation, with a deadline for the councils' decisions.
    page.goto(oversigt)
    page.get_by_role("link", name="Registrér udvalgets indstilling").click()
    expect(page.get_by_label("Indstillende forum")).to_have_value(
        page.get_by_label("Indstillende forum").locator("option", has_text="Sundhedssamarbejdsudvalget").first
        .get_attribute("value"))
    page.get_by_label("Frist for beslutninger").fill(OM_TO_MAANEDER)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Bekræft").click()
    expect(status(page)).to_have_text("Indstillet til godkendelse")
    expect(page.locator("#behandlinger ~ *").get_by_text("Anbefalet").first).to_be_visible()
    expect(page.get_by_role("row", name="Registrér udvalgets indstilling")).to_be_visible()
    assert_no_axe_violations(page)

    # In the list, in its state's group.
    page.goto("/arbejde/aftaler/?status=indstillet")
    expect(page.get_by_role("link", name=titel)).to_be_visible()


def test_the_list_filter_works_with_htmx_and_keeps_the_address(page):
    log_ind(page, "sekretariat")
    page.goto("/arbejde/aftaler/")
    page.evaluate("window.samme_side = true")
    page.get_by_label("Status").select_option("hoering")
    page.get_by_role("button", name="Vis aftaler").click()
    expect(page).to_have_url(re.compile(r"status=hoering"))
    resultater = page.locator("#aftale-resultater")
    expect(resultater.locator("h2")).to_have_count(1)
    expect(resultater.locator("h2")).to_have_text("I høring")
    assert page.evaluate("window.samme_side === true"), "the list was swapped in, not reloaded"
    assert_no_axe_violations(page)


@pytest.fixture
def side_uden_js(browser, server_url):
    context = browser.new_context(base_url=server_url, locale="da-DK", java_script_enabled=False)
    pg = context.new_page()
    yield pg
    context.close()


def test_the_editor_saves_text_from_the_plain_textarea_without_javascript(side_uden_js):
    page = side_uden_js
    log_ind(page, "sekretariat")
    page.goto("/arbejde/aftaler/ny/")
    expect(page.get_by_role("toolbar")).to_have_count(0)
    titel = unik_titel("Aftale om palliativ indsats")
    page.get_by_label("Titel", exact=True).fill(titel)
    page.get_by_label("Aftaletekst").fill("Første afsnit uden editor.\n\nAndet afsnit.")
    page.get_by_role("button", name="Opret aftalen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(titel)
    tekst = page.locator(".aftaletekst p")
    expect(tekst).to_have_text(["Første afsnit uden editor.", "Andet afsnit."])

    page.get_by_role("link", name="Rediger aftalen").click()
    felt = page.get_by_label("Aftaletekst")
    expect(felt).to_be_visible()
    felt.fill("<h2>Ny overskrift</h2><p>Skrevet som HTML.</p><script>alert(1)</script>")
    page.get_by_role("button", name="Gem").click()
    expect(page.locator(".aftaletekst h2")).to_have_text("Ny overskrift")
    expect(page.locator(".aftaletekst p")).to_have_text("Skrevet som HTML.")
    expect(page.locator(".aftaletekst script")).to_have_count(0)


def nyt_udkast(page, titel: str) -> str:
    """Create a draft through the form; return the address of its overview."""
    page.goto("/arbejde/aftaler/ny/")
    page.get_by_label("Titel", exact=True).fill(titel)
    page.get_by_role("textbox", name="Aftaletekst").click()
    page.keyboard.type("Første tekst.")
    page.get_by_role("button", name="Opret aftalen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(titel)
    return page.url


@pytest.mark.parametrize("underside", ["bilag/", "behandling/", "parter/", "versioner/1/"])
def test_the_other_pages_of_a_draft_have_no_accessibility_violations(page, underside):
    log_ind(page, "sekretariat")
    oversigt = nyt_udkast(page, unik_titel("Aftale om medicinhåndtering"))
    svar = page.goto(oversigt + underside)
    assert svar.status == 200
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)


def test_two_editors_at_once_the_later_save_is_refused_and_keeps_its_text(page):
    log_ind(page, "sekretariat")
    oversigt = nyt_udkast(page, unik_titel("Aftale om rygestop"))
    anden = page.context.new_page()
    for p in (page, anden):
        p.goto(oversigt + "rediger/")
    # The first editor saves.
    page.get_by_role("textbox", name="Aftaletekst").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Kollegaens tilføjelse.")
    page.get_by_role("button", name="Gem").click()
    # The draft version takes the save (no new version until it is frozen or one is asked for).
    expect(page.get_by_role("status").first).to_contain_text("version 1")
    # The second, opened before that save, is refused and keeps its own text.
    anden.get_by_role("textbox", name="Aftaletekst").click()
    anden.keyboard.press("Control+End")
    anden.keyboard.type(" Min egen sætning.")
    anden.get_by_role("button", name="Gem").click()
    expect(anden.get_by_role("alert")).to_contain_text("Aftalen er blevet gemt af en anden")
    expect(anden.get_by_role("textbox", name="Aftaletekst")).to_contain_text("Min egen sætning.")
    nyere = anden.locator(".nyere-gemt")
    expect(nyere.get_by_role("heading", name="Den nyeste gemte tekst")).to_be_visible()
    expect(nyere.locator(".laesevisning")).to_contain_text("Kollegaens tilføjelse.")
    assert_no_axe_violations(anden)
    # Having merged by hand, the second editor saves deliberately.
    anden.get_by_role("textbox", name="Aftaletekst").click()
    anden.keyboard.press("Control+End")
    anden.keyboard.type(" Kollegaens tilføjelse.")
    anden.get_by_label("Gem som ny version").check()
    anden.get_by_role("button", name="Gem").click()
    expect(anden.get_by_role("status").first).to_contain_text("version 2")
    expect(anden.locator(".aftaletekst")).to_contain_text("Min egen sætning. Kollegaens tilføjelse.")
