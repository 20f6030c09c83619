"""Single sign-on with OpenID Connect, end to end (issue 12): a real provider, a real portal, a real browser.

The provider is django-oauth-toolkit's OpenID Connect support in a process of its own
(tests/oidc_udbyder); the portal is a second server process, like conftest's, started with the OIDC_*
settings pointing at that provider. Nothing of mozilla-django-oidc is mocked: the browser follows the
redirects, the portal exchanges the code, checks the ID token's signature against the provider's keys and
reads userinfo over HTTP.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    ROOT,
    _free_port,
    assert_no_axe_violations,
    assert_passer_320,
    demo_miljoe,
    kraev_chromium,
    log_ind,
    start_server,
)
from tests.oidc_udbyder.fixtures import koer_udbyder

pytestmark = pytest.mark.e2e

KENDT_SUB = "8d1c6f2e-5b7a-4c1e-9f3d-2a6b0e4c7d11"
UKENDT_SUB = "0b9e3a57-77c4-4d2f-a1e8-6c5f2d9b3e40"
PERSONER = {
    # A member of Horsens Kommune's council secretariat in the demo data, known by a fixed claim.
    "medarbejder-horsens": {"adgangskode": "udbyder-kode-1", "claims": {"sub": KENDT_SUB}},
    # Someone the portal does not know, carrying the e-mail address of a demo user: the address must not
    # be enough to be signed in as that user.
    "fremmed": {"adgangskode": "udbyder-kode-2",
                "claims": {"sub": UKENDT_SUB, "email": "kommune-aarhus@demo.invalid"}},
}
KNAP = "Log ind med din organisation"


class Portal:
    """The portal server with single sign-on on, and a way to ask its database a question."""

    def __init__(self, url: str, env: dict):
        self.url, self.env = url, env

    def shell(self, kode: str) -> str:
        svar = subprocess.run([sys.executable, str(ROOT / "manage.py"), "shell", "-c", kode], env=self.env,
                              cwd=ROOT, check=True, capture_output=True, text=True)
        # The last line: Django 5.2's shell may first say what it imported.
        return svar.stdout.strip().splitlines()[-1]

    def antal_brugere(self) -> int:
        return int(self.shell("from django.contrib.auth.models import User; print(User.objects.count())"))


@pytest.fixture(scope="module")
def sso_portal():
    kraev_chromium()
    tmp = Path(tempfile.mkdtemp(prefix="sundhed-e2e-sso-"))
    portal_port, udbyder_port = _free_port(), _free_port()
    while udbyder_port == portal_port:
        udbyder_port = _free_port()
    portal_url = f"http://127.0.0.1:{portal_port}"
    with koer_udbyder(port=udbyder_port, redirect_uri=f"{portal_url}/oidc/callback/", personer=PERSONER,
                      post_logout_redirect_uri=f"{portal_url}/") as udbyder:
        env = demo_miljoe(tmp, "e2e_sso", **udbyder.portal_miljoe(OIDC_UDBYDER_NAVN="Testudbyderen"))
        portal = Portal(portal_url, env)
        # The secretariat records the claim on the person (in production in /admin/, Personer).
        portal.shell("from organisation.models import Person; "
                     f"Person.objects.filter(bruger__username='kommune-horsens').update(sso_id='{KENDT_SUB}')")
        proc = start_server(env, tmp, portal_port)
        try:
            yield portal
        finally:
            proc.terminate()
            proc.wait(10)


@pytest.fixture
def sso_side(browser, sso_portal):
    context = browser.new_context(base_url=sso_portal.url, locale="da-DK")
    pg = context.new_page()
    yield pg
    context.close()


def _log_ind_hos_udbyderen(page, brugernavn: str) -> None:
    page.goto("/log-ind/")
    page.get_by_role("link", name=KNAP).click()
    # The provider's own page (not the portal's: no axe here).
    page.get_by_label("Bruger-id hos udbyderen").fill(brugernavn)
    page.get_by_label("Kodeord hos udbyderen").fill(PERSONER[brugernavn]["adgangskode"])
    page.get_by_role("button", name="Fortsæt hos udbyderen").click()


def _sessionens_login_metode(portal: Portal, page) -> str:
    noegle = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    return portal.shell("from django.contrib.sessions.backends.db import SessionStore; "
                        f"print(SessionStore(session_key='{noegle}').get('login_metode'))")


def test_the_login_page_offers_the_organisations_login_and_passes_axe(sso_side):
    sso_side.goto("/log-ind/")
    knap = sso_side.get_by_role("link", name=KNAP)
    expect(knap).to_be_visible()
    expect(sso_side.get_by_text("(Testudbyderen)")).to_be_visible()
    # The password form is still there, unchanged.
    expect(sso_side.get_by_label("Brugernavn")).to_be_visible()
    expect(sso_side.get_by_label("Adgangskode")).to_be_visible()
    expect(sso_side.get_by_role("button", name="Log ind", exact=True)).to_be_visible()
    assert_no_axe_violations(sso_side)
    assert_passer_320(sso_side)


def test_a_known_staff_member_signs_in_through_the_provider_with_their_memberships_powers(
        sso_side, sso_portal, browser):
    _log_ind_hos_udbyderen(sso_side, "medarbejder-horsens")

    expect(sso_side).to_have_url(f"{sso_portal.url}/arbejde/")
    expect(sso_side.get_by_role("heading", level=1)).to_be_visible()
    assert _sessionens_login_metode(sso_portal, sso_side) == "oidc"

    # Exactly the powers of Horsens Kommune's council secretary: the same work page as after signing in
    # with that user's password, and no administrator's page.
    med_sso = sso_side.locator("main").inner_text()
    context = browser.new_context(base_url=sso_portal.url, locale="da-DK")
    try:
        med_adgangskode = context.new_page()
        log_ind(med_adgangskode, "kommune-horsens")
        expect(med_adgangskode).to_have_url(f"{sso_portal.url}/arbejde/")
        assert med_sso == med_adgangskode.locator("main").inner_text()
    finally:
        context.close()
    assert "Horsens" in med_sso
    assert sso_side.goto("/arbejde/rettigheder/").status == 403

    # Signing out ends the portal's session and, through the provider's end-session endpoint, the one at
    # the provider: the browser comes back to the front page.
    sso_side.goto("/arbejde/")
    sso_side.get_by_role("button", name="Log ud").first.click()
    expect(sso_side).to_have_url(f"{sso_portal.url}/")
    assert sso_side.goto("/arbejde/").url.startswith(f"{sso_portal.url}/log-ind/")

    # Asked to sign in on the way to a page, the person comes back to that page; the provider no longer
    # knows them (the next person at a shared computer is not signed in as them), so it asks again.
    sso_side.goto("/arbejde/notifikationer/")
    expect(sso_side).to_have_url(f"{sso_portal.url}/log-ind/?next=/arbejde/notifikationer/")
    sso_side.get_by_role("link", name=KNAP).click()
    sso_side.get_by_label("Bruger-id hos udbyderen").fill("medarbejder-horsens")
    sso_side.get_by_label("Kodeord hos udbyderen").fill(PERSONER["medarbejder-horsens"]["adgangskode"])
    sso_side.get_by_role("button", name="Fortsæt hos udbyderen").click()
    expect(sso_side).to_have_url(f"{sso_portal.url}/arbejde/notifikationer/")


def test_an_unknown_person_gets_the_danish_page_and_no_account(sso_side, sso_portal):
    foer = sso_portal.antal_brugere()

    _log_ind_hos_udbyderen(sso_side, "fremmed")

    expect(sso_side).to_have_url(f"{sso_portal.url}/log-ind/ukendt/")
    expect(sso_side.get_by_role("heading", level=1)).to_have_text("Vi kender dig ikke")
    expect(sso_side.locator("main")).to_contain_text("Skriv til det fælles sekretariat for sundhedssamarbejdet")
    expect(sso_side.get_by_text(UKENDT_SUB)).to_be_visible()
    assert_no_axe_violations(sso_side)
    assert_passer_320(sso_side)

    # Not signed in, not even as the demo user whose e-mail address the provider sent, and nobody created.
    assert sso_side.goto("/arbejde/").url.startswith(f"{sso_portal.url}/log-ind/")
    assert sso_portal.antal_brugere() == foer
    # Nor counted as a failed password guess: unknown people behind one address must not lock the
    # organisation's login for everyone there (django-axes; organisation.sso.axes_undtaget).
    assert sso_portal.shell("from axes.models import AccessAttempt; print(AccessAttempt.objects.count())") == "0"


def test_without_oidc_settings_there_is_no_button_and_no_oidc_addresses(page):
    # conftest's server runs without any OIDC_* variable.
    page.goto("/log-ind/")
    expect(page.get_by_label("Brugernavn")).to_be_visible()
    expect(page.get_by_role("link", name=KNAP)).to_have_count(0)
    for sti in ("/oidc/authenticate/", "/oidc/callback/?code=x&state=y", "/log-ind/ukendt/"):
        assert page.goto(sti).status == 404, sti
