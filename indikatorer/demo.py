"""Demo data: every indicator seed 002 names, and synthetic measurements from 2019H1 to 2026H1.

The indicators are those of "Sundhedsaftalen 2019-2023" (seed 002, section 4): under each of the
agreement's goals, and under the national goals. An indicator marked * in the seed coincides with a
national indicator and is linked to both; "Overdødelighed ved psykisk sygdom" appears in both lists
and is one indicator. Which national goal each national indicator sits under is not in the seed; the
mapping below is this demo's reading of the national goals. Frequencies follow the seed: twice a year,
except patient satisfaction with the cooperation between sectors (LUP) and excess mortality with
mental illness (yearly), and the share of daily smokers (every four years). "Udviklingsområde –
kommunale trivselsdata" is a development area without data.

The measurements are synthetic (marked so on every page, in the CSV, the API and the report): each
municipality gets a deterministic value from a seeded random generator around a plausible level with
a trend; clusters and the region are population-weighted means of their municipalities. Population
figures are approximate and used only as weights.

Idempotent: indicators are compared field by field and saved only when they differ; measurements are
written only for keys without a current value (a real import is never overwritten). Complete demo
periods are marked as reported without sending e-mail.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from indikatorer import policies, services
from indikatorer.choices import Frekvens, GeografiType, Retning
from indikatorer.importer import Geografi, IndikatorInfo, Raekke
from indikatorer.models import Indikator, LokaltMaal, LokaltMaalStatus
from indikatorer.perioder import Periode, er_begyndt, halvaar_mellem
from organisation.models import Klynge

SUNDHEDSAFTALE_SLUG = "sundhedsaftalen-2019-2023"
FOERSTE = Periode(2019, 1)
SIDSTE = Periode(2026, 1)

# The agreement's goals (seed 002, section 2) and the national goals, as the seed writes them.
ROEG = "Vi vil nedbringe antallet af dagligrygere i Region Midtjylland"
AELDRE = "Vi vil styrke samarbejdet om akut syge ældre og nedbringe antallet af akutte indlæggelser blandt ældre"
BOERN = "Vi vil forbedre den mentale sundhed og mindske mistrivsel hos børn og unge i Region Midtjylland"
PSYK = "Vi vil forbedre sundheden og sikre bedre sammenhængende patientforløb for voksne med svær psykisk sygdom"
N_FORLOEB = "Bedre sammenhængende patientforløb"
N_KRONIKERE = "Styrket indsats for kronikere og ældre patienter"
N_KVALITET = "Behandling af høj kvalitet"
N_HURTIG = "Hurtig udredning og behandling"
N_LEVEAAR = "Flere sunde leveår"

SDS = "Sundhedsdatastyrelsen (nationale mål for sundhedsvæsenet)"


@dataclass(frozen=True)
class IndikatorData:
    kode: str
    navn: str
    beskrivelse: str
    enhed: str
    retning: str
    frekvens: str
    kilde: str
    maal: str | None
    nationalt: str | None
    # synthetic data: level in 2019, relative change per year (negative = falling), spread between municipalities
    niveau: float
    tendens: float
    spredning: float = 0.10
    decimaler: int = 1
    aktiv: bool = True


L, H = Retning.LAVERE, Retning.HOEJERE
HALV, AAR, FIRE = Frekvens.HALVAAR, Frekvens.AAR, Frekvens.FIREAAR

INDIKATORER = [
    # Fælles investering i forebyggelse
    IndikatorData("dagligrygere", "Antal dagligrygere",
                  "Andelen af voksne, der ryger dagligt. Opgøres hvert fjerde år i sundhedsprofilen «Hvordan har du "
                  "det?». Sammenfaldende med en indikator under de nationale mål.",
                  "%", L, FIRE, "Hvordan har du det? (sundhedsprofil for Region Midtjylland)", ROEG, N_LEVEAAR,
                  15.5, -0.035),
    # Sammen om ældre borgere
    IndikatorData("lup-samarbejde-udskrivelse",
                  "Samarbejde mellem hospitalerne og hjemmepleje/hjemmesygepleje omkring udskrivelsen af akut syge "
                  "ældre (LUP)",
                  "Andelen af akut indlagte ældre patienter, der vurderer samarbejdet mellem hospitalet og "
                  "hjemmeplejen eller hjemmesygeplejen ved udskrivelsen som godt eller virkelig godt. Patient"
                  "tilfredshedsmålingen foreligger én gang årligt.",
                  "%", H, AAR, "Landsdækkende Undersøgelse af Patientoplevelser (LUP)", AELDRE, None, 71.0, 0.012,
                  0.05),
    IndikatorData("akutte-indlaeggelser-aeldre", "Antal akutte indlæggelser blandt ældre",
                  "Akutte somatiske indlæggelser blandt borgere på 65 år og derover i halvåret.",
                  "pr. 1.000 borgere på 65 år og derover", L, HALV, "Landspatientregisteret (Sundhedsdatastyrelsen)",
                  AELDRE, None, 128.0, -0.015),
    IndikatorData("forebyggelige-indlaeggelser-aeldre", "Forebyggelige indlæggelser blandt ældre",
                  "Indlæggelser blandt borgere på 65 år og derover med diagnoser, der kan forebygges i det nære "
                  "sundhedsvæsen (fx dehydrering, forstoppelse, blærebetændelse, lungebetændelse). Sammenfaldende med "
                  "en indikator under de nationale mål.",
                  "pr. 1.000 borgere på 65 år og derover", L, HALV, SDS, AELDRE, N_KRONIKERE, 27.5, -0.02, 0.14),
    IndikatorData("genindlaeggelser-aeldre", "Akutte somatiske genindlæggelser blandt ældre",
                  "Andelen af indlæggelser blandt borgere på 65 år og derover, der efterfølges af en akut somatisk "
                  "genindlæggelse inden for 30 dage. Sammenfaldende med en indikator under de nationale mål.",
                  "%", L, HALV, SDS, AELDRE, N_FORLOEB, 14.8, -0.01, 0.08),
    # Den nære psykiatri: børn og unge
    IndikatorData("buc-henvisninger-visitationer", "Fordeling mellem antal henvisninger og visitationer til BUC",
                  "Andelen af henvisninger til Børne- og Ungdomspsykiatrisk Center (BUC), der fører til visitation "
                  "til udredning eller behandling. En højere andel tyder på, at de rette børn og unge henvises.",
                  "%", H, HALV, "Børne- og Ungdomspsykiatrisk Center, Region Midtjylland", BOERN, None, 61.0, 0.012,
                  0.07),
    IndikatorData("kommunale-trivselsdata", "Udviklingsområde – kommunale trivselsdata",
                  "Indikatorer for børn og unges trivsel baseret på kommunale trivselsdata er under udvikling. "
                  "Der er endnu ingen fælles data.",
                  "%", H, AAR, "Kommunerne (under udvikling)", BOERN, None, 0, 0, aktiv=False),
    # Den nære psykiatri: voksne med svær psykisk sygdom
    IndikatorData("genindlaeggelser-psykiatri", "Akutte genindlæggelser inden for 30 dage (psykiatrien)",
                  "Andelen af psykiatriske udskrivelser, der efterfølges af en akut psykiatrisk genindlæggelse inden "
                  "for 30 dage. Sammenfaldende med en indikator under de nationale mål.",
                  "%", L, HALV, SDS, PSYK, N_FORLOEB, 20.5, -0.012, 0.09),
    IndikatorData("faerdigbehandlingsdage-psykiatri", "Psykiatriske færdigbehandlingsdage",
                  "Dage, hvor færdigbehandlede patienter venter på udskrivelse fra psykiatrisk afdeling til et "
                  "kommunalt tilbud. Sammenfaldende med en indikator under de nationale mål.",
                  "dage pr. 1.000 borgere", L, HALV, SDS, PSYK, N_FORLOEB, 4.2, -0.04, 0.30, decimaler=2),
    IndikatorData("tvangsindlaeggelser", "Tvangsindlæggelser for voksne og unge (16+)",
                  "Tvangsindlæggelser (rød og gul tvang) af borgere på 16 år og derover i halvåret.",
                  "pr. 100.000 borgere på 16 år og derover", L, HALV, "Psykiatriregisteret (Sundhedsdatastyrelsen)",
                  PSYK, None, 43.0, -0.02, 0.15),
    IndikatorData("overdoedelighed-psykisk-sygdom", "Overdødelighed ved psykisk sygdom",
                  "Dødeligheden blandt borgere med en psykisk lidelse i forhold til befolkningen som helhed "
                  "(standardiseret dødelighedsratio). Foreligger én gang årligt. Indikatoren står både under "
                  "målsætningen og under de nationale mål.",
                  "ratio (standardiseret dødelighed)", L, AAR, SDS, PSYK, N_KRONIKERE, 2.65, -0.01, 0.06, decimaler=2),
    # Indicators under the national goals
    IndikatorData("ventetid-genoptraening", "Ventetid til genoptræning",
                  "Gennemsnitlig ventetid fra udskrivelse til opstart af genoptræning efter sundhedsloven.",
                  "dage", L, HALV, SDS, None, N_HURTIG, 11.5, -0.03, 0.18),
    IndikatorData("ajourfoerte-medicinoplysninger", "Ajourførte medicinoplysninger",
                  "Andelen af borgere med et ajourført medicinkort i Fælles Medicinkort (FMK) ved kontakt med "
                  "sundhedsvæsenet.",
                  "%", H, HALV, "Fælles Medicinkort (Sundhedsdatastyrelsen)", None, N_FORLOEB, 78.0, 0.015, 0.05),
    IndikatorData("tilknytning-arbejdsmarked", "Tilknytning til arbejdsmarkedet",
                  "Andelen af borgere i den erhvervsaktive alder med en psykisk lidelse, der er i beskæftigelse "
                  "eller uddannelse.",
                  "%", H, HALV, "Danmarks Statistik og Sundhedsdatastyrelsen (nationale mål)", None, N_FORLOEB, 47.0,
                  0.006, 0.06),
    IndikatorData("faerdigbehandlingsdage", "Færdigbehandlingsdage (somatisk og psykiatri)",
                  "Dage, hvor færdigbehandlede patienter venter på udskrivelse fra somatisk eller psykiatrisk "
                  "afdeling.",
                  "dage pr. 1.000 borgere", L, HALV, SDS, None, N_FORLOEB, 9.5, -0.035, 0.28),
    IndikatorData("akutte-indlaeggelser-kol-diabetes", "Akutte indlæggelser pr. KOL/diabetes-patient",
                  "Akutte indlæggelser blandt borgere med KOL eller type 2-diabetes i halvåret.",
                  "pr. 1.000 patienter", L, HALV, SDS, None, N_KRONIKERE, 96.0, -0.02, 0.12),
    IndikatorData("antipsykotika-demens", "Brug af antipsykotika blandt borgere med demens",
                  "Andelen af borgere med en demensdiagnose, der får udleveret antipsykotisk medicin.",
                  "%", L, HALV, SDS, None, N_KVALITET, 17.5, -0.03, 0.12),
    IndikatorData("middellevetid", "Middellevetid",
                  "Forventet levetid ved fødslen.",
                  "år", H, HALV, "Danmarks Statistik", None, N_LEVEAAR, 81.2, 0.0015, 0.012),
    IndikatorData("antibiotikaforbrug-almen-praksis", "Antibiotikaforbrug i almen praksis",
                  "Antibiotikarecepter udstedt i almen praksis i halvåret.",
                  "recepter pr. 1.000 borgere", L, HALV, SDS, None, N_KVALITET, 168.0, -0.02, 0.09),
    IndikatorData("tilknytning-uddannelse-psykiatri", "Tilknytning til uddannelse for psykiatriske patienter",
                  "Andelen af unge psykiatriske patienter (18-30 år), der er i gang med eller har gennemført en "
                  "ungdomsuddannelse.",
                  "%", H, HALV, SDS, None, N_FORLOEB, 56.0, 0.008, 0.07),
    IndikatorData("genindlaeggelser-somatik-psykiatri", "Akutte somatiske og psykiatriske genindlæggelser",
                  "Andelen af udskrivelser, der efterfølges af en akut somatisk eller psykiatrisk genindlæggelse "
                  "inden for 30 dage.",
                  "%", L, HALV, SDS, None, N_FORLOEB, 9.2, -0.01, 0.08),
]

# Approximate populations (used only as weights for the synthetic cluster and region values).
INDBYGGERE = {
    "aarhus": 367_000, "favrskov": 50_500, "hedensted": 47_500, "herning": 90_000, "holstebro": 59_000,
    "horsens": 100_000, "ikast-brande": 42_500, "lemvig": 19_500, "norddjurs": 37_000, "odder": 24_000,
    "randers": 99_500, "ringkoebing-skjern": 56_000, "samsoe": 3_700, "silkeborg": 101_000,
    "skanderborg": 65_000, "skive": 46_000, "struer": 21_000, "syddjurs": 44_000, "viborg": 98_000,
}


def _norm(tekst: str) -> str:
    return " ".join((tekst or "").lower().strip().rstrip(".").split())


def _maal_opslag() -> dict[tuple[bool, str], object]:
    """The agreement's goals and the national goals by normalised text (aftaler.demo loads them first)."""
    from aftaler.models import Maalsaetning

    qs = Maalsaetning.objects.select_related("sundhedsaftale")
    foretrukne = qs.filter(sundhedsaftale__slug=SUNDHEDSAFTALE_SLUG)
    res: dict[tuple[bool, str], object] = {}
    for m in list(qs.exclude(sundhedsaftale__slug=SUNDHEDSAFTALE_SLUG)) + list(foretrukne):
        res[(m.national, _norm(m.tekst))] = m  # the 2019-2023 agreement's goal wins
    return res


def _find(opslag: dict, national: bool, tekst: str | None):
    if not tekst:
        return None
    noegle = _norm(tekst)
    if (national, noegle) in opslag:
        return opslag[(national, noegle)]
    # Tolerate small differences in wording: the same beginning is the same goal.
    for (nat, t), m in opslag.items():
        if nat == national and (t.startswith(noegle[:40]) or noegle.startswith(t[:40])):
            return m
    return None


def _indikatorer() -> dict[str, Indikator]:
    opslag = _maal_opslag()
    eksisterende = {i.kode: i for i in Indikator.objects.all()}
    res = {}
    for sortering, d in enumerate(INDIKATORER, start=1):
        felter = {
            "navn": d.navn, "beskrivelse": d.beskrivelse, "enhed": d.enhed, "retning": d.retning,
            "frekvens": d.frekvens, "kilde": d.kilde, "decimaler": d.decimaler, "aktiv": d.aktiv,
            "sortering": sortering * 10,
            "maalsaetning": _find(opslag, False, d.maal), "nationalt_maal": _find(opslag, True, d.nationalt),
        }
        ind = eksisterende.get(d.kode) or Indikator(kode=d.kode)
        aendret = ind.pk is None
        for navn, vaerdi in felter.items():
            felt = Indikator._meta.get_field(navn)
            nu = getattr(ind, felt.attname)
            skal = vaerdi.pk if felt.is_relation and vaerdi is not None else vaerdi
            if felt.is_relation and vaerdi is None and nu is not None and navn in ("maalsaetning", "nationalt_maal"):
                continue  # a goal linked by hand (or by an earlier run) is kept when the goals are missing
            if nu != skal:
                setattr(ind, navn, vaerdi)
                aendret = True
        if aendret:
            services.indikator_gem(indikator=ind, bruger=None)
        res[d.kode] = ind
    return res


def _perioder(frekvens: str, sidste: Periode) -> list[Periode]:
    if frekvens == Frekvens.HALVAAR:
        return halvaar_mellem(FOERSTE, sidste)
    slut = sidste.aar - 1  # a year's figure exists once the year is over
    if frekvens == Frekvens.AAR:
        return [Periode(a) for a in range(FOERSTE.aar, slut + 1)]
    return [Periode(a) for a in range(2021, slut + 1, 4)]  # Hvordan har du det? 2021, 2025


def _rund(v: float, decimaler: int) -> Decimal:
    return Decimal(str(v)).quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)


def _geografier():
    from organisation.choices import PartType
    from organisation.models import Klynge, Part

    region = Part.objects.filter(type=PartType.REGION).order_by("pk").first()
    kommuner = list(Part.objects.aktive().filter(type=PartType.KOMMUNE))
    klynger = list(Klynge.objects.aktive().prefetch_related("kommuner"))
    return region, kommuner, klynger


def _raekker(indikatorer: dict[str, Indikator], sidste: Periode) -> list[Raekke]:
    region, kommuner, klynger = _geografier()
    if region is None or not kommuner:
        return []
    vaegt = {k.slug: INDBYGGERE.get(k.slug, 50_000) for k in kommuner}
    raekker: list[Raekke] = []
    for d in INDIKATORER:
        if not d.aktiv:
            continue
        ind = indikatorer[d.kode]
        info = IndikatorInfo(ind.pk, ind.kode, ind.frekvens, ind.er_procent)
        perioder = _perioder(d.frekvens, sidste)
        pr_kommune: dict[str, dict[str, float]] = {}
        for k in kommuner:
            rng = random.Random(f"{d.kode}:{k.slug}")
            faktor = 1 + rng.uniform(-d.spredning, d.spredning)
            egen_tendens = d.tendens * rng.uniform(0.5, 1.5)
            vaerdier = {}
            for p in perioder:
                aar = (p.aar - FOERSTE.aar) + (0.5 if p.halvaar == 2 else 0)
                stoej = 1 + rng.gauss(0, d.spredning / 6)
                v = d.niveau * faktor * (1 + egen_tendens) ** aar * stoej
                if d.enhed == "%":
                    v = min(max(v, 0.5), 99.5)
                vaerdier[p.kode] = v
            pr_kommune[k.slug] = vaerdier
            geo = Geografi(k.slug, k.navn, GeografiType.KOMMUNE, part_id=k.pk)
            raekker += [Raekke(0, info, geo, p, _rund(vaerdier[p.kode], d.decimaler), None, None, "")
                        for p in perioder]

        def vaegtet(slugs: list[str], periode: str, pr_kommune=pr_kommune) -> float:
            total = sum(vaegt[s] for s in slugs)
            return sum(pr_kommune[s][periode] * vaegt[s] for s in slugs) / total

        for kl in klynger:
            slugs = [k.slug for k in kl.kommuner.all() if k.slug in pr_kommune]
            if not slugs:
                continue
            geo = Geografi(kl.slug, kl.navn, GeografiType.KLYNGE, klynge_id=kl.pk)
            raekker += [Raekke(0, info, geo, p, _rund(vaegtet(slugs, p.kode), d.decimaler), None, None, "")
                        for p in perioder]
        geo = Geografi(region.slug, region.navn, GeografiType.REGION, part_id=region.pk)
        raekker += [Raekke(0, info, geo, p, _rund(vaegtet(list(pr_kommune), p.kode), d.decimaler), None, None, "")
                    for p in perioder]
    return raekker


def _sidste_periode() -> Periode:
    sidste = SIDSTE
    while not er_begyndt(sidste):
        sidste = sidste.forrige()
    return sidste


# Two local goals in every cluster: (title, indicator code or None, status). The indicator's goal of the
# health agreement is the goal the local one serves.
LOKALE_MAAL = (
    ("Færre forebyggelige indlæggelser af ældre i {klynge}", 0, LokaltMaalStatus.I_GANG),
    ("Fælles opfølgning efter udskrivelse i {klynge}", 1, LokaltMaalStatus.PLANLAGT),
)


# Who writes each cluster's goals in the demo: the political level's demo user where there is one (it may:
# indikatorer.policies), the secretariat for every other cluster.
MAAL_FORFATTERE = {"horsensklyngen": "politisk-horsens"}


def _lokale_maal(indikatorer: dict[str, Indikator]) -> int:
    """The demo's local goals, created once per cluster (a goal already there, perhaps edited, is kept)
    through indikatorer.services.lokalt_maal_gem, so each has its audit row and the permission check a real
    user meets. Without the demo users (the loader run on its own) there is no one to write them: skipped."""
    brugere = {u.username: u for u in get_user_model().objects.filter(
        username__in={"sekretariat", *MAAL_FORFATTERE.values()}, is_active=True)}
    if "sekretariat" not in brugere:
        return 0
    med_maal = sorted((i for i in indikatorer.values() if i.maalsaetning_id), key=lambda i: (i.sortering, i.kode))
    findes = set(LokaltMaal.objects.values_list("klynge_id", "titel"))
    nye = 0
    for klynge in Klynge.objects.order_by("slug"):
        bruger = brugere.get(MAAL_FORFATTERE.get(klynge.slug, ""))
        if bruger is None or not policies.kan_redigere_lokale_maal(bruger, klynge):  # e.g. after the seat ended
            bruger = brugere["sekretariat"]
        for titel, nr, status in LOKALE_MAAL:
            titel = titel.format(klynge=klynge.navn)
            if (klynge.pk, titel) in findes:
                continue
            indikator = med_maal[nr] if nr < len(med_maal) else None
            services.lokalt_maal_gem(bruger=bruger, klynge=klynge, titel=titel, status=status, indikator=indikator,
                                     maalsaetning=indikator.maalsaetning if indikator else None,
                                     beskrivelse="Eksempel på et lokalt mål (demodata).")
            nye += 1
    return nye


def indlaes(*, stdout=None) -> None:
    """Load (or bring up to date) the indicators, their synthetic measurements and the clusters' local goals."""
    with transaction.atomic():
        indikatorer = _indikatorer()
        lokale = _lokale_maal(indikatorer)
        sidste = _sidste_periode()
        batch = services.demodata_gem(raekker=_raekker(indikatorer, sidste))
        halvaar = [p.kode for p in halvaar_mellem(FOERSTE, sidste)]
        markeret = services.rapporter_marker_demo(perioder=services.komplette_perioder(halvaar))
    if stdout is not None:
        uden_maal = [d.kode for d in INDIKATORER if d.maal and indikatorer[d.kode].maalsaetning_id is None]
        besked = (
            f"Indikatorer: {len(indikatorer)} indikatorer, "
            f"{batch.antal_raekker if batch else 0} nye syntetiske målinger, {markeret} halvår markeret som "
            f"afrapporteret (demodata), {lokale} nye lokale mål."
        )
        if uden_maal:
            besked += f" Uden målsætning (sundhedsaftalen mangler): {', '.join(uden_maal)}."
        stdout.write(besked)

