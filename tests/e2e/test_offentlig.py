"""The public agreement pages in a real browser on the demo data: search, filters, the agreement,
versions and comparison; axe (WCAG 2.1 A/AA), keyboard, no JavaScript, print."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations

AKUT = "samarbejdsaftale-om-kommunale-akutfunktioner"  # in force, versions 2 and 3 public
PALLIATIV = "samarbejdsaftale-om-palliativ-indsats"  # recommended, decisions under way
LOKAL = "lokal-aftale-om-fremskudt-visitation-i-horsensklyngen"
HJERNESKADE = "samarbejdsaftale-om-voksne-med-erhvervet-hjerneskade"  # in force, a revision is drafted
UDKAST = "samarbejdsaftale-om-medicinhaandtering"

SIDER = [
    "/aftaler/",
    "/aftaler/?q=%C3%A6ldre",
    "/aftaler/?status=i_kraft&omfang=regional&sortering=ikraft",
    f"/aftaler/{AKUT}/",
    f"/aftaler/{PALLIATIV}/",
    f"/aftaler/{LOKAL}/",
    f"/aftaler/{HJERNESKADE}/",
    f"/aftaler/{AKUT}/versioner/2/",
    f"/aftaler/{AKUT}/sammenlign/2/3/",
]


@pytest.mark.parametrize("sti", SIDER)
def test_public_agreement_page_has_no_accessibility_violations(page, sti):
    svar = page.goto(sti)
    assert svar.status == 200
    assert page.locator("html").get_attribute("lang") == "da"
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("sti", ["/aftaler/", f"/aftaler/{PALLIATIV}/"])
def test_public_agreement_page_has_no_accessibility_violations_on_a_phone(page, sti):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(sti)
    assert_no_axe_violations(page)


def test_a_citizen_finds_an_agreement_by_a_danish_word_and_sees_the_hit(page):
    page.goto("/")
    page.get_by_role("navigation", name="Hovedmenu").first.get_by_role("link", name="Samarbejdsaftaler").click()
    page.wait_for_url("**/aftaler/")
    page.get_by_label("Søg i titel, resumé og tekst").fill("ÆLDRE")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url(re.compile(r".*q=%C3%86LDRE.*"))
    resultat = page.locator(".aftaleliste > li").first
    expect(resultat.get_by_role("link")).to_contain_text("ældre medicinske patienter")
    expect(resultat.locator("mark").first).to_have_text(re.compile("ældre", re.I))
    expect(page.get_by_role("heading", level=2, name=re.compile("matcher »ÆLDRE«"))).to_be_visible()
    assert_no_axe_violations(page)


def test_a_draft_is_never_found_or_shown(page):
    page.goto("/aftaler/?q=medicinh%C3%A5ndtering")
    expect(page.locator(".aftaleliste")).to_have_count(0)
    assert page.goto(f"/aftaler/{UDKAST}/").status == 404


def test_filters_work_without_javascript(browser, server_url):
    context = browser.new_context(base_url=server_url, locale="da-DK", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/aftaler/")
        page.get_by_label("Status").select_option("indstillet")
        page.get_by_role("button", name="Vis aftaler").click()
        page.wait_for_url("**status=indstillet**")
        # Other browser tests recommend agreements of their own on the same server, so the demo's
        # recommended agreement must be among the hits, and every hit must be recommended.
        titler = page.locator(".aftaleliste .aftalekort-titel")
        expect(titler.filter(has_text="palliativ indsats")).to_have_count(1)
        filtreret = titler.count()
        statusser = page.locator(".aftaleliste .aftalekort-status .badge").all_inner_texts()
        assert statusser == ["Indstillet til godkendelse"] * filtreret
        page.get_by_role("link", name="Nulstil søgning og filtre").click()
        page.wait_for_url(re.compile(r".*/aftaler/$"))
        assert page.locator(".aftaleliste > li").count() > filtreret
    finally:
        context.close()


def test_search_and_result_are_reachable_by_keyboard(page):
    page.goto("/aftaler/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name === 'q'"):
            break
    else:
        pytest.fail("Søgefeltet kan ikke nås med tabulatortasten")
    page.keyboard.type("hjerneskade")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=hjerneskade**")
    link = page.locator(".aftaleliste .aftalekort-titel a").first
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.aftalekort-titel') !== null"):
            break
    else:
        pytest.fail("Søgeresultatet kan ikke nås med tabulatortasten")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/aftaler/{HJERNESKADE}/")


def test_the_agreement_shows_who_approved_it_and_when(page):
    page.goto(f"/aftaler/{PALLIATIV}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samarbejdsaftale om palliativ indsats")
    expect(page.get_by_text("Indstillet tekst – afventer beslutninger")).to_be_visible()
    kort = page.get_by_role("img", name=re.compile("Kommunernes beslutninger om version"))
    expect(kort).to_be_visible()
    expect(kort.locator("g")).to_have_count(19)
    tabel = page.get_by_role("table", name=re.compile("Beslutninger om version"))
    expect(tabel.get_by_role("row")).to_have_count(21)  # header + 19 municipalities + the region
    aarhus = tabel.get_by_role("row", name=re.compile("Aarhus Kommune"))
    expect(aarhus).to_contain_text("Godkendt")
    expect(aarhus.get_by_role("link", name=re.compile("Referat"))).to_have_attribute("href", re.compile("^https://"))
    expect(page.locator("ol.statusforloeb li[aria-current='step']")).to_contain_text("Indstillet til godkendelse")


def test_an_agreement_under_revision_shows_the_text_in_force(page):
    page.goto(f"/aftaler/{HJERNESKADE}/")
    expect(page.get_by_text("Aftalen er under revision")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Gældende aftaletekst"))).to_contain_text("version 2")
    assert page.goto(f"/aftaler/{HJERNESKADE}/versioner/3/").status == 404


def test_comparing_two_versions_marks_the_changes_for_screen_readers(page):
    page.goto(f"/aftaler/{AKUT}/")
    page.get_by_role("link", name=re.compile("Med version 2")).click()
    page.wait_for_url(f"**/aftaler/{AKUT}/sammenlign/2/3/")
    diff = page.locator(".diff")
    assert diff.locator("ins").count() + diff.locator("del").count() > 0
    if diff.locator("ins").count():
        expect(diff.locator("ins .sr-only").first).to_have_text("tilføjet: ")
    expect(page.get_by_role("status")).to_contain_text("ord tilføjet")
    assert_no_axe_violations(page)


def test_the_version_picker_compares_any_two_versions(page):
    page.goto(f"/aftaler/{AKUT}/")
    page.get_by_label("Fra version").select_option("2")
    page.get_by_label("Til version").select_option("3")
    page.get_by_role("button", name="Vis ændringer").click()
    page.wait_for_url(f"**/aftaler/{AKUT}/sammenlign/2/3/")


def test_the_pdf_and_the_feed_can_be_fetched_from_the_page(page):
    page.goto(f"/aftaler/{AKUT}/")
    pdf_link = page.get_by_role("link", name=re.compile("Hent som PDF"))
    svar = page.request.get(pdf_link.get_attribute("href"))
    assert svar.status == 200 and svar.headers["content-type"] == "application/pdf"
    assert svar.body().startswith(b"%PDF-")
    feed = page.request.get(page.get_by_role("link", name=re.compile("Atom-feed")).get_attribute("href"))
    assert feed.status == 200 and "<entry>" in feed.text()


def test_the_print_version_hides_navigation_and_forms(page):
    page.goto("/aftaler/")
    page.emulate_media(media="print")
    expect(page.locator(".aftalefilter")).to_be_hidden()
    expect(page.locator(".header .navigation-menu")).to_be_hidden()
    page.goto(f"/aftaler/{AKUT}/")
    page.emulate_media(media="print")
    expect(page.locator(".aftale-handlinger")).to_be_hidden()
    expect(page.locator("svg.kommunekort-svg")).to_be_visible()


def test_nothing_on_the_agreement_pages_is_loaded_from_outside_the_portal(page, server_url):
    andre = []
    page.on("request", lambda r: None if r.url.startswith((server_url, "data:")) else andre.append(r.url))
    for sti in ("/aftaler/", f"/aftaler/{PALLIATIV}/"):
        page.goto(sti)
        page.wait_for_load_state("networkidle")
    assert andre == []
