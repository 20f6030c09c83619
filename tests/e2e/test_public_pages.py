"""The public pages in a real browser on the demo data: accessibility (axe), keyboard, no JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, demo_totp_kode, log_ind

OFFENTLIGE_SIDER = [
    "/",
    "/organisation/",
    "/klynger/",
    "/klynger/horsensklyngen/",
    "/organisation/fora/sundhedssamarbejdsudvalget/",
    "/tilgaengelighed/",
    "/log-ind/",
]


@pytest.mark.parametrize("sti", OFFENTLIGE_SIDER)
def test_public_page_has_no_accessibility_violations(page, sti):
    svar = page.goto(sti)
    assert svar.status == 200
    assert page.locator("html").get_attribute("lang") == "da"
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("sti", ["/", "/organisation/", "/klynger/horsensklyngen/"])
def test_public_page_has_no_accessibility_violations_on_a_phone(page, sti):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(sti)
    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    assert_no_axe_violations(page)


def test_structure_pages_show_the_demo_structure(page):
    page.goto("/organisation/")
    figur = page.locator("figure.org-figur")
    expect(figur.get_by_role("link", name="Sundhedssamarbejdsudvalget")).to_be_visible()
    expect(figur.get_by_role("link", name="Sundhedsstyregruppen")).to_be_visible()
    expect(figur.get_by_role("link", name="Horsensklyngen", exact=True)).to_be_visible()
    page.goto("/klynger/horsensklyngen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Horsensklyngen")
    expect(page.get_by_text("Regionshospitalet Horsens").first).to_be_visible()


def test_archived_body_page_is_labelled_and_accessible(page):
    page.goto("/organisation/")
    arkiv = page.locator("section", has=page.locator("#arkiverede"))
    expect(arkiv.get_by_text("Arkiveret").first).to_be_visible()
    arkiv.get_by_role("link").first.click()
    expect(page.locator("h1 .badge")).to_have_text("Arkiveret")
    expect(page.get_by_role("status")).to_contain_text("Organet er arkiveret")
    assert_no_axe_violations(page)


def test_nothing_is_loaded_from_outside_the_portal(page, server_url):
    andre = []
    page.on("request", lambda r: None if r.url.startswith((server_url, "data:")) else andre.append(r.url))
    for sti in ["/", "/organisation/", "/log-ind/"]:
        page.goto(sti)
        page.wait_for_load_state("networkidle")
    assert andre == []


def test_login_as_secretariat_lands_on_my_tasks(page):
    log_ind(page, "sekretariat")
    page.wait_for_url("**/arbejde/")
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
    hovedmenu = page.get_by_role("navigation", name="Hovedmenu").first
    expect(hovedmenu.get_by_role("link", name="Mine opgaver")).to_be_visible()
    assert_no_axe_violations(page)


def test_wrong_password_shows_a_focused_danish_error_summary(page):
    log_ind(page, "sekretariat", "forkert")
    opsummering = page.locator('[data-module="error-summary"]')
    expect(opsummering).to_contain_text("Du blev ikke logget ind")
    expect(opsummering).to_contain_text("korrekt brugernavn og adgangskode")
    expect(opsummering).to_be_focused()
    assert_no_axe_violations(page)


def test_log_out_button_returns_to_the_front_page(page):
    log_ind(page, "sekretariat")
    page.wait_for_url("**/arbejde/")
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    expect(page.get_by_role("link", name="Log ind").first).to_be_visible()


# ---- Keyboard ------------------------------------------------------------------------------------


def test_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_the_content(page):
    page.goto("/organisation/")
    page.keyboard.press("Tab")
    skiplink = page.locator("a.skipnav")
    expect(skiplink).to_be_focused()
    expect(skiplink).to_be_visible()
    expect(skiplink).to_have_text("Gå til sidens indhold")
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
    # The next Tab continues inside the content, past the header and menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def _tab_til(page, predikat: str, max_tryk: int = 25) -> bool:
    for _ in range(max_tryk):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predikat})(document.activeElement)"):
            return True
    return False


def test_main_navigation_is_reachable_and_usable_by_keyboard(page):
    page.goto("/")
    assert _tab_til(page, "el.closest('.navigation-menu .mainmenu') && el.getAttribute('href') === '/klynger/'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/klynger/")
    expect(page.locator('.navigation-menu a[href="/klynger/"]')).to_have_attribute("aria-current", "page")


def test_mobile_menu_opens_and_closes_by_keyboard(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    assert _tab_til(page, "el.classList.contains('js-menu-open')")
    page.keyboard.press("Enter")
    expect(page.locator(".mobile-drawer")).to_be_visible()
    expect(page.locator(".js-menu-close")).to_be_focused()
    assert _tab_til(page, "el.closest('.navigation-menu-mobile') && el.getAttribute('href') === '/organisation/'", 6)
    page.keyboard.press("Escape")
    expect(page.locator(".mobile-drawer")).to_be_hidden()


def test_pages_work_without_javascript(browser, server_url):
    context = browser.new_context(base_url=server_url, locale="da-DK", java_script_enabled=False,
                                  viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto("/")
        menu = page.locator(".navigation-menu .mainmenu")
        expect(menu.get_by_role("link", name="Organisation")).to_be_visible()
        menu.get_by_role("link", name="Klynger og sundhedsråd").click()
        page.wait_for_url("**/klynger/")
        page.get_by_role("link", name="Log ind").first.click()
        page.get_by_label("Brugernavn").fill("sekretariat")
        page.get_by_label("Adgangskode").fill("demo")
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url("**/log-ind/kode/")  # the secretariat's second factor (sundhed.mfa)
        page.get_by_label("Engangskode").fill(demo_totp_kode("sekretariat"))
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url("**/klynger/")  # back where the visitor came from
        page.get_by_role("button", name="Log ud").first.click()
        expect(page.get_by_role("link", name="Log ind").first).to_be_visible()
    finally:
        context.close()
