"""Reflow (WCAG 2.1, 1.4.10): every page fits a 320 CSS px wide viewport without page-level horizontal
scrolling, for the public and for each persona with staff pages.

Wide tables may scroll, but only inside their own container, and such a container must be reachable by
keyboard (tabindex="0") and named (aria-label or aria-labelledby), so a screen reader user knows what the
scrolling region holds.

The pages are found on the demo data, not typed in: each persona starts from a few entry pages (and one
agreement in every state, read from the API) and follows the links it is shown, a few pages per URL
pattern. A last test checks that every URL pattern that renders a page was visited, or is listed in
IKKE_DAEKKET with the reason.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections import Counter, deque
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.e2e.conftest import demo_totp_kode, log_ind

BREDDE = 320  # CSS px: 1280 px at 400 % zoom, the width WCAG 1.4.10 names
HOEJDE = 640

# URL patterns that answer something other than an HTML page (or only to a POST): never visited.
IKKE_SIDER = {
    "healthz": "JSON til driften",
    "logout": "kun POST (knappen Log ud)",
    "aftaler-csv": "CSV-download",
    "aftaler-json": "JSON-download",
    "aftale-pdf": "PDF",
    "aftale-bilag": "download af et bilag",
    "aftale-sammenlign-valg": "viderestiller kun til sammenligningen",
    "feed-aftaler": "Atom-feed",
    "feed-klynge": "Atom-feed",
    "sitemap": "XML",
    "rapport-pdf": "PDF",
    "rapport-udsendt": "PDF",
    "indikator-csv": "CSV-download",
    "import-godkend": "kun POST",
    "import-annuller": "kun POST",
    "import-tilbagerul": "kun POST",
    "arbejde:bilag-hent": "download af et bilag",
    "arbejde:punkt-sag": "kun POST (formularen står på punktets side, som besøges; siden med en afvisning"
                          " måles ved 320 px i tests/e2e/test_moede_indstilling.py)",
    "feed-moeder": "Atom-feed",
    "moede-ical": "iCal-kalender",
    "forum-moeder-ical": "iCal-kalender",
    "moede-bilag": "download af et bilag til et dagsordenpunkt",
    "arbejde:moede-handling": "kun POST (knapperne under Forløb)",
    "arbejde:punkt-flyt": "kun POST (knapperne Flyt op og Flyt ned)",
    "arbejde:punkt-slet": "kun POST",
    "arbejde:punktbilag-slet": "kun POST",
    "arbejde:kalender-ics": "iCal-kalender (den personlige adresse med hemmelig nøgle)",
    "arbejde:abonnement": "kun POST (knapperne Følg og Følg ikke længere)",
    "arbejde:kommentar-behandl": "kun POST (knappen Markér som behandlet under Kommentarer)",
    "arbejde:revision-csv": "CSV-download (revisionssporet)",
    "arbejde:sikkerhed-fjern": "kun POST (knappen Slå totrinsbekræftelse fra)",
    "oidc_authentication_init": "viderestiller kun til organisationens identitetsudbyder (404 uden SSO)",
    "oidc_authentication_callback": "modtager kun svaret fra identitetsudbyderen (404 uden SSO)",
}
# Whole URL trees outside the portal's own templates.
IKKE_PORTALENS = {
    "admin/": "Djangos administration har sit eget (responsive) layout uden for portalens design",
    "api/": "API'et svarer med JSON; /api/docs/ er Swagger UI fra drf-spectacular, ikke portalens skabeloner",
}
# Page patterns this test cannot reach, with the reason. Keep empty when possible: the last test
# fails when an entry here is visited after all (so the list stays true).
IKKE_DAEKKET = {
    "fejlside 404": "serveren kører med DEBUG=1 og svarer med Djangos tekniske 404-side i stedet for 404.html"
                    " (som er base.html med en overskrift, et afsnit og en liste ligesom 403.html)",
    "fejlside 500": "samme grund som 404; 500.html er bygget som 403.html",
    "login-totp-opret": "kun for en bruger, der skal have totrinsbekræftelse og ikke har den, og det har ingen"
                        " demobruger; samme skabelon som arbejde:sikkerhed-totp (besøgt her), og"
                        " tests/e2e/test_totp.py måler siden selv ved 320 px",
    "sso-ukendt": "findes kun med single sign-on slået til, som denne server ikke har;"
                  " tests/e2e/test_sso.py måler siden ved 320 px mod en rigtig OpenID Connect-udbyder",
}
FEJLSIDER = {"fejlside 403", "fejlside 404", "fejlside 500"}

OFFENTLIGE_STARTSIDER = [
    "/",
    "/aftaler/",
    "/aftaler/?q=%C3%A6ldre",  # search hits with highlighted words
    "/organisation/",
    "/organisation/?dato=2027-01-01",  # the 2027 structure: the five sundhedsråd
    "/klynger/",
    "/indikatorer/",
    "/indikatorer/?geografi=ringkoebing-skjern",  # the longest municipality name
    "/indikatorer/rapport/",
    "/tilgaengelighed/",
    "/log-ind/",
]

# Persona -> entry pages. The theme group, cluster and council personas reach their pages from
# "Mine opgaver" and the agreement list, as they would themselves.
PERSONAER = {
    "sekretariat": ["/arbejde/", "/arbejde/aftaler/", "/arbejde/implementering/", "/arbejde/proevehandlinger/",
                    "/arbejde/rettigheder/", "/indikatorer/import/", "/indikatorer/import/koersler/",
                    "/arbejde/moeder/", "/arbejde/tokens/", "/arbejde/notifikationer/",
                    "/arbejde/notifikationer/uden-adresse/", "/arbejde/sikkerhed/", "/arbejde/sikkerhed/totp/",
                    "/arbejde/sikkerhed/gendannelseskoder/"],
    "kommune-aarhus": ["/arbejde/", "/arbejde/aftaler/", "/arbejde/rettigheder/"],  # the last: the 403 page
    # Skive has not decided the demo's agreement awaiting decisions: its decision page and the page that
    # fetches the decision from the council's meeting system (linked from it).
    "kommune-skive": ["/arbejde/"],
    "klynge-horsens": ["/arbejde/", "/arbejde/aftaler/", "/arbejde/proevehandlinger/", "/klynger/horsensklyngen/"],
    "temagruppe-forebyggelse": ["/arbejde/", "/arbejde/aftaler/"],
    # The cluster's workspace with the form for local goals, and (through its links) a goal's edit page.
    "politisk-horsens": ["/klynger/horsensklyngen/arbejde/"],
    # The audit trail, for administrators only; filtered, so the table has rows of several kinds.
    "admin": ["/arbejde/revision/", "/arbejde/revision/?slags=logget_ind"],
}

# How many pages of one URL pattern a persona visits through links (entry pages always count).
PR_MOENSTER_ARBEJDE = 3
PR_MOENSTER_OFFENTLIG = 3
PR_MOENSTER_OFFENTLIG_SOM_MEDARBEJDER = 1  # the same pages, with the header of a logged-in user


# --- the measurement, in the page ---------------------------------------------------------------------

MAAL = """() => {
  const doc = document.documentElement;
  const vw = doc.clientWidth;
  const beskriv = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    for (const c of el.classList) s += '.' + c;
    return s;
  };
  const sti = el => {
    const dele = [];
    for (let e = el; e && e !== document.body && dele.length < 4; e = e.parentElement) dele.unshift(beskriv(e));
    return dele.join(' > ');
  };
  const synlig = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  // An element inside a box that scrolls or clips horizontally (or is fixed) does not widen the page.
  // An absolutely positioned one escapes every box up to its containing block (as an "sr-only" caption
  // inside a scrolling table does, when nothing in between is positioned).
  const indesluttet = el => {
    let position = getComputedStyle(el).position;
    for (let e = el.parentElement; e && e !== document.body && e !== doc; e = e.parentElement) {
      if (position === 'fixed') return true;
      const s = getComputedStyle(e);
      const blok = s.position !== 'static' || s.transform !== 'none';
      if (position !== 'absolute' || blok) {
        if (s.overflowX !== 'visible') return true;
        position = s.position;
      }
    }
    return position === 'fixed';
  };
  const forMeget = el => synlig(el) && el.getBoundingClientRect().right > vw && !indesluttet(el);
  const alle = [...document.body.querySelectorAll('*')];
  const for_brede = alle.filter(forMeget);
  const saet = new Set(for_brede);
  // The outermost ones are the causes; their children only follow them out.
  const yderste = for_brede.filter(el => !saet.has(el.parentElement));
  const syndere = (yderste.length ? yderste : for_brede)
    .map(el => ({sti: sti(el), hoejre: Math.round(el.getBoundingClientRect().right),
                 bredde: Math.round(el.getBoundingClientRect().width),
                 tekst: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60)}))
    .sort((a, b) => b.hoejre - a.hoejre).slice(0, 5);

  const navn = el => {
    const label = (el.getAttribute('aria-label') || '').trim();
    if (label) return label;
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    return ids.map(id => (document.getElementById(id)?.textContent || '').trim()).join(' ').trim();
  };
  const rullefelter = alle.filter(el => synlig(el) && !el.matches('textarea, select, input')
    && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
    .map(el => ({sti: sti(el), tabindex: el.tabIndex, harTabindex: el.getAttribute('tabindex'), navn: navn(el)}));
  return {scrollWidth: doc.scrollWidth, clientWidth: vw, syndere, rullefelter};
}"""


@dataclass
class Besoeg:
    sti: str
    moenster: str
    status: int
    maaling: dict

    @property
    def for_bred(self) -> bool:
        return self.maaling["scrollWidth"] > self.maaling["clientWidth"]

    def fejl(self) -> list[str]:
        fejl = []
        m = self.maaling
        if self.for_bred:
            syndere = "\n".join(f"      {s['hoejre']} px (bredde {s['bredde']}): {s['sti']}  »{s['tekst']}«"
                                for s in m["syndere"]) or "      (ingen enkelt synder fundet)"
            fejl.append(f"  {self.sti}: siden er {m['scrollWidth']} px bred i en visning på {m['clientWidth']} px;"
                        f" bredest:\n{syndere}")
        for r in m["rullefelter"]:
            if r["tabindex"] != 0 or r["harTabindex"] != "0":
                fejl.append(f"  {self.sti}: rullefeltet {r['sti']} kan ikke nås med tastaturet"
                            ' (mangler tabindex="0")')
            if not r["navn"]:
                fejl.append(f"  {self.sti}: rullefeltet {r['sti']} har intet tilgængeligt navn"
                            " (aria-label eller aria-labelledby)")
        return fejl


@dataclass
class Gennemgang:
    persona: str | None
    besoeg: list[Besoeg] = field(default_factory=list)
    ikke_fundet: list[str] = field(default_factory=list)  # links that answered 404 to this persona

    def fejlbesked(self) -> str:
        fejl = [f for b in self.besoeg for f in b.fejl()]
        if not fejl:
            return ""
        hvem = f"som {self.persona}" if self.persona else "som offentligheden"
        return (f"{len(fejl)} reflow-fejl ved {BREDDE} px {hvem} ({len(self.besoeg)} sider besøgt):\n"
                + "\n".join(fejl))


# --- which URL pattern a path is -------------------------------------------------------------------


def _ud_af_portalen(route: str) -> bool:
    return route.startswith(tuple(IKKE_PORTALENS))


def moenster(sti: str, status: int = 200) -> str | None:
    """The URL pattern's name ("arbejde:aftale"), "fejlside 403" for that error page, None for no page."""
    if status == 403:
        return "fejlside 403"
    try:
        match = resolve(urllib.parse.urlsplit(sti).path)
    except Resolver404:
        return None
    if _ud_af_portalen(match.route) or match.view_name in IKKE_SIDER:
        return None
    return match.view_name


def alle_sidemoenstre() -> set[str]:
    """Every named URL pattern of the portal that renders an HTML page."""
    navne: set[str] = set()

    def gaa(moenstre, praefiks: str, navnerum: str) -> None:
        for m in moenstre:
            route = praefiks + str(m.pattern)
            if _ud_af_portalen(route):
                continue
            if isinstance(m, URLResolver):
                gaa(m.url_patterns, route, f"{navnerum}{m.namespace}:" if m.namespace else navnerum)
            elif isinstance(m, URLPattern) and m.name:
                navne.add(navnerum + m.name)

    gaa(get_resolver().url_patterns, "", "")
    return navne - set(IKKE_SIDER)


# --- visiting and following links ------------------------------------------------------------------


def _json(url: str, token: str | None = None):
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"} if token else {})
    with urllib.request.urlopen(request) as svar:
        return json.load(svar)


def _token(server_url: str, brugernavn: str) -> str:
    # The secretariat gives its TOTP code too (sundhed.mfa).
    data = json.dumps({"username": brugernavn, "password": "demo", "kode": demo_totp_kode(brugernavn)}).encode()
    request = urllib.request.Request(f"{server_url}/api/v1/auth/token/", data=data,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as svar:
        return json.load(svar)["token"]


def _en_pr(raekker: list[dict], *noegler: str) -> list[dict]:
    """The first row of each distinct value of `noegler`."""
    set_: dict[tuple, dict] = {}
    for r in raekker:
        set_.setdefault(tuple(r[n] for n in noegler), r)
    return list(set_.values())


def offentlige_startsider(server_url: str) -> list[str]:
    api = f"{server_url}/api/v1"
    aftaler = _json(f"{api}/aftaler/?limit=1000")["results"]  # the public ones only
    klynger = _json(f"{api}/klynger/?limit=1000")["results"]
    fora = _json(f"{api}/fora/?limit=1000")["results"]
    indikatorer = _json(f"{api}/indikatorer/?limit=1000")["results"]
    return [
        *OFFENTLIGE_STARTSIDER,
        *(f"/aftaler/{a['slug']}/" for a in _en_pr(aftaler, "status", "omfang")),
        *(f"/aftaler/{a['slug']}/" for a in aftaler if a.get("revision")),  # in force, a revision drafted
        *(f"/klynger/{k['slug']}/" for k in klynger),
        *(f"/organisation/fora/{f['slug']}/" for f in _en_pr(fora, "type")),
        *(f"/indikatorer/{i['kode']}/" for i in _en_pr(indikatorer, "frekvens")),
        *(f"/indikatorer/{i['kode']}/?kommune=ringkoebing-skjern" for i in indikatorer[:1]),
    ]


def sekretariatets_aftaler(server_url: str) -> list[str]:
    aftaler = _json(f"{server_url}/api/v1/aftaler/?limit=1000", _token(server_url, "sekretariat"))["results"]
    return [f"/arbejde/aftaler/{a['slug']}/" for a in _en_pr(aftaler, "status", "omfang")]


def maal(page, sti: str, status: int) -> Besoeg:
    return Besoeg(sti=sti, moenster=moenster(page.url, status) or "?", status=status, maaling=page.evaluate(MAAL))


def gennemgaa(page, server_url: str, persona: str | None, startsider: list[str],
              gennemgang: Gennemgang | None = None) -> Gennemgang:
    """Visit the entry pages, then follow links breadth first, a few pages per URL pattern."""
    gennemgang = gennemgang or Gennemgang(persona)
    set_ = {b.sti for b in gennemgang.besoeg}
    antal: Counter[str] = Counter(b.moenster for b in gennemgang.besoeg)
    koe = deque((sti, True) for sti in startsider)

    def graense(navn: str) -> int:
        if navn.startswith("arbejde:") or navn.startswith("import"):
            return PR_MOENSTER_ARBEJDE
        return PR_MOENSTER_OFFENTLIG if persona is None else PR_MOENSTER_OFFENTLIG_SOM_MEDARBEJDER

    while koe:
        sti, er_start = koe.popleft()
        navn = moenster(sti)
        if sti in set_ or navn is None or (not er_start and antal[navn] >= graense(navn)):
            continue
        set_.add(sti)
        svar = page.goto(sti)
        if svar.status == 404:
            # Under DEBUG (as here) that is Django's technical 404 page, not the portal's 404.html.
            gennemgang.ikke_fundet.append(sti)
            continue
        besoeg = maal(page, sti, svar.status)
        antal[besoeg.moenster] += 1
        gennemgang.besoeg.append(besoeg)
        if besoeg.status != 200:
            continue
        for href in page.eval_on_selector_all("main a[href], header a[href]", "as => as.map(a => a.href)"):
            dele = urllib.parse.urlsplit(href)
            if f"{dele.scheme}://{dele.netloc}" != server_url:
                continue
            koe.append((dele.path, False))  # a query only filters or pages the same template
    return gennemgang


def importens_sider(page, server_url: str, tmp_path, gennemgang: Gennemgang) -> None:
    """The import form with a refused file (its error summary) and the preview of a good one, which is
    then cancelled, so nothing is saved."""
    fejlfil = tmp_path / "fejl i række 3.csv"
    fejlfil.write_bytes("kode;geografi;periode;værdi\r\nakutte-indlaeggelser-aeldre;aarhus;2024H1;81,2\r\n"
                        "akutte-indlaeggelser-aeldre;atlantis;2024H1;80\r\n".encode())
    page.goto("/indikatorer/import/")
    page.get_by_label("Fil med indikatordata").set_input_files(str(fejlfil))
    page.get_by_role("button", name="Se filens indhold").click()
    page.wait_for_selector('[data-module="error-summary"]')
    gennemgang.besoeg.append(maal(page, "/indikatorer/import/ (afvist fil)", 400))

    fil = tmp_path / "akutte indlæggelser 1. halvår 2024 for regionen og Ringkøbing-Skjern.csv"
    fil.write_bytes("kode;geografi;periode;værdi\r\n"
                    "akutte-indlaeggelser-aeldre;region-midtjylland;2024H1;58,3\r\n"
                    "akutte-indlaeggelser-aeldre;Ringkøbing-Skjern Kommune;2024H1;61,2\r\n".encode())
    page.goto("/indikatorer/import/")
    page.get_by_label("Fil med indikatordata").set_input_files(str(fil))
    page.get_by_role("button", name="Se filens indhold").click()
    page.wait_for_url("**/indikatorer/import/*/")
    preview = urllib.parse.urlsplit(page.url).path
    gennemgang.besoeg.append(maal(page, preview, 200))
    page.get_by_role("button", name="Annuller").click()
    page.wait_for_url("**/indikatorer/import/")
    batch = preview.rstrip("/").rsplit("/", 1)[1]
    gennemgaa(page, server_url, "sekretariat", [f"/indikatorer/import/koersler/{batch}/"], gennemgang)


def kodesiden(page, brugernavn: str) -> Besoeg:
    """The sign-in's second step (/log-ind/kode/): the password given, the code not yet."""
    page.goto("/log-ind/")
    page.get_by_label("Brugernavn").fill(brugernavn)
    page.get_by_label("Adgangskode").fill("demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/log-ind/kode/")
    return maal(page, "/log-ind/kode/", 200)


# --- the tests ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gennemgange(browser, server_url, tmp_path_factory):
    """persona -> Gennemgang, each crawled once (on first use) and shared by the tests below."""
    cache: dict[str | None, Gennemgang] = {}

    def hent(persona: str | None) -> Gennemgang:
        if persona not in cache:
            context = browser.new_context(base_url=server_url, locale="da-DK",
                                          viewport={"width": BREDDE, "height": HOEJDE})
            page = context.new_page()
            try:
                if persona is None:
                    cache[persona] = gennemgaa(page, server_url, None, offentlige_startsider(server_url))
                else:
                    g = Gennemgang(persona)
                    if persona == "sekretariat":
                        g.besoeg.append(kodesiden(page, persona))
                    log_ind(page, persona)
                    page.wait_for_url("**/arbejde/")
                    startsider = PERSONAER[persona]
                    if persona == "sekretariat":
                        startsider = [*startsider, *sekretariatets_aftaler(server_url)]
                    g = gennemgaa(page, server_url, persona, startsider, g)
                    if persona == "sekretariat":
                        importens_sider(page, server_url, tmp_path_factory.mktemp("import"), g)
                    cache[persona] = g
            finally:
                context.close()
        return cache[persona]

    return hent


def test_public_pages_fit_a_320_px_wide_screen(gennemgange):
    gennemgang = gennemgange(None)
    assert not gennemgang.fejlbesked(), gennemgang.fejlbesked()


@pytest.mark.parametrize("persona", list(PERSONAER))
def test_staff_pages_fit_a_320_px_wide_screen(gennemgange, persona):
    gennemgang = gennemgange(persona)
    assert not gennemgang.fejlbesked(), gennemgang.fejlbesked()


def test_every_page_pattern_is_checked_at_320_px_or_listed_with_a_reason(gennemgange):
    besoegt = {b.moenster for persona in [None, *PERSONAER] for b in gennemgange(persona).besoeg}
    mangler = sorted((alle_sidemoenstre() | FEJLSIDER) - besoegt - set(IKKE_DAEKKET))
    assert not mangler, ("URL-mønstre, der viser en side, men ikke blev besøgt ved 320 px (tilføj en startside, "
                         f"eller skriv mønsteret i IKKE_DAEKKET med grunden): {mangler}")
    foraeldet = sorted(set(IKKE_DAEKKET) & besoegt)
    assert not foraeldet, f"Besøgt alligevel, slet dem fra IKKE_DAEKKET: {foraeldet}"
