"""The second factor in a browser (issue 12, item 2): the secretariat signs in with password and TOTP code;
a user who must have a second factor and has none sets one up (QR code and secret, no script) and gets
recovery codes. Each page has no axe violations and fits 320 px."""

import base64
import re
import time

import pytest
from playwright.sync_api import expect

from organisation.demo import DEMO_TOTP_NOEGLE
from sundhed.mfa import kode_nu
from tests.e2e.conftest import assert_no_axe_violations, assert_passer_320, demo_totp_kode, log_ind

pytestmark = pytest.mark.e2e

# A demo user no other browser test signs in as: made staff here, so it must set up a second factor.
NY_PAA_KONTORET = "kommune-odder"


def ugyldig_kode() -> str:
    """A code the demo authenticator does not show anywhere near now."""
    naer = {kode_nu(DEMO_TOTP_NOEGLE, time.time() + s * 30) for s in range(-2, 4)}
    return next(k for k in ("000000", "111111", "222222") if k not in naer)


def test_the_secretariat_signs_in_with_password_and_code(page):
    page.goto("/log-ind/")
    page.get_by_label("Brugernavn").fill("sekretariat")
    page.get_by_label("Adgangskode").fill("demo")
    page.get_by_role("button", name="Log ind").click()

    page.wait_for_url("**/log-ind/kode/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv din engangskode")
    expect(page.get_by_role("button", name="Log ud")).to_have_count(0)  # not signed in yet
    assert_no_axe_violations(page)

    page.get_by_label("Engangskode").fill(ugyldig_kode())
    page.get_by_role("button", name="Log ind").click()
    opsummering = page.locator('[data-module="error-summary"]')
    expect(opsummering).to_contain_text("Du blev ikke logget ind")
    expect(opsummering).to_contain_text("Koden er forkert eller allerede brugt")
    expect(page.get_by_label("Engangskode")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page)
    assert_passer_320(page)

    time.sleep(1.2)  # django-otp makes the next try after a wrong code wait a second
    page.get_by_label("Engangskode").fill(demo_totp_kode("sekretariat"))
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/arbejde/")
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()

    page.locator("main").get_by_role("link", name=re.compile("Sikkerhed ved log ind")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sikkerhed ved log ind")
    expect(page.locator("main")).to_contain_text("Du er logget ind med adgangskode og engangskode.")
    expect(page.get_by_role("button", name="Slå totrinsbekræftelse fra")).to_have_count(0)  # required
    assert_no_axe_violations(page)


def test_a_new_staff_member_sets_up_the_second_factor_before_signing_in(browser, server_url, page):
    # The administrator makes an ordinary demo user staff: from now on it must use a second factor.
    log_ind(page, "admin")
    page.goto(f"/admin/auth/user/?q={NY_PAA_KONTORET}")
    page.get_by_role("link", name=NY_PAA_KONTORET, exact=True).click()
    page.get_by_label("admin-status").check()
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/auth/user/(\?.*)?$"))  # back on the list: saved

    context = browser.new_context(base_url=server_url, locale="da-DK")
    ny = context.new_page()
    try:
        ny.goto("/log-ind/")
        ny.get_by_label("Brugernavn").fill(NY_PAA_KONTORET)
        ny.get_by_label("Adgangskode").fill("demo")
        ny.get_by_role("button", name="Log ind").click()
        ny.wait_for_url("**/log-ind/totp/")

        expect(ny.get_by_role("heading", level=1)).to_have_text("Slå totrinsbekræftelse til")
        expect(ny.get_by_role("img", name="QR-kode til din godkendelsesapp")).to_be_visible()
        expect(ny.get_by_role("button", name="Log ud")).to_have_count(0)
        assert_no_axe_violations(ny)
        assert_passer_320(ny)

        # The authenticator app is given the secret as the page writes it.
        hemmelighed = ny.locator("code.hemmelig-noegle").inner_text().replace(" ", "")
        noegle = base64.b32decode(hemmelighed + "=" * (-len(hemmelighed) % 8)).hex()
        ny.get_by_label("Kode fra godkendelsesappen").fill(kode_nu(noegle))
        ny.get_by_role("button", name="Bekræft og slå til").click()

        ny.wait_for_url("**/arbejde/sikkerhed/gendannelseskoder/")
        expect(ny.get_by_role("heading", level=1)).to_have_text("Dine gendannelseskoder")
        expect(ny.get_by_role("list", name="Gendannelseskoder").get_by_role("listitem")).to_have_count(10)
        expect(ny.get_by_role("button", name="Log ud")).to_be_visible()
        assert_no_axe_violations(ny)
        assert_passer_320(ny)

        ny.get_by_role("link", name=re.compile("fortsæt")).click()
        ny.wait_for_url("**/arbejde/")
        # Shown once only.
        ny.goto("/arbejde/sikkerhed/gendannelseskoder/")
        expect(ny.get_by_role("list", name="Gendannelseskoder")).to_have_count(0)
    finally:
        context.close()
