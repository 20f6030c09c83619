"""A council's decision filled from its own meeting system (issue 11, part 5): eDoc and SBSYS exports and
FirstAgenda addresses are read (aftaler.moedesystem), the item about the agreement is found, and the decision
page proposes the decision; nothing is saved before the secretary confirms, and then through the decision
service. Every export here is built by the test; FirstAgenda is a local http.server on 127.0.0.1."""

from __future__ import annotations

import datetime
import html
import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftaler import moedesystem, services
from aftaler.choices import Beslutning, Status
from aftaler.models import Godkendelse
from sundhed.models import Haendelse
from tests.aftaler.conftest import I_DAG, _frisk

TITEL = "Samarbejdsaftale om palliativ indsats"
SLUG = "samarbejdsaftale-om-palliativ-indsats"
DATO_ISO = I_DAG.isoformat()
DATO_DK = I_DAG.strftime("%d-%m-%Y")


# --- exports built by the tests --------------------------------------------------------------------


def edoc_punkt(nummer: int, overskrift: str, beslutning: str = "Godkendt.", sagsnummer: str = "24/1234",
               *, dato: str = DATO_DK) -> str:
    """One MeetingAgendaItem with its FullText as escaped HTML, laid out like seed 004."""
    fuld = (f"<h2>{overskrift}</h2><p>{sagsnummer} Åben Sag</p><h3>Sagsgang</h3><p>SSU, BY</p>"
            f"<h3>Sagsfremstilling</h3><p>Sundhedssamarbejdsudvalget har anbefalet aftalen.</p>"
            f"<h3><strong>Indstilling</strong></h3><p>Direktøren indstiller, at aftalen godkendes.</p>")
    if beslutning:
        fuld += (f"<h3><strong>Beslutning i Byrådet den {dato}</strong></h3><p>{beslutning}</p>"
                 "<p>Fraværende:</p><p>Ingen</p>")
    fuld += "<h3>Bilag:</h3><p>1 - Aftaletekst (87268/21)</p>"
    return (f"<MeetingAgendaItem><AgendaItemNumber>{nummer}</AgendaItemNumber>"
            f"<FullText>{html.escape(fuld)}</FullText></MeetingAgendaItem>")


def edoc(*punkter: str, committee: str = "Byrådet", dato: str = f"{DATO_ISO}T16:00:00") -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<Meeting><Committee>' + committee + "</Committee>"
            f"<MeetingDate>{dato}</MeetingDate><MeetingAgendaItems>{''.join(punkter)}</MeetingAgendaItems>"
            "</Meeting>").encode()


def edoc_med_aftale(beslutning: str = "Indstillingen blev godkendt.", titel: str = TITEL) -> bytes:
    return edoc(edoc_punkt(3, "Budget 2027, 2. behandling", sagsnummer="24/99"),
                edoc_punkt(7, f"Godkendelse af {titel}", beslutning, sagsnummer="21/7419"),
                edoc_punkt(8, "Orientering om ældreområdet", "Taget til efterretning.", sagsnummer="24/100"))


def sbsys(beslutning: str = "Sagen blev udsat til næste møde.") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Dagsorden>
  <Møde>
    <Udvalg>Kommunalbestyrelsen</Udvalg>
    <Mødedato>{DATO_ISO}</Mødedato>
    <Referat>https://www.kommune-a.dk/referat/{DATO_ISO}</Referat>
  </Møde>
  <Dagsordenpunkter>
    <Dagsordenpunkt>
      <Nummer>1</Nummer>
      <Overskrift>Godkendelse af dagsorden</Overskrift>
      <Beslutning>Godkendt.</Beslutning>
    </Dagsordenpunkt>
    <Dagsordenpunkt>
      <Nummer>12</Nummer>
      <Overskrift>{TITEL.upper()}</Overskrift>
      <Sagsnummer>29.30.00-A00-3-24</Sagsnummer>
      <Sagsfremstilling>&lt;p&gt;Aftalen er anbefalet af udvalget.&lt;/p&gt;</Sagsfremstilling>
      <Indstilling>Forvaltningen indstiller, at aftalen godkendes.</Indstilling>
      <Beslutning dato="{DATO_ISO}">{beslutning}</Beslutning>
      <Afsnit navn="Fraværende">Ingen</Afsnit>
    </Dagsordenpunkt>
  </Dagsordenpunkter>
</Dagsorden>""".encode()


def firstagenda_json(beslutning: str = "Afvist, da økonomien ikke er afklaret.", titel: str = TITEL) -> dict:
    return {
        "Id": "9b1c4f1e-1111-2222-3333-444455556666",
        "Udvalg": {"Navn": "Byrådet", "Id": "u1"},
        "Moede": {"Dato": f"{DATO_ISO}T16:00:00+01:00", "Navn": "Referat"},
        "Dagsordenpunkter": [
            {"Nummer": 1, "Navn": "Meddelelser",
             "Felter": [{"Navn": "Beslutning", "Html": "<p>Taget til efterretning.</p>"}]},
            {"Nummer": 4, "Navn": f"Godkendelse af {titel}", "Felter": [
                {"Navn": "Sagsfremstilling", "Html": "<p>Sag 21/7419. Aftalen er anbefalet.</p>"},
                {"Navn": "Indstilling", "Html": "<p>Forvaltningen indstiller, at aftalen godkendes.</p>"},
                {"Navn": f"Beslutning i Byrådet den {DATO_DK}", "Html": f"<p>{beslutning}</p>"},
            ]},
        ],
    }


# --- reading the formats ---------------------------------------------------------------------------


def test_an_edoc_export_is_read_into_its_items_and_the_decision_section():
    dagsorden = moedesystem.laes_fil(edoc_med_aftale())
    assert (dagsorden.kilde, dagsorden.udvalg, dagsorden.dato) == ("eDoc", "Byrådet", I_DAG)
    assert [p.nummer for p in dagsorden.punkter] == ["3", "7", "8"]
    punkt = dagsorden.punkter[1]
    assert punkt.titel == f"Godkendelse af {TITEL}"
    assert punkt.sagsnummer == "21/7419"
    # The section under "Beslutning ...", up to the next heading ("Bilag"); Fraværende belongs to it.
    assert punkt.beslutning == "Indstillingen blev godkendt.\n\nFraværende:\n\nIngen"
    assert punkt.beslutning_dato == I_DAG


def test_an_edoc_full_text_as_plain_text_like_seed_004_is_read():
    tekst = ("## Orientering om aftale om sammenhæng og nærhed (sundhedsklynger)\n\n21/7419 Åben Sag\n\n"
             "### Sagsgang\n\nVPU\n\n### Sagsfremstilling\n\nRegeringen har indgået en aftale.\n\n"
             "### **Indstilling**\n\nChefen indstiller, at orienteringen godkendes.\n\n"
             "### **Beslutning i Voksen- og plejeudvalget den 23-06-2021**\n\nGodkendt.\n\nFraværende:\n\n"
             "Steen Therkel Jensen (O)\n\n### **Bilag:**\n\n1 - 3104209 Åben Aftaletekst")
    data = edoc(f"<MeetingAgendaItem><AgendaItemNumber>2</AgendaItemNumber><FullText>{html.escape(tekst)}"
                "</FullText></MeetingAgendaItem>", dato="2021-06-23T15:00:00")
    punkt = moedesystem.laes_fil(data).punkter[0]
    assert punkt.titel == "Orientering om aftale om sammenhæng og nærhed (sundhedsklynger)"
    assert punkt.sagsnummer == "21/7419"
    assert punkt.beslutning.startswith("Godkendt.") and "Steen Therkel Jensen (O)" in punkt.beslutning
    assert "Bilag" not in punkt.beslutning
    assert punkt.beslutning_dato == datetime.date(2021, 6, 23)


def test_an_edoc_full_text_as_inline_xhtml_is_read():
    data = edoc('<MeetingAgendaItem><AgendaItemNumber>1</AgendaItemNumber><Title>Samarbejdsaftale om rygestop'
                '</Title><FullText><div xmlns="http://www.w3.org/1999/xhtml"><p>Tekst.</p><h3>Beslutning</h3>'
                "<p>Afvist.</p></div></FullText></MeetingAgendaItem>")
    punkt = moedesystem.laes_fil(data).punkter[0]
    assert (punkt.titel, punkt.beslutning) == ("Samarbejdsaftale om rygestop", "Afvist.")


def test_an_sbsys_export_is_read_with_its_named_sections():
    dagsorden = moedesystem.laes_fil(sbsys())
    assert (dagsorden.kilde, dagsorden.udvalg, dagsorden.dato) == ("SBSYS", "Kommunalbestyrelsen", I_DAG)
    assert dagsorden.link == f"https://www.kommune-a.dk/referat/{DATO_ISO}"
    punkt = dagsorden.punkter[1]
    assert (punkt.nummer, punkt.sagsnummer, punkt.beslutning) == ("12", "29.30.00-A00-3-24",
                                                                  "Sagen blev udsat til næste møde.")
    assert "Aftalen er anbefalet af udvalget." in punkt.tekst and "<p>" not in punkt.tekst


def test_a_saved_firstagenda_json_file_is_read_too():
    dagsorden = moedesystem.laes_fil(json.dumps(firstagenda_json()).encode())
    assert dagsorden.kilde == "FirstAgenda" and dagsorden.dato == I_DAG
    assert dagsorden.punkter[1].beslutning == "Afvist, da økonomien ikke er afklaret."
    assert dagsorden.punkter[1].sagsnummer == "21/7419"


@pytest.mark.parametrize(("tekst", "beslutning"), [
    ("Godkendt.", Beslutning.GODKENDT),
    ("Indstillingen blev godkendt.", Beslutning.GODKENDT),
    ("Indstillingen tiltrådt.", Beslutning.GODKENDT),
    ("Kommunalbestyrelsen godkender aftalen med de bemærkninger, der fremgår af sagen.", Beslutning.GODKENDT),
    ("Afvist.", Beslutning.AFVIST),
    ("Indstillingen blev ikke godkendt, idet økonomien ikke er belyst.", Beslutning.AFVIST),
    ("Udsat.", Beslutning.UDSAT),
    ("Sagen blev udsat til næste møde, hvor den godkendes.", Beslutning.UDSAT),
    ("Drøftet.", None),
])
def test_the_decision_is_read_from_the_first_word_that_decides(tekst, beslutning):
    assert moedesystem.beslutning_af_tekst(tekst) == beslutning


# --- malformed, hostile and unknown files ----------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<Meeting><Committee>&lol2;</Committee></Meeting>"""
EKSTERN_ENTITET = b"""<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Meeting><Committee>&xxe;</Committee><MeetingAgendaItem><AgendaItemNumber>1</AgendaItemNumber></MeetingAgendaItem></Meeting>"""
KUN_DTD = b"""<?xml version="1.0"?><!DOCTYPE Meeting SYSTEM "http://127.0.0.1:9/edoc.dtd"><Meeting/>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EKSTERN_ENTITET, KUN_DTD], ids=["billion-laughs", "xxe", "dtd"])
def test_hostile_xml_is_refused_in_danish(data):
    with pytest.raises(moedesystem.MoedesystemFejl) as fejl:
        moedesystem.laes_fil(data)
    assert "DTD eller entiteter" in fejl.value.besked


@pytest.mark.parametrize(("data", "besked"), [
    (b"<Meeting><Committee>Byr\xc3\xa5det</Committee>", "ikke gyldig XML"),
    (b"", "Filen er tom."),
    (b"kode;geografi;periode\r\naarhus;2024;1\r\n", "ikke en dagsorden, portalen kan læse"),
    (b"<html><body>Dagsorden</body></html>", "ikke en dagsorden, portalen kan læse"),
    (b'{"Moeder": []}', "ikke en dagsorden, portalen kan læse"),
    (b"{not json", "ligner JSON, men kan ikke læses"),
    (b"%PDF-1.7\n...", "Filen er en PDF"),
    (b'<Meeting><Committee>Byr\xc3\xa5det</Committee></Meeting>', "har ingen punkter"),
])
def test_malformed_and_unknown_files_get_a_clear_danish_message(data, besked):
    with pytest.raises(moedesystem.MoedesystemFejl) as fejl:
        moedesystem.laes_fil(data)
    assert besked in fejl.value.besked


def test_a_file_over_the_size_cap_is_refused(monkeypatch):
    monkeypatch.setattr(moedesystem, "MAKS_STOERRELSE", 100)
    with pytest.raises(moedesystem.MoedesystemFejl, match="for stor"):
        moedesystem.laes_fil(edoc_med_aftale())


# --- finding the item ------------------------------------------------------------------------------


def test_the_item_naming_the_agreement_is_proposed_tolerant_of_case_and_danish_letters():
    titel = "Samarbejdsaftale om børn og unge med psykisk mistrivsel"
    data = edoc(edoc_punkt(1, "Budget"), edoc_punkt(2, "BØRN OG UNGE MED PSYKISK MISTRIVSEL – samarbejdsaftale",
                                                    "Godkendt.", sagsnummer="24/55"))
    fund = moedesystem.find_forslag(moedesystem.laes_fil(data), titel=titel,
                                    slug="samarbejdsaftale-om-boern-og-unge-med-psykisk-mistrivsel")
    assert fund.valgt is not None and fund.valgt.punkt.nummer == "2"
    f = fund.valgt
    assert (f.beslutning, f.dato, f.sagsnummer, f.referat_url) == (Beslutning.GODKENDT, I_DAG, "24/55", "")
    assert f.bemaerkning.startswith("Godkendt.") and "Fraværende" in f.bemaerkning
    assert f.kilde.startswith("eDoc: Byrådet,") and "punkt 2:" in f.kilde


def test_a_bare_decision_word_gives_no_remark():
    data = sbsys("Godkendt.")
    fund = moedesystem.find_forslag(moedesystem.laes_fil(data), titel=TITEL, slug=SLUG)
    assert fund.valgt.beslutning == Beslutning.GODKENDT and fund.valgt.bemaerkning == ""
    assert fund.valgt.referat_url == f"https://www.kommune-a.dk/referat/{DATO_ISO}"


def test_a_known_case_number_finds_an_item_whose_title_does_not_name_the_agreement():
    data = edoc(edoc_punkt(1, "Budget", sagsnummer="24/99"),
                edoc_punkt(2, "Aftale om lindrende behandling", "Godkendt.", sagsnummer="21/7419"))
    fund = moedesystem.find_forslag(moedesystem.laes_fil(data), titel=TITEL, slug=SLUG, sagsnumre=["21/7419"])
    assert fund.valgt.punkt.nummer == "2"


def test_several_equally_good_items_are_offered_for_the_user_to_choose():
    data = edoc(edoc_punkt(1, f"{TITEL}, 1. behandling", "Udsat."), edoc_punkt(2, f"{TITEL}, 2. behandling"))
    fund = moedesystem.find_forslag(moedesystem.laes_fil(data), titel=TITEL, slug=SLUG)
    assert fund.valgt is None
    assert [f.punkt.nummer for f in fund.kandidater] == ["1", "2"]
    assert [f.beslutning for f in fund.kandidater] == [Beslutning.UDSAT, Beslutning.GODKENDT]


def test_no_matching_item_lists_every_item():
    data = edoc(edoc_punkt(1, "Budget"), edoc_punkt(2, "Vejnavne"))
    fund = moedesystem.find_forslag(moedesystem.laes_fil(data), titel=TITEL, slug=SLUG)
    assert fund.valgt is None and fund.kandidater == []
    assert [f.punkt.nummer for f in fund.alle] == ["1", "2"]


# --- FirstAgenda by address ------------------------------------------------------------------------


@pytest.mark.parametrize(("adresse", "api"), [
    ("https://dagsordener.kommune.dk/vis?id=9b1c4f1e-1111-2222-3333-444455556666",
     "https://dagsordener.kommune.dk/api/agenda/dagsorden/9b1c4f1e-1111-2222-3333-444455556666"),
    ("https://dagsordener.kommune.dk/vis/?punktid=x&Id=abc-123#top",
     "https://dagsordener.kommune.dk/api/agenda/dagsorden/abc-123"),
    ("http://127.0.0.1:8123/dagsorden/9b1c4f1e-1111-2222-3333-444455556666",
     "http://127.0.0.1:8123/api/agenda/dagsorden/9b1c4f1e-1111-2222-3333-444455556666"),
    ("  https://x.dk/api/agenda/dagsorden/42 ", "https://x.dk/api/agenda/dagsorden/42"),
])
def test_the_json_address_is_derived_from_the_pasted_address(adresse, api):
    assert moedesystem.firstagenda_api_adresse(adresse) == api


@pytest.mark.parametrize(("adresse", "besked"), [
    ("ftp://dagsordener.kommune.dk/vis?id=1", "skal begynde med https://"),
    ("file:///etc/passwd", "skal begynde med https://"),
    ("javascript:alert(1)", "skal begynde med https://"),
    ("dagsordener.kommune.dk/vis?id=1", "skal begynde med https://"),
    ("https://bruger:kode@dagsordener.kommune.dk/vis?id=1", "værtsnavn"),
    ("https://dagsordener.kommune.dk/", "ikke dagsordenens id"),
    ("https://dagsordener.kommune.dk/vis?id=../../admin", "ikke dagsordenens id"),
])
def test_addresses_without_a_web_scheme_or_an_id_are_refused(adresse, besked):
    with pytest.raises(moedesystem.MoedesystemFejl) as fejl:
        moedesystem.hent_firstagenda(adresse)
    assert besked in fejl.value.besked


class _FirstAgenda(BaseHTTPRequestHandler):
    """FirstAgenda's agenda JSON at /api/agenda/dagsorden/<id>; every request is noted."""

    svar: dict = {}
    stier: list = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.stier.append(self.path)
        if self.path == "/api/agenda/dagsorden/langsom":
            time.sleep(2)
        if self.path == "/api/agenda/dagsorden/videre":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/hemmelig")
            self.end_headers()
            return
        krop = self.svar.get(self.path.rsplit("/", 1)[-1])
        if krop is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.end_headers()
        self.wfile.write(krop)

    def log_message(self, *args):
        pass


@contextmanager
def firstagenda_server(svar: dict[str, bytes]):
    _FirstAgenda.svar, _FirstAgenda.stier = svar, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FirstAgenda)
    server.daemon_threads = True
    traad = threading.Thread(target=server.serve_forever, daemon=True)
    traad.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _FirstAgenda.stier
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def lokale_adresser(monkeypatch):
    """The local test server is on 127.0.0.1, which the portal otherwise refuses."""
    monkeypatch.setattr(moedesystem, "TILLAD_LOKALE_ADRESSER", True)


def test_a_firstagenda_address_fetches_only_its_agenda_json(lokale_adresser):
    guid = "9b1c4f1e-1111-2222-3333-444455556666"
    with firstagenda_server({guid: json.dumps(firstagenda_json()).encode()}) as (vaert, stier):
        adresse = f"{vaert}/vis?id={guid}"
        dagsorden = moedesystem.hent_firstagenda(adresse)
    assert stier == [f"/api/agenda/dagsorden/{guid}"]
    assert dagsorden.link == adresse and dagsorden.udvalg == "Byrådet"
    fund = moedesystem.find_forslag(dagsorden, titel=TITEL, slug=SLUG)
    assert (fund.valgt.beslutning, fund.valgt.dato, fund.valgt.referat_url) == (Beslutning.AFVIST, I_DAG, adresse)


def test_firstagenda_errors_are_said_plainly(lokale_adresser):
    with firstagenda_server({"tom": b"[]", "html": b"<html>Log ind</html>"}) as (vaert, stier):
        for sti, besked in [("ukendt", "findes ikke på 127.0.0.1 (svar 404)"),
                            ("html", "ikke en dagsorden fra FirstAgenda"),
                            ("tom", "ikke en dagsorden fra FirstAgenda"),
                            ("videre", "sendte portalen videre til en anden adresse")]:
            with pytest.raises(moedesystem.MoedesystemFejl) as fejl:
                moedesystem.hent_firstagenda(f"{vaert}/vis?id={sti}")
            assert besked in fejl.value.besked, sti
        with pytest.raises(moedesystem.MoedesystemFejl) as fejl:
            moedesystem.hent_firstagenda(f"{vaert}/vis?id=langsom", timeout=0.3)
        assert "intet svar inden for 0.3 sekunder" in fejl.value.besked
    assert "/hemmelig" not in stier  # the redirect was not followed


def test_an_unreachable_address_is_said_plainly(lokale_adresser):
    with firstagenda_server({}) as (vaert, _):
        pass  # closed again: nothing listens on the port now
    with pytest.raises(moedesystem.MoedesystemFejl) as fejl:
        moedesystem.hent_firstagenda(f"{vaert}/vis?id=abc")
    assert fejl.value.besked.startswith("Portalen kunne ikke nå 127.0.0.1.")


def test_an_address_inside_our_own_network_is_never_fetched():
    with firstagenda_server({"abc": json.dumps(firstagenda_json()).encode()}) as (vaert, stier):
        for adresse in (f"{vaert}/vis?id=abc", f"http://localhost:{vaert.rsplit(':', 1)[1]}/vis?id=abc"):
            with pytest.raises(moedesystem.MoedesystemFejl, match="internt netværk"):
                moedesystem.hent_firstagenda(adresse)
    assert stier == []


# --- the pages ----------------------------------------------------------------------------------------


def url(aftale, part) -> str:
    return reverse("arbejde:beslutning-moedesystem", args=[aftale.slug, part.slug])


def upload(data: bytes, navn: str = "eDocAgendaPublishing.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(navn, data, content_type="application/xml")


@pytest.fixture
def sag(lav_aftale, struktur):
    """An agreement awaiting decisions, whose title the exports name."""
    return lav_aftale(Status.INDSTILLET, titel=TITEL)


def _spor():
    return Godkendelse.objects.count(), Haendelse.objects.filter(handling="beslutning").count()


@pytest.mark.django_db
def test_the_decision_page_offers_to_fetch_from_the_meeting_system(client, sag, personas, struktur):
    client.force_login(personas["kommune_a"])
    html_ = client.get(reverse("arbejde:beslutning-registrer", args=[sag.slug, "kommune-a"])).content.decode()
    assert "Hent fra mødesystem" in html_
    assert f'action="{url(sag, struktur["kommune_a"])}"' in html_
    assert 'name="fil"' in html_ and 'name="adresse"' in html_


@pytest.mark.django_db
def test_a_secretary_uploads_an_edoc_export_sees_the_proposal_and_confirms_it(client, sag, personas, struktur):
    client.force_login(personas["kommune_a"])
    svar = client.post(url(sag, struktur["kommune_a"]), {"handling": "fil", "fil": upload(edoc_med_aftale())})
    assert svar.status_code == 200
    html_ = svar.content.decode()
    assert "Forslag til beslutning for Kommune A" in html_
    assert f"Udfyldt fra {svar.context['valgt'].kilde}" in html_ and "punkt 7:" in svar.context["valgt"].kilde
    assert 'value="godkendt" class="form-radio" id="id_beslutning_0" required checked' in html_
    assert f'value="{I_DAG.strftime("%d.%m.%Y")}"' in html_ and 'value="21/7419"' in html_
    assert "Indstillingen blev godkendt." in html_
    assert _spor() == (0, 0)  # nothing is saved before the secretary confirms

    form = svar.context["form"]
    data = {navn: form[navn].value() or "" for navn in form.fields}
    data.update(handling="gem", beslutning="godkendt", dato=form["dato"].value())
    gemt = client.post(url(sag, struktur["kommune_a"]), data)
    assert gemt.status_code == 302 and gemt.url == reverse("arbejde:godkendelser", args=[sag.slug])
    g = Godkendelse.objects.get()
    assert (g.part, g.beslutning, g.dato, g.sagsnummer, g.registreret_af) == (
        struktur["kommune_a"], Beslutning.GODKENDT, I_DAG, "21/7419", personas["kommune_a"])
    assert g.bemaerkning.startswith("Indstillingen blev godkendt.")
    haendelse = Haendelse.objects.get(handling="beslutning")
    assert haendelse.data["kilde"] == "moedesystem" and haendelse.data["part"] == "kommune-a"
    assert "registreret fra mødesystemet: godkendt" in client.get(gemt.url).content.decode()


@pytest.mark.django_db
def test_a_firstagenda_address_fills_the_minutes_link(client, sag, personas, struktur, lokale_adresser):
    client.force_login(personas["kommune_a"])
    with firstagenda_server({"abc-1": json.dumps(firstagenda_json()).encode()}) as (vaert, _):
        adresse = f"{vaert}/vis?id=abc-1"
        svar = client.post(url(sag, struktur["kommune_a"]), {"handling": "adresse", "adresse": adresse})
    html_ = svar.content.decode()
    assert 'value="afvist" class="form-radio" id="id_beslutning_1" required checked' in html_
    assert f'value="{adresse}"' in html_  # referat_url
    assert _spor() == (0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "besked"), [
    (BILLION_LAUGHS, "DTD eller entiteter"),
    (EKSTERN_ENTITET, "DTD eller entiteter"),
    (b"<Meeting><Committee>", "ikke gyldig XML"),
    (b"kode;geografi\r\n", "ikke en dagsorden, portalen kan læse"),
])
def test_a_bad_file_is_refused_on_the_page_and_nothing_is_saved(client, sag, personas, struktur, data, besked):
    client.force_login(personas["kommune_a"])
    svar = client.post(url(sag, struktur["kommune_a"]), {"handling": "fil", "fil": upload(data)})
    assert svar.status_code == 200
    html_ = svar.content.decode()
    assert besked in html_ and "Dagsordenen kunne ikke hentes" in html_
    assert 'aria-invalid="true"' in html_ and 'href="#moedesystem-fil"' in html_
    assert _spor() == (0, 0)


@pytest.mark.django_db
def test_no_file_chosen_names_the_field(client, sag, personas, struktur):
    client.force_login(personas["kommune_a"])
    html_ = client.post(url(sag, struktur["kommune_a"]), {"handling": "fil"}).content.decode()
    assert "Fil fra mødesystemet: Vælg filen med dagsordenen" in html_


@pytest.mark.django_db
@pytest.mark.parametrize(("adresse", "besked"), [
    ("ftp://dagsordener.kommune.dk/vis?id=1", "Adressen skal begynde med https://"),
    ("http://127.0.0.1:9/vis?id=abc", "Portalen kunne ikke nå 127.0.0.1."),
])
def test_a_bad_address_is_refused_plainly_and_the_typed_address_is_kept(client, sag, personas, struktur,
                                                                        lokale_adresser, adresse, besked):
    client.force_login(personas["kommune_a"])
    svar = client.post(url(sag, struktur["kommune_a"]), {"handling": "adresse", "adresse": adresse})
    html_ = svar.content.decode()
    assert besked in html_
    assert f'value="{html.escape(adresse)}"' in html_
    assert _spor() == (0, 0)


@pytest.mark.django_db
def test_choosing_among_several_items_fills_the_form_from_the_chosen_one(client, sag, personas, struktur):
    client.force_login(personas["kommune_a"])
    data = edoc(edoc_punkt(1, f"{TITEL}, 1. behandling", "Udsat.", sagsnummer="24/11"),
                edoc_punkt(2, f"{TITEL}, 2. behandling", "Godkendt.", sagsnummer="24/12"))
    svar = client.post(url(sag, struktur["kommune_a"]), {"handling": "fil", "fil": upload(data)})
    html_ = svar.content.decode()
    assert "2 punkter på dagsordenen kan handle om aftalen" in html_
    assert "Brug punkt 1" in html_ and "Brug punkt 2" in html_
    assert "checked" not in html_.split('id="form-titel"')[1]  # no decision chosen for the user
    valgt = next(f for f in svar.context["fund"].kandidater if f.punkt.nummer == "2")
    svar = client.post(url(sag, struktur["kommune_a"]), {
        "handling": "vaelg", "beslutning": valgt.beslutning, "dato": I_DAG.strftime("%d.%m.%Y"),
        "sagsnummer": valgt.sagsnummer, "referat_url": "", "bemaerkning": valgt.bemaerkning, "kilde": valgt.kilde,
        "uddrag": valgt.punkt.beslutning})
    html_ = svar.content.decode()
    assert 'value="godkendt" class="form-radio" id="id_beslutning_0" required checked' in html_
    assert 'value="24/12"' in html_ and "punkt 2:" in html_
    assert _spor() == (0, 0)


@pytest.mark.django_db
def test_no_matching_item_lets_the_user_pick_any_item(client, sag, personas, struktur):
    client.force_login(personas["kommune_a"])
    data = edoc(edoc_punkt(1, "Budget"), edoc_punkt(2, "Vejnavne"))
    html_ = client.post(url(sag, struktur["kommune_a"]), {"handling": "fil", "fil": upload(data)}).content.decode()
    assert "Intet punkt på dagsordenen nævner aftalen" in html_ and "Brug punkt 2" in html_


@pytest.mark.django_db
def test_a_refused_confirmation_keeps_everything_typed_and_saves_nothing(client, sag, personas, struktur):
    client.force_login(personas["kommune_a"])
    i_morgen = (I_DAG + datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    svar = client.post(url(sag, struktur["kommune_a"]), {
        "handling": "gem", "beslutning": "afvist", "dato": i_morgen, "sagsnummer": "24/77",
        "referat_url": "https://www.kommune-a.dk/referat", "bemaerkning": "Økonomien mangler",
        "kilde": "eDoc: Byrådet, punkt 7: Aftalen", "uddrag": "Afvist."})
    assert svar.status_code == 200
    html_ = svar.content.decode()
    assert svar.context["form"].errors["dato"] == ["Beslutningsdatoen kan ikke ligge i fremtiden."]
    assert f'value="{i_morgen}"' in html_ and 'value="24/77"' in html_ and "Økonomien mangler" in html_
    assert 'value="afvist" class="form-radio" id="id_beslutning_1" required checked' in html_
    assert "Udfyldt fra eDoc: Byrådet, punkt 7: Aftalen" in html_
    assert _spor() == (0, 0)


@pytest.mark.django_db
def test_after_a_final_decision_the_page_leads_to_the_recorded_decision(client, sag, personas, struktur):
    services.godkendelse_registrer(aftale=_frisk(sag), part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.GODKENDT, dato=I_DAG)
    client.force_login(personas["kommune_a"])
    svar = client.get(url(sag, struktur["kommune_a"]))
    assert svar.status_code == 302 and svar.url == reverse("arbejde:beslutning-registrer",
                                                           args=[sag.slug, "kommune-a"])


# --- who may: outsiders and other councils get 404, and nothing changes ---------------------------


def _forsoeg(client, adresse: str) -> list[int]:
    return [
        client.get(adresse).status_code,
        client.post(adresse, {"handling": "fil", "fil": upload(edoc_med_aftale())}).status_code,
        client.post(adresse, {"handling": "vaelg", "beslutning": "godkendt"}).status_code,
        client.post(adresse, {"handling": "gem", "beslutning": "godkendt",
                              "dato": I_DAG.strftime("%d.%m.%Y")}).status_code,
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "part", "forventet"), [
    ("kommune_a", "kommune_a", [200, 200, 200, 302]),
    ("kommune_b", "kommune_a", [404] * 4),  # another council
    ("region", "kommune_a", [404] * 4),
    ("sekretariat", "kommune_a", [404] * 4),
    ("styregruppe", "kommune_a", [404] * 4),
    ("klynge", "kommune_a", [404] * 4),
    ("temagruppe", "kommune_a", [404] * 4),
    ("udenforstaaende", "kommune_a", [404] * 4),
])
def test_only_the_councils_own_secretariat_has_the_page(client, sag, personas, struktur, persona, part, forventet):
    client.force_login(personas[persona])
    foer = _spor()
    assert _forsoeg(client, url(sag, struktur[part])) == forventet
    if persona != "kommune_a":
        assert _spor() == foer
    else:
        assert Godkendelse.objects.get().part == struktur["kommune_a"]


@pytest.mark.django_db
def test_a_party_that_need_not_decide_gets_404(client, lav_aftale, personas, struktur):
    """A local agreement of Klynge Et is decided by its municipalities and the region, not Kommune C."""
    from tests.aftaler.conftest import raadssekretaer

    lokal = lav_aftale(Status.INDSTILLET, titel=TITEL, omfang="lokal", klynge=struktur["klynge"])
    client.force_login(raadssekretaer(struktur["kommune_c"], "kommune-c"))
    assert _forsoeg(client, url(lokal, struktur["kommune_c"])) == [404] * 4
    assert _spor() == (0, 0)


@pytest.mark.django_db
def test_the_page_needs_a_login(client, sag, struktur):
    svar = client.get(url(sag, struktur["kommune_a"]))
    assert svar.status_code == 302 and svar.url.startswith(reverse("login"))
    svar = client.post(url(sag, struktur["kommune_a"]), {"handling": "fil", "fil": upload(edoc_med_aftale())})
    assert svar.status_code == 302 and _spor() == (0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.UDKAST, Status.HOERING, Status.GODKENDT, Status.I_KRAFT])
def test_the_page_is_404_unless_the_agreement_awaits_decisions(client, lav_aftale, personas, struktur, status):
    aftale = lav_aftale(status, titel=TITEL)
    foer = _spor()
    client.force_login(personas["kommune_a"])
    assert _forsoeg(client, url(aftale, struktur["kommune_a"])) == [404] * 4
    assert _spor() == foer


@pytest.mark.django_db
def test_an_unknown_step_is_404(client, sag, personas, struktur):
    client.force_login(personas["kommune_a"])
    assert client.post(url(sag, struktur["kommune_a"]), {"handling": "slet"}).status_code == 404


# --- constant query counts -------------------------------------------------------------------------


def _antal_forespoergsler(client, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        svar = client.post(*args, **kwargs) if kwargs.get("data") else client.get(*args)
    assert svar.status_code == 200
    return len(ctx)


@pytest.mark.django_db
def test_the_proposal_runs_the_same_queries_for_a_small_and_a_large_agenda(client, sag, personas, struktur):
    client.force_login(personas["kommune_a"])
    adresse = url(sag, struktur["kommune_a"])
    lille = edoc(edoc_punkt(1, f"Godkendelse af {TITEL}"))
    stor = edoc(*(edoc_punkt(n, f"Punkt {n} om {TITEL if n % 10 == 0 else 'andet'}") for n in range(1, 61)))
    client.get(adresse)  # sessions, permission caches
    a = _antal_forespoergsler(client, adresse, data={"handling": "fil", "fil": upload(lille)})
    b = _antal_forespoergsler(client, adresse, data={"handling": "fil", "fil": upload(stor)})
    assert a == b


@pytest.mark.django_db
def test_the_page_runs_the_same_queries_with_more_earlier_decisions(client, sag, personas, struktur):
    client.force_login(personas["kommune_a"])
    adresse = url(sag, struktur["kommune_a"])
    client.get(adresse)
    foer = _antal_forespoergsler(client, adresse)
    for n in range(3):
        services.godkendelse_registrer(aftale=_frisk(sag), part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                       beslutning=Beslutning.UDSAT, dato=I_DAG, sagsnummer=f"24/{n}")
    assert _antal_forespoergsler(client, adresse) == foer
