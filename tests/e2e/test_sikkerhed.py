"""Sign-in hardening in the browser (issue 12): the Content-Security-Policy breaks nothing (Swagger UI, the
rich-text editor, htmx, the design system's scripts), the lockout is shown in Danish, and the token page
and signing out work, each page with 0 axe violations.

Runs on the demo data; the lockout test uses `kommune-lemvig`, which no other browser test signs in as
(a locked account stays locked for the rest of the session's server).
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_ind

# Collects every CSP violation on the page, before any of the page's own scripts run (an init script is
# injected by the browser's DevTools protocol, so the policy does not apply to it).
LYTTER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile || ''}:${e.lineNumber || ''}`);
});
"""


@pytest.fixture
def csp_side(page):
    """The page, recording CSP violations from both the DOM event and the console."""
    page.add_init_script(LYTTER)
    konsol = []
    page.on("console", lambda besked: konsol.append(besked.text)
            if "Content Security Policy" in besked.text or "Content-Security-Policy" in besked.text else None)
    page.csp_konsol = konsol
    return page


def overtraedelser(page) -> list[str]:
    return [*page.evaluate("window.__csp || []"), *page.csp_konsol]


OFFENTLIGE = ["/", "/aftaler/", "/organisation/", "/klynger/", "/indikatorer/", "/moeder/", "/tilgaengelighed/",
              "/log-ind/"]


def test_public_pages_break_no_rule_of_the_policy(csp_side):
    fund = {}
    for sti in OFFENTLIGE:
        csp_side.goto(sti)
        csp_side.wait_for_load_state("load")
        if overtraedelser(csp_side):
            fund[sti] = overtraedelser(csp_side)
        csp_side.csp_konsol.clear()
    # An agreement's page (the first in the list) too.
    csp_side.goto("/aftaler/")
    csp_side.locator("main a[href^='/aftaler/']").filter(has_not_text="Nulstil").first.click()
    csp_side.wait_for_load_state("load")
    if overtraedelser(csp_side):
        fund[csp_side.url] = overtraedelser(csp_side)
    assert fund == {}


def test_swagger_ui_works_under_the_policy(csp_side):
    csp_side.goto("/api/docs/")

    expect(csp_side.locator(".opblock-summary-path", has_text="/api/v1/auth/token/")).to_be_visible(timeout=15000)
    expect(csp_side.locator(".info .title")).to_contain_text("Sundhedssamarbejdet")
    assert overtraedelser(csp_side) == []


def test_the_editor_and_staff_pages_work_under_the_policy(csp_side):
    log_ind(csp_side, "sekretariat")
    csp_side.wait_for_url("**/arbejde/")
    for sti in ["/arbejde/", "/arbejde/aftaler/", "/arbejde/tokens/", "/arbejde/moeder/"]:
        csp_side.goto(sti)
        csp_side.wait_for_load_state("load")
    assert overtraedelser(csp_side) == []

    # The rich-text editor starts and formats text.
    csp_side.goto("/arbejde/aftaler/")
    csp_side.get_by_role("link", name="Ny samarbejdsaftale").click()
    expect(csp_side.get_by_role("toolbar")).to_be_visible()
    flade = csp_side.get_by_role("textbox", name="Aftaletekst")
    flade.click()
    csp_side.get_by_role("button", name="Overskrift", exact=True).click()
    csp_side.keyboard.type("Formål")
    expect(flade.get_by_role("heading", name="Formål")).to_be_visible()
    assert overtraedelser(csp_side) == []


def test_repeated_wrong_passwords_lock_the_account_with_a_danish_message(page):
    for _ in range(10):
        log_ind(page, "kommune-lemvig", "forkert")

    log_ind(page, "kommune-lemvig", "demo")

    fejl = page.get_by_role("alert")
    expect(fejl).to_contain_text("For mange mislykkede forsøg på at logge ind")
    expect(fejl).to_contain_text("15 minutter")
    expect(page.get_by_label("Brugernavn")).to_have_value("kommune-lemvig")
    assert "/log-ind/" in page.url
    assert_no_axe_violations(page)
    # Another account from the same browser still signs in.
    log_ind(page, "styregruppe")
    page.wait_for_url("**/arbejde/")


def test_the_owner_sees_and_revokes_the_api_token(page, server_url):
    import json
    import urllib.request

    anmodning = urllib.request.Request(f"{server_url}/api/v1/auth/token/", method="POST",
                                       data=json.dumps({"username": "region", "password": "demo"}).encode(),
                                       headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(anmodning, timeout=10) as svar:
        noegle = json.load(svar)["token"]
    log_ind(page, "region")
    page.wait_for_url("**/arbejde/")

    page.get_by_role("link", name="Dine API-nøgler").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dine API-nøgler")
    expect(page.get_by_role("row", name=f"Slutter på {noegle[-4:]}")).to_contain_text("Gyldig")
    assert noegle not in page.content()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Træk API-nøglen tilbage").click()
    expect(page.get_by_role("status").first).to_contain_text("Din API-nøgle er trukket tilbage")
    expect(page.get_by_text("Du har ingen API-nøgle.")).to_be_visible()
    assert_no_axe_violations(page)


def test_signing_out_ends_the_session(page):
    log_ind(page, "styregruppe")
    page.wait_for_url("**/arbejde/")

    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    page.locator(".portal-user").get_by_role("button", name="Log ud").click()
    page.wait_for_load_state()

    # The old session cookie, put back in the browser, signs nobody in: the session is gone on the server.
    page.context.add_cookies([cookie])
    page.goto("/arbejde/")
    assert "/log-ind/" in page.url
