"""Comments on drafts in the browser: the steering group finds a draft open for comments on "Mine opgaver",
selects a passage of its text (which fills the quote) and comments; the secretariat marks the comment handled.
The pages involved have 0 axe violations and reflow at 320 px; commenting also works without JavaScript."""

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_ind
from tests.e2e.test_reflow import BREDDE, HOEJDE, MAAL, Besoeg

AFTALE = "Samarbejdsaftale om rygestop"  # the demo's agreement in consultation, owned by a theme group
SLUG = "samarbejdsaftale-om-rygestop"


def _ingen_vandret_rulning(page) -> None:
    page.set_viewport_size({"width": BREDDE, "height": HOEJDE})
    fejl = Besoeg(page.url, "", 200, page.evaluate(MAAL)).fejl()
    assert not fejl, "\n".join(fejl)


def _marker_tekst(page, antal_tegn: int = 40) -> str:
    """Select the first `antal_tegn` characters of the text's first paragraph, as a mouse drag does, and
    release the mouse there; returns the selected text."""
    return page.evaluate("""n => {
      const tekst = document.querySelector('.aftaletekst');
      const walker = document.createTreeWalker(tekst, NodeFilter.SHOW_TEXT,
        {acceptNode: t => t.textContent.trim().length > n ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP});
      const node = walker.nextNode();
      const range = document.createRange();
      const start = node.textContent.search(/\\S/);
      range.setStart(node, start);
      range.setEnd(node, start + n);
      const valg = window.getSelection();
      valg.removeAllRanges();
      valg.addRange(range);
      node.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
      return valg.toString();
    }""", antal_tegn)


def test_the_steering_group_comments_with_a_quote_and_the_secretariat_marks_it_handled(browser, server_url):
    markoer = f"Kommentar {uuid.uuid4().hex[:8]}"

    styregruppe = browser.new_context(base_url=server_url, locale="da-DK").new_page()
    log_ind(styregruppe, "styregruppe")
    styregruppe.goto("/arbejde/")
    sektion = styregruppe.locator("section", has=styregruppe.get_by_role("heading", name="Udkast, der kan kommenteres"))
    sektion.get_by_role("link", name=AFTALE).click()
    expect(styregruppe).to_have_url(re.compile(f"/arbejde/aftaler/{SLUG}/kommentarer/$"))
    expect(styregruppe.get_by_role("heading", level=1)).to_contain_text("Kommentarer til")
    assert_no_axe_violations(styregruppe)

    valgt = _marker_tekst(styregruppe)
    citat = " ".join(valgt.split())
    assert len(citat) > 20
    expect(styregruppe.get_by_label("Citat fra teksten")).to_have_value(citat)
    expect(styregruppe.locator("#kommentar-citat-status")).to_contain_text("udfyldt med den markerede tekst")
    styregruppe.get_by_label("Kommentar", exact=True).fill(f"{markoer}: skriv, hvem der ringer til borgeren.")
    styregruppe.get_by_role("button", name="Send kommentar").click()

    expect(styregruppe.get_by_text("Din kommentar til version")).to_be_visible()
    kommentar = styregruppe.locator("li.kommentar", has_text=markoer)
    expect(kommentar).to_contain_text(f"»{citat}«")
    expect(kommentar).to_contain_text("Sundhedsstyregruppen")
    expect(kommentar).to_contain_text("Ikke behandlet")
    expect(kommentar.get_by_role("button", name=re.compile("Markér som behandlet"))).to_have_count(0)
    assert_no_axe_violations(styregruppe)
    _ingen_vandret_rulning(styregruppe)
    styregruppe.context.close()

    sekretariat = browser.new_context(base_url=server_url, locale="da-DK").new_page()
    log_ind(sekretariat, "sekretariat")
    sekretariat.goto(f"/arbejde/aftaler/{SLUG}/")
    kommentar = sekretariat.locator("li.kommentar", has_text=markoer)
    expect(kommentar).to_contain_text(f"»{citat}«")
    assert_no_axe_violations(sekretariat)
    kommentar.get_by_role("button", name=re.compile("Markér som behandlet")).click()

    expect(sekretariat.get_by_text("er markeret som behandlet")).to_be_visible()
    kommentar = sekretariat.locator("li.kommentar", has_text=markoer)
    expect(kommentar).to_contain_text("Behandlet")
    expect(kommentar).not_to_contain_text("Ikke behandlet")
    expect(kommentar.get_by_role("button", name=re.compile("Markér som behandlet"))).to_have_count(0)
    assert_no_axe_violations(sekretariat)
    _ingen_vandret_rulning(sekretariat)
    sekretariat.goto(f"/arbejde/aftaler/{SLUG}/")
    _ingen_vandret_rulning(sekretariat)
    sekretariat.context.close()


def test_commenting_works_without_javascript_and_keeps_a_refused_input(browser, server_url):
    side = browser.new_context(base_url=server_url, locale="da-DK", java_script_enabled=False).new_page()
    log_ind(side, "styregruppe")
    side.goto(f"/arbejde/aftaler/{SLUG}/kommentarer/")
    side.get_by_label("Kommentar", exact=True).fill("Uden JavaScript")
    side.get_by_label("Citat fra teksten").fill("en sætning, der ikke står i aftalen")
    side.get_by_role("button", name="Send kommentar").click()

    expect(side.get_by_role("alert")).to_contain_text("Kommentaren blev ikke gemt")
    expect(side.get_by_role("alert")).to_contain_text("Citatet findes ikke i teksten")
    expect(side.get_by_label("Kommentar", exact=True)).to_have_value("Uden JavaScript")
    # (axe and the reflow measurement run scripts in the page, so they are checked on the same page with
    # JavaScript in the test above.)

    side.get_by_label("Citat fra teksten").fill("")
    side.get_by_role("button", name="Send kommentar").click()
    expect(side.get_by_text("Din kommentar til version")).to_be_visible()
    expect(side.locator("li.kommentar", has_text="Uden JavaScript")).to_be_visible()
    side.context.close()
