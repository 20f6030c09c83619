"""A council's agenda read from its own meeting system, to propose its decision on an agreement.

Pure reading: nothing here writes to the database. The page (aftaler.views.moedesystem) shows the
proposal; the council's secretary confirms or corrects it, and the ordinary decision service
(aftaler.services.godkendelse_registrer) saves it.

Three sources, each read into one `Dagsorden` (committee, meeting date, items):

eDoc, the publishing export ``eDocAgendaPublishing.xml``::

    <Meeting>                                     (the root, or anywhere below it)
      <Committee>Byrådet</Committee>
      <MeetingDate>2026-11-20T16:00:00</MeetingDate>
      <MinutesUrl>https://...</MinutesUrl>         (optional; also Url, Link)
      <MeetingAgendaItem>                         (directly or in a wrapper such as MeetingAgendaItems)
        <AgendaItemNumber>5</AgendaItemNumber>
        <Title>...</Title>                        (optional; else the first line of FullText)
        <CaseNumber>21/7419</CaseNumber>          (optional; else the first case number in FullText)
        <FullText>HTML (escaped, CDATA or inline XHTML) or text</FullText>
      </MeetingAgendaItem>

  FullText holds the item as in seed 004: headings such as "Sagsfremstilling", "Indstilling" and
  "Beslutning i Byrådet den 20-11-2026", each followed by its text. The last "Beslutning" section
  is the decision (the council decides after its committees).

SBSYS, a dagsorden export; the shape read here (Danish or ASCII spellings, Møde or Moede)::

    <Dagsorden>
      <Møde>
        <Udvalg>Byrådet</Udvalg>
        <Mødedato>2026-11-20</Mødedato>
        <Referat>https://...</Referat>            (optional: the minutes' address)
        <Dagsordenpunkter>                        (here or directly under Dagsorden)
          <Dagsordenpunkt>
            <Nummer>5</Nummer>
            <Overskrift>...</Overskrift>
            <Sagsnummer>21/7419</Sagsnummer>
            <Sagsfremstilling>...</Sagsfremstilling>     every other child is a named text section,
            <Indstilling>...</Indstilling>               text or (escaped) HTML
            <Beslutning dato="2026-11-20">Godkendt.</Beslutning>
            <Afsnit navn="Fraværende">...</Afsnit>       (a section may also be named by an attribute)

FirstAgenda: the public agenda page (``https://dagsordener.kommune.dk/vis?id=<id>``) is backed by
JSON at ``<host>/api/agenda/dagsorden/<id>``: ``Udvalg.Navn``, ``Moede.Dato``, and
``Dagsordenpunkter[]`` with ``Navn`` (the title), ``Nummer``, and ``Felter[]`` with ``Navn`` and
``Html``. Only that one address is fetched, once, with a short timeout and a size cap, no redirects
elsewhere, and never to an address inside our own network (`hent_firstagenda`). A saved JSON file
of the same shape may also be uploaded.

XML is parsed only with defusedxml, which refuses DTDs, entity declarations and external references
(billion laughs, XXE); every refusal is a `MoedesystemFejl` with a Danish message.
"""

from __future__ import annotations

import datetime
import html
import ipaddress
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as sikker_xml

from aftaler.choices import Beslutning
from sundhed import dansk
from sundhed.text import dansk_slug

MAKS_STOERRELSE = 10 * 1024 * 1024  # an agenda with its full texts; attachments are never in it
MAKS_MB = MAKS_STOERRELSE // (1024 * 1024)
TIMEOUT = 5  # seconds for the FirstAgenda address
MAKS_BEMAERKNING = 2000
# Tests serve FirstAgenda JSON from 127.0.0.1; in the portal an address inside our own network is refused.
TILLAD_LOKALE_ADRESSER = False


class MoedesystemFejl(Exception):
    """The export or address could not be read; `besked` says why, in Danish, for the user."""

    def __init__(self, besked: str):
        super().__init__(besked)
        self.besked = besked


@dataclass(frozen=True)
class Punkt:
    """One agenda item as read: its decision section as plain text (empty when there is none)."""

    nummer: str
    titel: str
    tekst: str
    beslutning: str = ""
    beslutning_dato: datetime.date | None = None
    sagsnummer: str = ""


@dataclass(frozen=True)
class Dagsorden:
    kilde: str  # "eDoc", "SBSYS", "FirstAgenda"
    udvalg: str
    dato: datetime.date | None
    punkter: list[Punkt]
    link: str = ""  # the minutes' (or the agenda's) public address, when known


@dataclass(frozen=True)
class Forslag:
    """What one item proposes for the decision form."""

    punkt: Punkt
    beslutning: str | None  # a Beslutning value, None when the text does not say
    dato: datetime.date | None
    sagsnummer: str
    referat_url: str
    bemaerkning: str
    kilde: str  # "eDoc: Byrådet, 20. november 2026, punkt 5: <title>"
    point: int = 0


@dataclass
class Fund:
    """The items about the agreement: `valgt` when one stands out, else the user chooses."""

    dagsorden: Dagsorden
    valgt: Forslag | None = None
    kandidater: list[Forslag] = field(default_factory=list)  # matching items, best first
    alle: list[Forslag] = field(default_factory=list)  # every item, when none matched


# --- text helpers ----------------------------------------------------------------------------------

_BLOKKE = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
           "article", "blockquote", "pre", "hr", "dd", "dt", "dl", "header", "footer"}


class _TekstUdtraek(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.dele: list[str] = []
        self._skjult = 0

    def handle_starttag(self, tag, attrs):
        tag = tag.rsplit(":", 1)[-1]
        if tag in ("script", "style"):
            self._skjult += 1
        elif tag in _BLOKKE:
            self.dele.append("\n")

    def handle_endtag(self, tag):
        tag = tag.rsplit(":", 1)[-1]
        if tag in ("script", "style"):
            self._skjult = max(0, self._skjult - 1)
        elif tag in _BLOKKE:
            self.dele.append("\n")

    def handle_data(self, data):
        if not self._skjult:
            self.dele.append(data)


def html_til_tekst(vaerdi: str) -> str:
    """HTML (or plain text) as plain lines: one line per block, no empty runs."""
    if re.search(r"<[A-Za-z/!]", vaerdi):
        p = _TekstUdtraek()
        p.feed(vaerdi)
        p.close()
        vaerdi = "".join(p.dele)
    else:
        vaerdi = html.unescape(vaerdi)
    linjer = [" ".join(linje.split()) for linje in vaerdi.replace("\r", "\n").split("\n")]
    tekst = "\n".join(linjer)
    return re.sub(r"\n{3,}", "\n\n", tekst).strip()


def fold(tekst: str) -> str:
    """Lower case, æ/ø/å as ae/oe/aa, punctuation as spaces, padded: ' samarbejdsaftale om ... '."""
    return f" {dansk_slug(tekst or '').replace('-', ' ')} "


_MAANEDER = {m: i for i, m in enumerate(
    ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november",
     "december"], start=1)}
_ISO_DATO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})")
_DK_DATO = re.compile(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4})\b")
_ORD_DATO = re.compile(r"\b(\d{1,2})\.?\s+(" + "|".join(_MAANEDER) + r")\s+(\d{4})\b", re.IGNORECASE)


def laes_dato(tekst: str | None) -> datetime.date | None:
    """The first date in `tekst`: 2026-11-20(T16:00), 20-11-2026, 20.11.2026, 20. november 2026."""
    if not tekst:
        return None
    fund = []
    if m := _ISO_DATO.search(tekst):
        fund.append((m.start(), int(m[1]), int(m[2]), int(m[3])))
    if m := _DK_DATO.search(tekst):
        fund.append((m.start(), int(m[3]), int(m[2]), int(m[1])))
    if m := _ORD_DATO.search(tekst):
        fund.append((m.start(), int(m[3]), _MAANEDER[m[2].lower()], int(m[1])))
    for _, aar, maaned, dag in sorted(fund):
        try:
            return datetime.date(aar, maaned, dag)
        except ValueError:
            continue
    return None


_SAGSNUMMER = re.compile(r"\b(\d{2}/\d{2,7}|\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d+-\d{2})\b")


def _foerste_sagsnummer(tekst: str) -> str:
    m = _SAGSNUMMER.search(tekst)
    return m.group(1) if m else ""


# Headings that end the decision section (seed 004 keeps "Fraværende" inside it).
_AFSNIT_NAVNE = ("sagsgang", "sagsfremstilling", "indstilling", "resume", "baggrund", "bilag", "oekonomi",
                 "sammenhaeng", "hoering", "lovgrundlag", "tidligere beslutning", "beslutning", "sagsnummer",
                 "kommunikation", "videre proces", "tidsplan", "beslutningskompetence")
_BESLUTNING_OVERSKRIFT = re.compile(r"^beslutning\b", re.IGNORECASE)


def _overskrift(linje: str) -> str:
    """A line as a possible heading: without Markdown marks, bold stars and a closing colon."""
    return linje.strip().strip("#*_ ").strip()


def _er_afsnit(linje: str) -> bool:
    o = _overskrift(linje)
    if not o or len(o) > 120:
        return False
    f = fold(o).strip()
    return any(f == navn or f.startswith(navn + " ") for navn in _AFSNIT_NAVNE)


def beslutningsafsnit(tekst: str) -> tuple[str, datetime.date | None]:
    """The text of the last "Beslutning ..." section in an item's text, and the date its heading names
    ("Beslutning i Voksen- og plejeudvalget den 23-06-2021")."""
    linjer = tekst.split("\n")
    start = None
    for i, linje in enumerate(linjer):
        o = _overskrift(linje)
        if len(o) <= 150 and _BESLUTNING_OVERSKRIFT.match(o):
            start = i
    if start is None:
        return "", None
    overskrift = _overskrift(linjer[start])
    indhold = []
    # "Beslutning: Godkendt." on one line
    hoved, kolon, rest = overskrift.partition(":")
    if kolon and rest.strip():
        indhold.append(rest.strip())
    for linje in linjer[start + 1:]:
        if _er_afsnit(linje):
            break
        indhold.append(linje)
    return html_til_tekst("\n".join(indhold)), laes_dato(hoved)


_BESLUTNINGSORD = [
    (Beslutning.AFVIST, r"ikke (?:godkendt|godkendes|godkende|tiltraadt|tiltraedes|vedtaget|vedtages|anbefalet|fulgt)"),
    (Beslutning.AFVIST, r"afvist|afvises|afviste|afviser|forkastet|forkastes"),
    (Beslutning.UDSAT, r"udsat|udsaettes|udsatte|udsaetter|ikke faerdigbehandlet"),
    (Beslutning.GODKENDT, r"godkendt|godkendes|godkendte|godkender|tiltraadt|tiltraedes|tiltraadte|vedtaget|vedtages"
                          r"|indstillingen (?:blev )?fulgt|indstillingen foelges|anbefalingen (?:blev )?fulgt"),
]
_RANG = {Beslutning.AFVIST: 0, Beslutning.UDSAT: 1, Beslutning.GODKENDT: 2}


def beslutning_af_tekst(tekst: str) -> str | None:
    """godkendt, afvist or udsat from a decision's text: the first of these words it uses
    ("Godkendt.", "Indstillingen blev godkendt", "Sagen blev udsat", "Indstillingen blev ikke godkendt")."""
    f = fold(tekst)
    fund = []
    for beslutning, moenster in _BESLUTNINGSORD:
        if m := re.search(rf" (?:{moenster}) ", f):
            fund.append((m.start(), _RANG[beslutning], beslutning))
    return min(fund)[2] if fund else None


# --- reading files ---------------------------------------------------------------------------------


def _navn(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _barn(el, *navne: str):
    for barn in el:
        if _navn(barn) in navne:
            return barn
    return None


def _tekst(el) -> str:
    """An element's content as plain text: its text, escaped or CDATA HTML, or inline XHTML."""
    if el is None:
        return ""
    dele = [el.text or ""]
    dele += [ET.tostring(barn, encoding="unicode") for barn in el]
    return html_til_tekst("".join(dele))


def _adresse(vaerdi: str) -> str:
    """An http(s) address as given, or '' (a minutes link must be a web address)."""
    vaerdi = (vaerdi or "").strip()
    return vaerdi if urllib.parse.urlsplit(vaerdi).scheme in ("http", "https") and len(vaerdi) <= 200 else ""


def _xml(data: bytes):
    try:
        return sikker_xml(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MoedesystemFejl(
            "Filen indeholder en DTD eller entiteter (fx henvisninger til andre filer). Den slags læser portalen "
            "ikke af sikkerhedshensyn; eksportér dagsordenen igen fra mødesystemet uden dem.") from exc
    except ET.ParseError as exc:
        linje = exc.position[0] if getattr(exc, "position", None) else None
        hvor = f" (linje {linje})" if linje else ""
        raise MoedesystemFejl(f"Filen er ikke gyldig XML{hvor}. Eksportér dagsordenen igen fra mødesystemet.") from exc


def _edoc(moede) -> Dagsorden:
    udvalg = _tekst(_barn(moede, "Committee", "CommitteeName"))
    dato = laes_dato(_tekst(_barn(moede, "MeetingDate", "Date")))
    link = next((_adresse(_tekst(b)) for b in moede if _navn(b) in ("MinutesUrl", "Url", "Link", "PublishingUrl")
                 and _adresse(_tekst(b))), "")
    punkter = []
    for el in moede.iter():
        if _navn(el) != "MeetingAgendaItem":
            continue
        tekst = _tekst(_barn(el, "FullText", "Text"))
        titel = _tekst(_barn(el, "Title", "AgendaItemTitle", "Name", "Caption")) or next(
            (linje for linje in tekst.split("\n") if linje.strip()), "")
        beslutning, beslutning_dato = beslutningsafsnit(tekst)
        sagsnummer = _tekst(_barn(el, "CaseNumber", "CaseNo", "Sagsnummer")) or _foerste_sagsnummer(tekst)
        punkter.append(Punkt(nummer=_tekst(_barn(el, "AgendaItemNumber", "Number")), titel=titel.lstrip("#* "),
                             tekst=tekst, beslutning=beslutning, beslutning_dato=beslutning_dato,
                             sagsnummer=sagsnummer))
    return Dagsorden(kilde="eDoc", udvalg=udvalg, dato=dato, punkter=punkter, link=link)


_SBSYS_FASTE = {"Nummer", "Overskrift", "Titel", "Sagsnummer", "Aaben", "Åben", "Id", "Bilag"}


def _sbsys(rod) -> Dagsorden:
    moede = _barn(rod, "Møde", "Moede")
    hoved = moede if moede is not None else rod
    udvalg = _tekst(_barn(hoved, "Udvalg"))
    dato = laes_dato(_tekst(_barn(hoved, "Mødedato", "Moededato", "Dato")))
    link = next((_adresse(_tekst(b)) for b in hoved if _navn(b) in ("Referat", "ReferatUrl", "Link", "Url")
                 and _adresse(_tekst(b))), "")
    punkter = []
    for el in rod.iter():
        if _navn(el) != "Dagsordenpunkt":
            continue
        afsnit: list[tuple[str, str, str]] = []  # (name, text, the date attribute)
        for barn in el:
            navn = barn.get("navn") or barn.get("Navn") or _tekst(_barn(barn, "Navn")) or _navn(barn)
            if navn in _SBSYS_FASTE:
                continue
            indhold = _tekst(_barn(barn, "Tekst")) if _barn(barn, "Tekst") is not None else _tekst(barn)
            afsnit.append((navn, indhold, barn.get("dato") or barn.get("Dato") or ""))
        tekst = "\n\n".join(f"{navn}\n{indhold}" for navn, indhold, _ in afsnit)
        beslutninger = [a for a in afsnit if _BESLUTNING_OVERSKRIFT.match(a[0])]
        beslutning, beslutning_dato = ("", None)
        if beslutninger:
            navn, indhold, dato_attr = beslutninger[-1]
            beslutning, beslutning_dato = indhold, laes_dato(dato_attr) or laes_dato(navn)
        titel = _tekst(_barn(el, "Overskrift", "Titel"))
        sagsnummer = _tekst(_barn(el, "Sagsnummer")) or _foerste_sagsnummer(tekst)
        punkter.append(Punkt(nummer=_tekst(_barn(el, "Nummer")), titel=titel, tekst=f"{titel}\n{tekst}",
                             beslutning=beslutning, beslutning_dato=beslutning_dato, sagsnummer=sagsnummer))
    return Dagsorden(kilde="SBSYS", udvalg=udvalg, dato=dato, punkter=punkter, link=link)


def firstagenda_fra_json(data, *, link: str = "") -> Dagsorden:
    """FirstAgenda's agenda JSON (already decoded) as a Dagsorden."""
    if not isinstance(data, dict) or not isinstance(data.get("Dagsordenpunkter"), list):
        raise MoedesystemFejl("Svaret er ikke en dagsorden fra FirstAgenda (feltet Dagsordenpunkter mangler).")
    udvalg = data.get("Udvalg")
    moede = data.get("Moede") if isinstance(data.get("Moede"), dict) else {}
    udvalg_navn = udvalg.get("Navn", "") if isinstance(udvalg, dict) else str(udvalg or "")
    dato = None
    for vaerdi in (moede.get("Dato"), moede.get("MeetingBeginUtc"), data.get("Dato"), data.get("MoedeDato")):
        if isinstance(vaerdi, str) and (dato := laes_dato(vaerdi)):
            break
    punkter = []
    for nr, p in enumerate(data["Dagsordenpunkter"], start=1):
        if not isinstance(p, dict):
            continue
        titel = html_til_tekst(str(p.get("Navn") or p.get("Caption") or ""))
        felter = [f for f in p.get("Felter") or [] if isinstance(f, dict)]
        afsnit = [(html_til_tekst(str(f.get("Navn") or "")), html_til_tekst(str(f.get("Html") or ""))) for f in felter]
        tekst = "\n\n".join(f"{navn}\n{indhold}" if navn else indhold for navn, indhold in afsnit)
        navngivne = [a for a in afsnit if _BESLUTNING_OVERSKRIFT.match(a[0])]
        if navngivne:
            beslutning, beslutning_dato = navngivne[-1][1], laes_dato(navngivne[-1][0])
        else:  # one field with the whole item, headings inside
            beslutning, beslutning_dato = beslutningsafsnit(tekst)
        nummer = p.get("Nummer") or p.get("Punktnummer") or p.get("Number") or nr
        sagsnummer = str(p.get("Sagsnummer") or p.get("SagsNummer") or "") or _foerste_sagsnummer(tekst)
        punkter.append(Punkt(nummer=str(nummer), titel=titel, tekst=f"{titel}\n{tekst}", beslutning=beslutning,
                             beslutning_dato=beslutning_dato, sagsnummer=sagsnummer))
    return Dagsorden(kilde="FirstAgenda", udvalg=html_til_tekst(udvalg_navn), dato=dato, punkter=punkter,
                     link=link)


UKENDT_FORMAT = ("Filen er ikke en dagsorden, portalen kan læse. Brug eDocs eksport (eDocAgendaPublishing.xml), "
                 "SBSYS' dagsorden som XML eller FirstAgendas dagsorden som JSON.")


def laes_fil(data: bytes) -> Dagsorden:
    """An uploaded export: eDoc or SBSYS XML, or FirstAgenda JSON; anything else is refused."""
    if len(data) > MAKS_STOERRELSE:
        raise MoedesystemFejl(f"Filen er for stor. Den må højst fylde {MAKS_MB} MB.")
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5]
    if not start:
        raise MoedesystemFejl("Filen er tom.")
    if start.startswith(b"%PDF"):
        raise MoedesystemFejl("Filen er en PDF. Portalen læser dagsordenens eksport som XML (eDoc, SBSYS) "
                              "eller JSON (FirstAgenda), ikke PDF.")
    if start.startswith((b"{", b"[")):
        try:
            indhold = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise MoedesystemFejl("Filen ligner JSON, men kan ikke læses. Gem dagsordenen fra FirstAgenda "
                                  "igen.") from exc
        if not isinstance(indhold, dict) or "Dagsordenpunkter" not in indhold:
            raise MoedesystemFejl(UKENDT_FORMAT)
        dagsorden = firstagenda_fra_json(indhold)
    elif start.startswith(b"<"):
        rod = _xml(data)
        if _navn(rod) == "Dagsorden" or any(_navn(el) == "Dagsordenpunkt" for el in rod.iter()):
            dagsorden = _sbsys(rod)
        else:
            moede = next((el for el in rod.iter() if _navn(el) == "Meeting"), None)
            if moede is None:
                raise MoedesystemFejl(UKENDT_FORMAT)
            dagsorden = _edoc(moede)
    else:
        raise MoedesystemFejl(UKENDT_FORMAT)
    if not dagsorden.punkter:
        raise MoedesystemFejl(f"Dagsordenen fra {dagsorden.kilde} har ingen punkter.")
    return dagsorden


# --- FirstAgenda by address ------------------------------------------------------------------------

_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def firstagenda_api_adresse(adresse: str) -> str:
    """The agenda's JSON address from the address the user pasted (…/vis?id=<id>, …/dagsorden/<id>)."""
    adresse = (adresse or "").strip()
    if not adresse:
        raise MoedesystemFejl("Indsæt adressen på dagsordenen i FirstAgenda.")
    dele = urllib.parse.urlsplit(adresse)
    if dele.scheme.lower() not in ("http", "https"):
        raise MoedesystemFejl("Adressen skal begynde med https:// (eller http://), fx "
                              "https://dagsordener.kommune.dk/vis?id=...")
    if not dele.hostname or dele.username or dele.password:
        raise MoedesystemFejl("Adressen mangler et værtsnavn, fx https://dagsordener.kommune.dk/vis?id=...")
    parametre = {k.lower(): v for k, v in urllib.parse.parse_qsl(dele.query)}
    segmenter = [s for s in dele.path.split("/") if s]
    id_ = parametre.get("id") or next((s for s in reversed(segmenter) if _GUID.match(s)), "")
    if not id_ and len(segmenter) >= 2 and [s.lower() for s in segmenter[-2:-1]] == ["dagsorden"]:
        id_ = segmenter[-1]
    if not _ID.match(id_ or ""):
        raise MoedesystemFejl("Adressen indeholder ikke dagsordenens id. Kopiér adressen fra dagsordenen i "
                              "FirstAgenda, fx https://dagsordener.kommune.dk/vis?id=...")
    vaert = dele.hostname if ":" not in dele.hostname else f"[{dele.hostname}]"
    port = f":{dele.port}" if dele.port else ""
    return f"{dele.scheme.lower()}://{vaert}{port}/api/agenda/dagsorden/{id_}"


def _kontroller_vaert(vaert: str, port: int) -> None:
    """Refuse a host that resolves to an address inside our network (loopback, private, link-local)."""
    try:
        adresser = {info[4][0] for info in socket.getaddrinfo(vaert, port, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError) as exc:
        raise MoedesystemFejl(f"Portalen kunne ikke nå {vaert}: navnet findes ikke. Tjek adressen.") from exc
    if TILLAD_LOKALE_ADRESSER:
        return
    for a in adresser:
        ip = ipaddress.ip_address(a.split("%", 1)[0])
        if not ip.is_global:
            raise MoedesystemFejl(f"Portalen henter ikke fra {vaert}, fordi adressen peger ind i et internt "
                                  "netværk. Indsæt den offentlige adresse på dagsordenen.")


class _KunSammeAdresse(urllib.request.HTTPRedirectHandler):
    """A redirect is followed only to the same host and path (http -> https); nothing else is fetched."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        gammel, ny = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (ny.hostname, ny.path) != (gammel.hostname, gammel.path) or ny.scheme not in ("http", "https"):
            raise MoedesystemFejl(f"{gammel.hostname} sendte portalen videre til en anden adresse. Indsæt "
                                  "dagsordenens egen adresse fra FirstAgenda.")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def hent_firstagenda(adresse: str, *, timeout: float = TIMEOUT) -> Dagsorden:
    """Fetch and read the FirstAgenda agenda at the address the user pasted (only its JSON address)."""
    api = firstagenda_api_adresse(adresse)
    dele = urllib.parse.urlsplit(api)
    vaert = dele.hostname
    _kontroller_vaert(vaert, dele.port or (443 if dele.scheme == "https" else 80))
    aabner = urllib.request.build_opener(_KunSammeAdresse)
    forespoergsel = urllib.request.Request(api, headers={"Accept": "application/json",
                                                         "User-Agent": "Sundhedssamarbejdet (dagsorden)"})
    try:
        with aabner.open(forespoergsel, timeout=timeout) as svar:
            data = svar.read(MAKS_STOERRELSE + 1)
    except MoedesystemFejl:
        raise
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise MoedesystemFejl(f"Dagsordenen findes ikke på {vaert} (svar 404). Tjek adressen.") from exc
        raise MoedesystemFejl(f"Portalen kunne ikke hente dagsordenen: {vaert} svarede med fejl {exc.code}. "
                              "Prøv igen senere, eller upload dagsordenen som fil.") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        # A timeout while connecting comes wrapped in URLError, one while reading as it is.
        if isinstance(exc, TimeoutError) or isinstance(getattr(exc, "reason", None), TimeoutError):
            raise MoedesystemFejl(f"Portalen kunne ikke nå {vaert}: der kom intet svar inden for {timeout:g} "
                                  "sekunder. Prøv igen senere, eller upload dagsordenen som fil.") from exc
        raise MoedesystemFejl(f"Portalen kunne ikke nå {vaert}. Tjek adressen, eller upload dagsordenen som "
                              "fil.") from exc
    if len(data) > MAKS_STOERRELSE:
        raise MoedesystemFejl(f"Svaret fra {vaert} er for stort (over {MAKS_MB} MB).")
    try:
        indhold = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MoedesystemFejl(f"Svaret fra {vaert} er ikke en dagsorden fra FirstAgenda.") from exc
    dagsorden = firstagenda_fra_json(indhold, link=_adresse(adresse))
    if not dagsorden.punkter:
        raise MoedesystemFejl("Dagsordenen fra FirstAgenda har ingen punkter.")
    return dagsorden


# --- finding the item and proposing the decision ---------------------------------------------------

_GENERISKE_PRAEFIKSER = (" samarbejdsaftalen om ", " samarbejdsaftale om ", " lokal aftale om ", " aftalen om ",
                         " aftale om ")


def _noegler(titel: str, slug: str) -> tuple[set[str], set[str]]:
    """(whole names, distinctive cores) of the agreement, folded: 'samarbejdsaftale om palliativ indsats',
    'palliativ indsats'. A core needs two words or ten letters, so a single common word does not match."""
    hele = {f for f in (fold(titel), fold(slug.replace("-", " "))) if f.strip()}
    kerner = set()
    for f in hele:
        for praefiks in _GENERISKE_PRAEFIKSER:
            if f.startswith(praefiks):
                kerne = " " + f[len(praefiks):]
                if len(kerne.split()) >= 2 or len(kerne.strip()) >= 10:
                    kerner.add(kerne)
    return hele, kerner


def _point(punkt: Punkt, hele: set[str], kerner: set[str], sagsnumre: set[str]) -> int:
    titel, tekst = fold(punkt.titel), fold(punkt.tekst)
    point = 0
    if sagsnumre and (fold(punkt.sagsnummer) in sagsnumre or any(s in tekst for s in sagsnumre)):
        point += 4
    if any(h in titel for h in hele):
        point += 3
    elif any(k in titel for k in kerner):
        point += 2
    elif any(n in tekst for n in hele | kerner):
        point += 1
    return point


def forslag(dagsorden: Dagsorden, punkt: Punkt, point: int = 0) -> Forslag:
    """The decision form as this item fills it."""
    tekst = punkt.beslutning.strip()
    beslutning = beslutning_af_tekst(tekst) if tekst else None
    # A bare "Godkendt." says no more than the choice itself.
    bemaerkning = "" if beslutning and fold(tekst).strip() == beslutning else tekst[:MAKS_BEMAERKNING]
    dato = punkt.beslutning_dato or dagsorden.dato
    hvad = [dagsorden.kilde + ":", dagsorden.udvalg + "," if dagsorden.udvalg else ""]
    if dagsorden.dato:
        hvad.append(dansk.dato(dagsorden.dato) + ",")
    hvad.append(f"punkt {punkt.nummer}:" if punkt.nummer else "punktet")
    hvad.append(punkt.titel)
    return Forslag(punkt=punkt, beslutning=beslutning, dato=dato, sagsnummer=punkt.sagsnummer[:60],
                   referat_url=dagsorden.link, bemaerkning=bemaerkning,
                   kilde=" ".join(h for h in hvad if h)[:300], point=point)


def find_forslag(dagsorden: Dagsorden, *, titel: str, slug: str, sagsnumre: list[str] | tuple = ()) -> Fund:
    """The item about the agreement, matched on its title, slug or a known case number (tolerant of
    case, punctuation and æ/ø/å). One item that scores above every other is proposed; otherwise the
    user chooses among the matching items, or, when none matches, among them all."""
    hele, kerner = _noegler(titel, slug)
    numre = {fold(s) for s in sagsnumre if s and s.strip()}
    scorede = [(_point(p, hele, kerner, numre), i, p) for i, p in enumerate(dagsorden.punkter)]
    matchende = sorted((s for s in scorede if s[0] > 0), key=lambda s: (-s[0], s[1]))
    fund = Fund(dagsorden=dagsorden, kandidater=[forslag(dagsorden, p, point) for point, _, p in matchende])
    if not matchende:
        fund.alle = [forslag(dagsorden, p) for _, _, p in scorede]
    elif len(matchende) == 1 or matchende[0][0] > matchende[1][0]:
        fund.valgt = fund.kandidater[0]
    return fund
