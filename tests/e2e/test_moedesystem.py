"""A council secretary fills the council's decision from an eDoc export in a real browser: a hostile file is
refused in Danish, the real export gives a proposal, the secretary confirms it and the decision appears.
Every page passes axe and reflows at 320 px."""

import datetime
import html
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_axe_violations, log_ind
from tests.e2e.test_aftale_beslutning import _indstillet_aftale
from tests.e2e.test_reflow import BREDDE, HOEJDE, MAAL, Besoeg

pytestmark = pytest.mark.e2e


def _edoc_export(titel: str, i_dag: datetime.date) -> str:
    """eDocAgendaPublishing.xml as the council's eDoc publishes it: the item's FullText as escaped HTML."""
    def punkt(nummer: int, overskrift: str, sagsnummer: str, beslutning: str) -> str:
        fuld = (f"<h2>{overskrift}</h2><p>{sagsnummer} Åben Sag</p><h3>Sagsfremstilling</h3>"
                "<p>Sundhedssamarbejdsudvalget har anbefalet aftalen.</p><h3>Indstilling</h3>"
                "<p>Direktøren indstiller, at aftalen godkendes.</p>"
                f"<h3><strong>Beslutning i Byrådet den {i_dag.strftime('%d-%m-%Y')}</strong></h3>"
                f"<p>{beslutning}</p><p>Fraværende:</p><p>Ingen</p><h3>Bilag:</h3><p>1 - Aftaletekst</p>")
        return (f"<MeetingAgendaItem><AgendaItemNumber>{nummer}</AgendaItemNumber>"
                f"<FullText>{html.escape(fuld)}</FullText></MeetingAgendaItem>")

    return ('<?xml version="1.0" encoding="utf-8"?>\n<Meeting><Committee>Byrådet</Committee>'
            f"<MeetingDate>{i_dag.isoformat()}T16:00:00</MeetingDate><MeetingAgendaItems>"
            + punkt(3, "Budget 2027, 2. behandling", "24/30001", "Godkendt.")
            + punkt(9, f"Godkendelse af {titel}", "24/31337", "Indstillingen blev godkendt.")
            + "</MeetingAgendaItems></Meeting>")


def _passer_i_320_px(page, navn: str) -> None:
    besoeg = Besoeg(sti=navn, moenster="arbejde:beslutning-moedesystem", status=200, maaling=page.evaluate(MAAL))
    assert not besoeg.fejl(), "\n".join(besoeg.fejl())


def test_a_council_secretary_fills_the_decision_from_an_edoc_export(browser, server_url, page, tmp_path):
    titel, slug = _indstillet_aftale(page)
    i_dag = datetime.datetime.now(ZoneInfo("Europe/Copenhagen")).date()
    god = tmp_path / "eDocAgendaPublishing.xml"
    god.write_text(_edoc_export(titel, i_dag), encoding="utf-8")
    fjendtlig = tmp_path / "fjendtlig.xml"
    fjendtlig.write_text('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                         "<Meeting><Committee>&b;</Committee></Meeting>", encoding="utf-8")

    context = browser.new_context(base_url=server_url, locale="da-DK", viewport={"width": BREDDE, "height": HOEJDE})
    horsens = context.new_page()
    try:
        log_ind(horsens, "kommune-horsens")
        horsens.goto(f"/arbejde/aftaler/{slug}/beslutning/horsens/")
        expect(horsens.get_by_role("heading", name="Hent fra mødesystem")).to_be_visible()
        _passer_i_320_px(horsens, "beslutningssiden")
        assert_no_axe_violations(horsens)

        # A hostile file: refused in Danish, nothing saved, the page still offers both ways.
        horsens.get_by_label("Fil fra mødesystemet").set_input_files(str(fjendtlig))
        horsens.get_by_role("button", name="Hent fra filen").click()
        expect(horsens.get_by_role("alert")).to_contain_text("DTD eller entiteter")
        expect(horsens.get_by_role("heading", level=1)).to_have_text("Hent beslutning fra mødesystem")
        _passer_i_320_px(horsens, "afvist fil")
        assert_no_axe_violations(horsens)

        # The real export: the proposal, filled from item 9.
        horsens.get_by_label("Fil fra mødesystemet").set_input_files(str(god))
        horsens.get_by_role("button", name="Hent fra filen").click()
        expect(horsens.get_by_role("heading", level=1)).to_have_text("Forslag til beslutning for Horsens Kommune")
        expect(horsens.get_by_text("Udfyldt fra eDoc: Byrådet", exact=False)).to_be_visible()
        expect(horsens.get_by_text("punkt 9: Godkendelse af", exact=False)).to_be_visible()
        expect(horsens.get_by_label("Godkendt")).to_be_checked()
        expect(horsens.get_by_label("Dato for beslutningen")).to_have_value(i_dag.strftime("%d.%m.%Y"))
        expect(horsens.get_by_label("Sagsnummer")).to_have_value("24/31337")
        expect(horsens.get_by_label("Bemærkning")).to_have_value(re.compile("^Indstillingen blev godkendt."))
        _passer_i_320_px(horsens, "forslaget")
        assert_no_axe_violations(horsens)

        # Nothing is saved yet: the progress table still waits for Horsens.
        tabel = context.new_page()
        tabel.goto(f"/arbejde/aftaler/{slug}/godkendelser/")
        expect(tabel.get_by_role("heading", name="Version 1: 0 af 20 godkendt")).to_be_visible()
        tabel.close()

        horsens.get_by_role("button", name="Registrér beslutning").click()
        horsens.wait_for_url(f"**/arbejde/aftaler/{slug}/godkendelser/")
        expect(horsens.get_by_text("registreret fra mødesystemet: godkendt")).to_be_visible()
        expect(horsens.get_by_role("heading", name="Version 1: 1 af 20 godkendt")).to_be_visible()
        raekke = horsens.get_by_role("row", name=re.compile("Horsens Kommune"))
        expect(raekke).to_contain_text("Godkendt")
        expect(raekke).to_contain_text("24/31337")
        assert_no_axe_violations(horsens)
    finally:
        context.close()
