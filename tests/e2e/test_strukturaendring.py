"""An administrator runs a structure change in a real browser, keyboard and no JavaScript needed:
date, ending bodies, successors, preview, run; every step passes axe (WCAG 2.1 A/AA), and the same
body cannot be ended a second time."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_ind

pytestmark = pytest.mark.e2e

# Far in the future, so the change does not alter what the other browser tests see today or in 2027.
DATO = "2031-01-01"


def test_the_secretariat_previews_and_runs_a_structure_change(page):
    log_ind(page, "sekretariat")
    page.goto("/arbejde/struktur/aendringer/")
    expect(page.get_by_role("link", name="Sundhedsreformen: fem sundhedsråd afløser")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Ny strukturændring").click()
    page.get_by_label("Ændringsdato").fill(DATO)
    page.get_by_label("Ændringsdato").press("Enter")
    assert_no_axe_violations(page)

    page.get_by_label("Beskrivelse").fill("Sundhedsråd Aarhus lægges sammen med Midt")
    page.get_by_label("Sundhedsråd Aarhus (sundhedsråd)").check()
    page.get_by_role("button", name="Vælg efterfølgere").click()
    efterfoelgere = page.get_by_label("Efterfølgere for Sundhedsråd Aarhus")
    expect(efterfoelgere).to_be_visible()
    efterfoelgere.select_option(label="Sundhedsråd Midt")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Forhåndsvis").click()
    expect(page.get_by_role("heading", name="Det her sker, når du gennemfører")).to_be_visible()
    expect(page.get_by_text("Sundhedsråd Aarhus ophører 31. december 2030 og afløses af Sundhedsråd Midt.")
           ).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Gennemfør strukturændringen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sundhedsråd Aarhus lægges sammen med Midt")
    expect(page.get_by_text("Sundhedsråd Aarhus: afløst af Sundhedsråd Midt")).to_be_visible()
    assert_no_axe_violations(page)

    # A body ends once: it is no longer offered (the service refuses it too, tests/aftaler/test_strukturaendring.py).
    page.goto(f"/arbejde/struktur/aendringer/ny/?dato={DATO}")
    expect(page.get_by_label("Sundhedsråd Aarhus (sundhedsråd)")).to_have_count(0)
