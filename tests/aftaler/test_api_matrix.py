"""Every persona x every state x every action over the API, against outcomes derived here from the
capability table (sundhed.permissions.TILDELINGER) and the lifecycle table (aftaler.workflow.OVERGANGE).

The expectation is computed from the tables and the rules of DESIGN.md written out below, never by
asking the policy functions the views use: a wrong policy must fail this test, not agree with it.
Each case checks the status code, that an allowed action had its effect, and that a refused one
changed nothing.
"""

import datetime
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from aftaler.choices import Beslutning, ImplementeringStatus, Status
from aftaler.models import Godkendelse, Hoeringssvar, Samarbejdsaftale
from aftaler.workflow import OVERGANGE
from organisation.choices import Rolle
from sundhed.permissions import FORUM, GLOBAL, KAPABILITETER, KLYNGE, PART, TILDELINGER
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED

PERSONAER = ["sekretariat", "temagruppe", "styregruppe", "klynge", "kommune_a", "region", "udenforstaaende", "anonym"]

# The memberships of the personas in tests/conftest.py: (key in struktur["fora"], role); None = no membership.
MEDLEMSKAB = {
    "sekretariat": ("sekretariat", Rolle.MEDLEM),
    "temagruppe": ("temagruppe", Rolle.MEDLEM),
    "styregruppe": ("styregruppe", Rolle.MEDLEM),
    "klynge": ("klynge_adm", Rolle.MEDLEM),
    "kommune_a": ("kb_a", Rolle.SEKRETAER),
    "region": ("rr", Rolle.SEKRETAER),
    "udenforstaaende": None,
    "anonym": None,
}

HANDLINGER = ["laes", "ret", "ny_version", *OVERGANGE, "beslutning", "implementering", "hoeringssvar"]

# DESIGN.md: anyone reads an agreement from `indstillet` on.
OFFENTLIGE = {Status.INDSTILLET, Status.GODKENDT, Status.I_KRAFT, Status.OPHAEVET}


# --- the expectation, from the tables -------------------------------------------------------------


def kapabiliteter(persona: str, struktur, medlemskab: dict | None = None) -> set[tuple[str, object]]:
    """(capability, scope) pairs the persona's membership gives, read from TILDELINGER. The scope is
    None for global capabilities, else the forum, cluster or authority the membership belongs to.
    `medlemskab` maps personas to (forum key, role); by default this module's personas."""
    medlemskab = MEDLEMSKAB if medlemskab is None else medlemskab
    if medlemskab[persona] is None:
        return set()
    noegle, rolle = medlemskab[persona]
    forum = struktur["fora"][noegle]
    omfang = {GLOBAL: None, FORUM: forum, KLYNGE: forum.klynge, PART: forum.part}
    res = set()
    for raekke in TILDELINGER:
        if forum.type not in raekke.forumtyper or rolle not in raekke.roller:
            continue
        if raekke.forum_felt and not getattr(forum, raekke.forum_felt):
            continue
        res |= {(kode, omfang[KAPABILITETER[kode].omfang]) for kode in raekke.kapabiliteter}
    return res


@dataclass(frozen=True)
class Forventning:
    kode: int
    virkning: str | None = None  # what an allowed action must have changed


def forventning(persona: str, status: str, handling: str, struktur) -> Forventning:
    """The outcome DESIGN.md and the two tables call for. The agreement is regional, owned by the
    theme group; the decision is for municipality A; implementation is for cluster Et."""
    kap = kapabiliteter(persona, struktur)
    ejer = struktur["fora"]["temagruppe"]

    def har(kode: str, scope=None) -> bool:
        return (kode, scope) in kap

    # Reading: public from `indstillet` on; before that the secretariat and internal readers, the owning
    # group, and, during consultation, whoever may answer it (on a regional agreement every authority
    # and every cluster is consulted).
    laeser = (
        status in OFFENTLIGE
        or har("laese_internt") or har("redigere_alle_aftaler")
        or har("redigere_gruppens_aftaler", ejer)
        or (status == Status.HOERING and any(k in ("besvare_hoering_part", "besvare_hoering_klynge") for k, _ in kap))
    )
    if handling == "laes":
        return Forventning(200 if laeser else 404)
    if persona == "anonym":
        return Forventning(401)  # every write needs a login, before anything is looked up
    if not laeser:
        return Forventning(404)

    # Text and details change only in `udkast`, by the secretariat or the owning group.
    redaktoer = status == Status.UDKAST and (har("redigere_alle_aftaler") or har("redigere_gruppens_aftaler", ejer))
    if handling == "ret":
        return Forventning(200, "rettet") if redaktoer else Forventning(403)
    if handling == "ny_version":
        return Forventning(201, "ny_version") if redaktoer else Forventning(403)

    # The services check the lifecycle before the role: an action the state does not allow is a 400
    # (naming the field) for anyone who can read the agreement; then the capability decides.
    if handling in OVERGANGE:
        regel = OVERGANGE[handling]
        if status not in regel.fra:
            return Forventning(400)
        return Forventning(201, f"status:{regel.til}") if har(regel.kapabilitet) else Forventning(403)
    if handling == "beslutning":
        if status != Status.INDSTILLET:
            return Forventning(400)
        egen = har("registrere_beslutning", struktur["kommune_a"])
        return Forventning(201, "beslutning") if egen else Forventning(403)
    if handling == "hoeringssvar":
        if status != Status.HOERING:
            return Forventning(400)
        return (Forventning(201, "hoeringssvar") if har("besvare_hoering_part", struktur["kommune_a"])
                else Forventning(403))
    if handling == "implementering":
        # Only an agreement in force is implemented; its clusters' members (and the secretariat) record it.
        tilladt = status == Status.I_KRAFT and (
            har("redigere_alle_aftaler") or har("registrere_implementering", struktur["klynge"]))
        return Forventning(200, "implementering") if tilladt else Forventning(403)
    raise AssertionError(handling)


# --- doing it over HTTP ---------------------------------------------------------------------------


def udfoer(klient: APIClient, aftale: Samarbejdsaftale, handling: str):
    base = f"/api/v1/aftaler/{aftale.slug}/"
    if handling == "laes":
        return klient.get(base)
    if handling == "ret":
        return klient.patch(base, {"revision": aftale.revision, "titel": "Rettet i matrixen"}, format="json")
    if handling == "ny_version":
        return klient.post(base + "versioner/", {"tekst": "<p>Ny tekst fra matrixen.</p>",
                                                 "grundlag": aftale.aktuel_version.nummer}, format="json")
    if handling in OVERGANGE:
        # Every field any action needs; each action uses its own and ignores the rest.
        return klient.post(base + "overgange/", {
            "handling": handling, "note": "matrix", "hoeringsfrist": OM_EN_MAANED.isoformat(),
            "dato": I_DAG.isoformat(), "beslutningsfrist": OM_EN_MAANED.isoformat(),
            "ikrafttraedelse": I_DAG.isoformat(), "revisionsdato": (I_DAG + datetime.timedelta(days=400)).isoformat(),
        }, format="json")
    if handling == "beslutning":
        return klient.post(base + "godkendelser/", {"part": "kommune-a", "beslutning": Beslutning.GODKENDT,
                                                    "dato": I_DAG.isoformat(), "sagsnummer": "M-1"}, format="json")
    if handling == "implementering":
        return klient.put(base + "implementering/klynge-et/", {"status": ImplementeringStatus.I_GANG, "note": "matrix"},
                          format="json")
    if handling == "hoeringssvar":
        return klient.post(base + "hoeringssvar/", {"part": "kommune-a", "tekst": "<p>Svar fra matrixen.</p>"},
                           format="json")
    raise AssertionError(handling)


def tilstand(aftale: Samarbejdsaftale) -> dict:
    """Everything an action could change about the agreement."""
    a = Samarbejdsaftale.objects.get(pk=aftale.pk)
    return {
        "status": a.status,
        "revision": a.revision,
        "titel": a.titel,
        "aktuel_version": a.aktuel_version_id,
        "offentliggjort_version": a.offentliggjort_version_id,
        "versioner": a.versioner.count(),
        "godkendelser": Godkendelse.objects.filter(version__aftale=a).count(),
        "overgange": a.overgange.count(),
        "behandlinger": a.behandlinger.count(),
        "hoeringssvar": Hoeringssvar.objects.filter(version__aftale=a).count(),
        "implementering": list(a.implementeringer.order_by("klynge_id").values_list("klynge_id", "status", "note")),
    }


def virkning_sket(virkning: str, foer: dict, efter: dict, struktur) -> bool:
    if virkning == "rettet":
        return efter["titel"] == "Rettet i matrixen" and efter["revision"] == foer["revision"] + 1
    if virkning == "ny_version":
        return efter["versioner"] == foer["versioner"] + 1 and efter["aktuel_version"] != foer["aktuel_version"]
    if virkning.startswith("status:"):
        return efter["status"] == virkning.removeprefix("status:") and efter["overgange"] == foer["overgange"] + 1
    if virkning == "beslutning":
        return efter["godkendelser"] == foer["godkendelser"] + 1
    if virkning == "hoeringssvar":
        return efter["hoeringssvar"] == foer["hoeringssvar"] + 1
    if virkning == "implementering":
        return (struktur["klynge"].pk, ImplementeringStatus.I_GANG, "matrix") in efter["implementering"]
    raise AssertionError(virkning)


@pytest.mark.parametrize("handling", HANDLINGER)
@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("persona", PERSONAER)
def test_matrix(verden, db, persona, status, handling):
    struktur, aftale = verden["struktur"], verden["aftaler"][status]
    assert Samarbejdsaftale.objects.get(pk=aftale.pk).status == status
    forventet = forventning(persona, status, handling, struktur)
    foer = tilstand(aftale)

    klient = APIClient()
    if persona != "anonym":
        klient.credentials(HTTP_AUTHORIZATION=f"Token {verden['tokens'][persona]}")
    svar = udfoer(klient, aftale, handling)

    hvad = f"{persona} / {handling} / {status}"
    assert svar.status_code == forventet.kode, f"{hvad}: {svar.status_code} {svar.content.decode()[:300]}"
    efter = tilstand(aftale)
    if forventet.virkning:
        assert virkning_sket(forventet.virkning, foer, efter, struktur), f"{hvad}: {foer} -> {efter}"
    else:
        assert efter == foer, f"{hvad} was refused but changed the agreement"
    if svar.status_code >= 400:
        # Every refusal is JSON in Danish: a `detail`, or the fields at fault.
        assert svar.json() and all(isinstance(v, (str, list)) for v in svar.json().values())
    if handling == "laes" and svar.status_code == 200:
        assert svar.json()["slug"] == aftale.slug


def test_the_matrix_covers_every_state_action_and_persona():
    """The cases above are generated from the tables: a new state or action is covered automatically."""
    assert set(HANDLINGER) >= set(OVERGANGE)
    assert set(Status.values) == {"udkast", "hoering", "indstillet", "godkendt", "i_kraft", "ophaevet"}
    assert set(MEDLEMSKAB) == set(PERSONAER)
