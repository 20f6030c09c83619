"""Who reads which version, attachment and draft: every persona x every kind of agreement x every URL
that shows an agreement or a part of it, in the staff pages, the public site and the API.

The world holds what the first matrices missed: published agreements with a revision draft (regional
and local), a revision in consultation with an abandoned draft before it, and a local agreement in its
first consultation. Every draft's text, title, summary, change note, attachment and forum note carries
a canary word. The expectation comes from the capability table (TILDELINGER) and DESIGN.md's rules
written out here, never from the policy functions the views use:

- draft readers read everything: the secretariat and internal readers, the owning group, and for a
  local agreement its cluster's members;
- during a consultation, those asked (a regional agreement asks every authority and every cluster, a
  local one its cluster, the cluster's municipalities and the region) also read the frozen version in
  consultation and the attachments;
- everyone else reads what the public reads: the published version and its attachments.

Two tests per persona: the status of every version and attachment URL (HTML and API), and a walk over
every URL pattern of the portal (staff, public, API) that asserts no canary outside the persona's
audience appears in any answer.
"""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from aftaler import services
from aftaler.choices import Omfang, Status, Udfald
from aftaler.models import Samarbejdsaftale
from aftaler.workflow import OVERGANGE, Handling
from organisation.choices import ForumType, Rolle
from tests import conftest as faelles
from tests.aftaler import conftest as aftale_conftest
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, godkend_alle
from tests.aftaler.test_api_matrix import kapabiliteter
from tests.factories import ForumFactory

PDF = b"%PDF-1.4\n%%EOF\n"

# persona -> (key of the forum in the world, role); None = no membership.
MEDLEMSKAB = {
    "sekretariat": ("sekretariat", Rolle.MEDLEM),
    "temagruppe": ("temagruppe", Rolle.MEDLEM),
    "styregruppe": ("styregruppe", Rolle.MEDLEM),
    "klynge": ("klynge_adm", Rolle.MEDLEM),
    "politisk": ("klynge_pol", Rolle.MEDLEM),
    "klynge_to": ("klynge_to_adm", Rolle.MEDLEM),
    "kommune_a": ("kb_a", Rolle.SEKRETAER),
    "kommune_b": ("kb_b", Rolle.SEKRETAER),
    "kommune_c": ("kb_c", Rolle.SEKRETAER),
    "region": ("rr", Rolle.SEKRETAER),
    "udenforstaaende": None,
    "anonym": None,
}
PERSONAER = list(MEDLEMSKAB)

UDKAST, HOERING, OFFENTLIG = "udkast", "hoering", "offentlig"  # who may read a thing


def _pdf(kanarie: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{kanarie.lower()}.pdf", PDF + kanarie.encode(), content_type="application/pdf")


@pytest.fixture(scope="module")
def laeseverden(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module inside a transaction that is rolled back at the end."""
    medier = tmp_path_factory.mktemp("medier")
    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=medier,
    ):
        ydre = transaction.atomic()
        ydre.__enter__()
        try:
            yield _byg_verden()
        finally:
            transaction.set_rollback(True)
            ydre.__exit__(None, None, None)


def _byg_verden() -> dict:
    struktur = faelles.struktur.__wrapped__(None)
    f = struktur["fora"]
    f["klynge_pol"] = ForumFactory(navn="Klynge Et, politisk", slug="klynge-et-pol", type=ForumType.KLYNGE_POLITISK,
                                   klynge=struktur["klynge"])
    f["klynge_to_adm"] = ForumFactory(navn="Klynge To, administrativt", slug="klynge-to-adm",
                                      type=ForumType.KLYNGE_ADMINISTRATIV, klynge=struktur["anden_klynge"])
    f["kb_c"] = ForumFactory(navn="Kommunalbestyrelsen C", slug="kb-c", type=ForumType.KOMMUNALBESTYRELSE,
                             part=struktur["kommune_c"])
    personas = faelles.personas.__wrapped__(struktur)
    personas["politisk"] = faelles.medlem("politisk", f["klynge_pol"])
    personas["klynge_to"] = faelles.medlem("klynge-to", f["klynge_to_adm"])
    personas["kommune_c"] = faelles.medlem("kommune-c", f["kb_c"], Rolle.SEKRETAER)
    udvalg = aftale_conftest.udvalg.__wrapped__(struktur)
    sek = personas["sekretariat"]

    kanarier: dict[str, dict[str, str]] = {}  # agreement key -> canary -> who may read it
    versioner: dict[str, dict[int, str]] = {}  # agreement key -> version number -> who may read it
    bilag: dict[str, dict[int, str]] = {}  # agreement key -> attachment pk -> who may read it

    def frisk(aftale):
        return Samarbejdsaftale.objects.select_related("aktuel_version").get(pk=aftale.pk)

    def i_kraft(noegle: str, **felter):
        """An agreement in force (version 1) with a public attachment."""
        aftale = services.aftale_opret(bruger=sek, titel=f"Læsematrix {noegle}", tekst="<p>Offentlig tekst.</p>",
                                       resume="Offentligt resumé.", **felter)
        b = services.bilag_tilfoej(aftale=aftale, bruger=sek, fil=_pdf("offentligt-bilag"))
        services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                                 beslutningsfrist=OM_EN_MAANED)
        godkend_alle(frisk(aftale))
        services.aftale_overgang(aftale=frisk(aftale), bruger=sek, handling=Handling.OFFENTLIGGOER,
                                 ikrafttraedelse=I_DAG)
        services.aftale_overgang(aftale=frisk(aftale), bruger=sek, handling=Handling.REVIDER)
        versioner[noegle] = {1: OFFENTLIG}
        bilag[noegle] = {b.pk: OFFENTLIG}
        kanarier[noegle] = {}
        return frisk(aftale)

    def revider(noegle: str, aftale, bogstav: str, *, hvem: str = UDKAST):
        """A revision draft with a canary in every part of it."""
        k = {navn: f"KANARIE{bogstav}{navn.upper()}" for navn in ("titel", "resume", "tekst", "note", "bilag",
                                                                   "behandling")}
        services.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision,
                            felter={"titel": k["titel"], "resume": k["resume"]},
                            tekst=f"<p>{k['tekst']}</p>", aendringsnote=k["note"])
        b = services.bilag_tilfoej(aftale=frisk(aftale), bruger=sek, fil=_pdf(k["bilag"]))
        services.behandling_registrer(aftale=frisk(aftale), bruger=sek, forum=f["styregruppe"], dato=I_DAG,
                                      udfald=Udfald.DROEFTET, note=k["behandling"])
        aftale = frisk(aftale)
        versioner[noegle][aftale.aktuel_version.nummer] = hvem
        bilag[noegle][b.pk] = hvem
        kanarier[noegle].update({v.lower(): hvem for v in k.values()})
        return aftale

    # A: a regional agreement in force, owned by the theme group, with a revision draft.
    a = revider("a", i_kraft("a", ejer_forum=f["temagruppe"]), "A")

    # B: a regional revision in consultation; an abandoned draft (version 2) came before it.
    b = revider("b", i_kraft("b"), "B")
    services.version_opret(aftale=b, bruger=sek, tekst="<p>KANARIEBHOERING</p>", aendringsnote="Til høring",
                           grundlag=b.aktuel_version.nummer)
    services.aftale_overgang(aftale=frisk(b), bruger=sek, handling=Handling.SEND_I_HOERING,
                             hoeringsfrist=OM_EN_MAANED)
    b = frisk(b)
    versioner["b"][b.aktuel_version.nummer] = HOERING
    kanarier["b"]["kanariebhoering"] = HOERING
    # Attachments are the agreement's, not a version's: those still attached go to consultation with it.
    bilag["b"] = {pk: HOERING if hvem == UDKAST else hvem for pk, hvem in bilag["b"].items()}
    kanarier["b"]["kanariebbilag"] = HOERING
    # The version in consultation carries the draft's title and summary on; those asked also read how
    # the fora dealt with the drafts before it. The abandoned draft's own text and note stay hidden.
    kanarier["b"].update(kanariebtitel=HOERING, kanariebresume=HOERING, kanariebbehandling=HOERING)

    # C: a local agreement of cluster Et in force, with a revision draft.
    c = revider("c", i_kraft("c", omfang=Omfang.LOKAL, klynge=struktur["klynge"]), "C")

    # D: a local agreement of cluster Et in its first consultation, never published.
    d = services.aftale_opret(bruger=sek, titel="Læsematrix d", tekst="<p>KANARIEDTEKST</p>",
                              omfang=Omfang.LOKAL, klynge=struktur["klynge"])
    d = services.aftale_gem(aftale=d, bruger=sek, revision=d.revision, felter={"titel": "KANARIEDTITEL"})
    bd = services.bilag_tilfoej(aftale=d, bruger=sek, fil=_pdf("KANARIEDBILAG"))
    services.aftale_overgang(aftale=frisk(d), bruger=sek, handling=Handling.SEND_I_HOERING,
                             hoeringsfrist=OM_EN_MAANED)
    d = frisk(d)
    versioner["d"] = {1: HOERING}
    bilag["d"] = {bd.pk: HOERING}
    kanarier["d"] = {"kanariedtitel": HOERING, "kanariedtekst": HOERING, "kanariedbilag": HOERING}

    return {"struktur": struktur, "personas": personas, "aftaler": {"a": a, "b": b, "c": c, "d": d},
            "kanarier": kanarier, "versioner": versioner, "bilag": bilag}


# --- the expectation, from the capability table -----------------------------------------------------


def laeser(persona: str, aftale, hvem: str, struktur) -> bool:
    """May `persona` read a thing of `aftale` that `hvem` (UDKAST, HOERING, OFFENTLIG) may read?"""
    kap = kapabiliteter(persona, struktur, MEDLEMSKAB)
    lokal = aftale.omfang == Omfang.LOKAL
    udkastlaeser = (
        ("laese_internt", None) in kap or ("redigere_alle_aftaler", None) in kap
        or (aftale.ejer_forum_id is not None and ("redigere_gruppens_aftaler", aftale.ejer_forum) in kap)
        or (lokal and ("laese_klynge_internt", aftale.klynge) in kap)
    )
    if lokal:
        spurgte_parter = {*aftale.klynge.kommuner.all(), struktur["region"]}
        hoeringslaeser = (("besvare_hoering_klynge", aftale.klynge) in kap
                          or any(("besvare_hoering_part", p) in kap for p in spurgte_parter))
    else:
        hoeringslaeser = any(k in ("besvare_hoering_part", "besvare_hoering_klynge") for k, _ in kap)
    hoeringslaeser = hoeringslaeser and aftale.status == Status.HOERING
    if hvem == UDKAST:
        return udkastlaeser
    if hvem == HOERING:
        return udkastlaeser or hoeringslaeser
    return True


def klient(verden, persona: str) -> Client:
    c = Client()
    if persona != "anonym":
        c.force_login(verden["personas"][persona])
    return c


def _tekst(svar) -> str:
    if getattr(svar, "streaming", False):
        return b"".join(svar.streaming_content).decode("utf-8", "replace").lower()
    return svar.content.decode("utf-8", "replace").lower()


def skjulte_kanarier(verden, persona: str) -> dict[str, str]:
    """canary -> agreement key, for every canary `persona` must never see."""
    res = {}
    for noegle, kanarier in verden["kanarier"].items():
        aftale = verden["aftaler"][noegle]
        for kanarie, hvem in kanarier.items():
            if not laeser(persona, aftale, hvem, verden["struktur"]):
                res[kanarie] = noegle
    return res


# --- 1. every version and attachment URL ------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAER)
def test_versions_and_attachments_answer_only_their_audience(laeseverden, db, persona):
    verden, struktur = laeseverden, laeseverden["struktur"]
    c = klient(verden, persona)
    fejl = []

    def forvent(url: str, kode: int):
        svar = c.get(url)
        if svar.status_code != kode:
            fejl.append(f"{url}: {svar.status_code}, ventede {kode}")

    for noegle, aftale in verden["aftaler"].items():
        slug = aftale.slug
        laeser_aftalen = laeser(persona, aftale, OFFENTLIG if aftale.er_offentlig else HOERING, struktur)
        for nummer, hvem in verden["versioner"][noegle].items():
            maa = laeser_aftalen and laeser(persona, aftale, hvem, struktur)
            forvent(f"/api/v1/aftaler/{slug}/versioner/{nummer}/", 200 if maa else 404)
            forvent(f"/arbejde/aftaler/{slug}/versioner/{nummer}/",
                    302 if persona == "anonym" else 200 if maa else 404)
            offentlig = aftale.er_offentlig and hvem == OFFENTLIG
            forvent(f"/aftaler/{slug}/versioner/{nummer}/", 200 if offentlig else 404)
        for pk, hvem in verden["bilag"][noegle].items():
            maa = laeser_aftalen and laeser(persona, aftale, hvem, struktur)
            forvent(f"/arbejde/aftaler/{slug}/bilag/{pk}/", 302 if persona == "anonym" else 200 if maa else 404)
            offentlig = aftale.er_offentlig and hvem == OFFENTLIG
            forvent(f"/aftaler/{slug}/bilag/{pk}/", 200 if offentlig else 404)
        # The lists name exactly the versions the persona may read.
        svar = c.get(f"/api/v1/aftaler/{slug}/versioner/")
        if laeser_aftalen:
            forventet = sorted(n for n, hvem in verden["versioner"][noegle].items()
                               if laeser(persona, aftale, hvem, struktur))
            if sorted(v["nummer"] for v in svar.json()) != forventet:
                fejl.append(f"{slug} versioner: {[v['nummer'] for v in svar.json()]}, ventede {forventet}")
        elif svar.status_code != 404:
            fejl.append(f"{slug} versioner: {svar.status_code}, ventede 404")
    assert not fejl, "\n".join(fejl)


# --- 2. every URL pattern, no canary outside the audience ---------------------------------------------


def _monstre(resolver=None, praefiks: str = ""):
    """(route, pattern) for every URL pattern of the portal."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = praefiks + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _monstre(p, route)
        elif isinstance(p, URLPattern):
            yield route, p


# Patterns that show no agreement (or only files the walk cannot read, the PDF being compressed; the
# PDF is built from the same public selectors, see test_pdf.py) or that change state on GET.
_SPRING_OVER = ("admin/", "api/schema", "api/docs", "log-ud/", "static/", "media/")


def _vaerdier(verden, noegle: str | None) -> dict[str, list]:
    """Values for each URL parameter: those of agreement `noegle`, or (None) of the structure."""
    s = verden["struktur"]
    klynger = [s["klynge"].slug, s["anden_klynge"].slug]
    parter = [s[k].slug for k in ("region", "kommune_a", "kommune_b", "kommune_c")]
    numre = sorted(verden["versioner"][noegle]) if noegle else []
    return {
        "slug": [verden["aftaler"][noegle].slug] if noegle else klynger + [s["fora"]["styregruppe"].slug],
        "nummer": numre,
        "a": numre,
        "b": numre,
        "pk": list(verden["bilag"][noegle]) if noegle else [1],
        "handling": list(OVERGANGE),
        "part": parter,
        "klynge": klynger,
        "type+afsender": [("part", p) for p in parter] + [("klynge", k) for k in klynger],
        "kode": ["findes-ikke"],
        "periode": ["2024H1"],
        "format": ["json"],
        "bilag": [1],  # a meeting item's attachment
        "punkt": [1],  # a meeting's agenda item
        "noegle": ["ugyldig-kalendernoegle"],  # a personal calendar feed's secret
    }


def _urler(verden) -> list[str]:
    urler = []
    for route, p in _monstre():
        if route.startswith(_SPRING_OVER) or route.lstrip("^").startswith(_SPRING_OVER):
            continue
        navne = list(p.pattern.regex.groupindex)
        if "type" in navne and "afsender" in navne:
            navne = [n for n in navne if n not in ("type", "afsender")] + ["type+afsender"]
        for noegle in (verden["aftaler"] if "aftaler" in route and "slug" in navne else [None]):
            vaerdier = _vaerdier(verden, noegle)
            ukendte = [n for n in navne if n not in vaerdier]
            assert not ukendte, f"{route}: ukendte parametre {ukendte}; tilføj værdier til _vaerdier"
            for kombination in itertools.product(*(vaerdier[n] for n in navne)):
                kw = dict(zip(navne, kombination, strict=True))
                if "type+afsender" in kw:
                    kw["type"], kw["afsender"] = kw.pop("type+afsender")
                if "a" in kw and kw["a"] >= kw["b"]:
                    continue
                url = _udfyld(route, kw)
                if url is not None and not url.endswith(".pdf"):
                    urler.append(url)
    return urler


def _udfyld(route: str, kw: dict) -> str | None:
    """The URL of `route` with `kw` filled in (routes are path() or re_path() patterns)."""
    import re

    if route.startswith("^") or "(?P<" in route:
        url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kw[m.group(1)]), route.replace("^", ""))
        url = url.replace("$", "").replace("\\.", ".")
        if re.search(r"[()\\\[\]?*+]", url):
            return None
    else:
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kw[m.group(1)]), route)
    return "/" + url


@pytest.mark.parametrize("persona", PERSONAER)
def test_no_draft_canary_reaches_anyone_outside_its_audience(laeseverden, db, persona):
    verden = laeseverden
    skjulte = skjulte_kanarier(verden, persona)
    c = klient(verden, persona)
    urler = _urler(verden)
    assert any(u.startswith("/arbejde/aftaler/") for u in urler) and any(u.startswith("/api/v1/") for u in urler)
    fund = []
    for url in urler:
        tekst = _tekst(c.get(url))
        fund += [f"{url}: {k} (aftale {skjulte[k]})" for k in skjulte if k in tekst]
    assert not fund, "\n".join(fund[:40])


def test_the_walk_sees_the_canaries_where_they_belong(laeseverden, db):
    """The walk can fail: the secretariat finds every canary on the staff pages and in the API."""
    verden = laeseverden
    c = klient(verden, "sekretariat")
    set_ = set()
    for url in _urler(verden):
        if url.startswith(("/arbejde/", "/api/")):
            tekst = _tekst(c.get(url))
            set_ |= {k for kanarier in verden["kanarier"].values() for k in kanarier if k in tekst}
    alle = {k for kanarier in verden["kanarier"].values() for k in kanarier}
    assert set_ == alle
