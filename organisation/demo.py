"""Demo data: the real structure of the collaboration in Region Midtjylland, from the seeds.

Parties, the five clusters with their municipalities and hospitals, the fora with their tasks
(opgavefordelingen of seeds 000 and 001) and composition, and the demo users. The data (names,
purposes, tasks, compositions) lives in organisation/demodata/*.toml; this module reads it, seats
the members and writes it all. People are named by the seat they hold ("Borgmester, Horsens
Kommune"), never by invented personal names; the same officeholder is one Person with several
memberships.

Loading is idempotent: slugs (and a person's role name, and a user's username) are natural keys,
fields are compared before anything is written, so a second run saves nothing and writes no
audit rows. Every write goes through organisation.services, so audit rows and permissions follow.

Dates: active bodies and memberships start on 1 July 2022, the date of the structure the portal
carries (seed 000), not the date each body was founded. Bodies replaced that day are archived.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from organisation import services
from organisation.choices import ForumType, KlyngeArt, PartType, Rolle
from organisation.models import Forum, Indstillingsret, Klynge, Medlemskab, Part, Person
from sundhed import mfa
from sundhed.text import dansk_slug

START = datetime.date(2022, 7, 1)
ADGANGSKODE = "demo"
# The demo's staff users (STAFF: the joint secretariat and the administrator) must give a TOTP code after the
# password (sundhed.mfa). Their authenticator has this fixed secret, published with the demo like the password,
# so that anyone can sign in: `manage.py demo` prints the current code, `manage.py totp sekretariat` prints it
# again. Demo data only: nothing else may use it. Typed into an authenticator app (base32):
# GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ.
DEMO_TOTP_NOEGLE = "3132333435363738393031323334353637383930"

REGION = "region-midtjylland"
PLO = "plo-midtjylland"
PSYKIATRI = "psykiatrien-region-midtjylland"

DEMODATA = Path(__file__).resolve().parent / "demodata"


def _toml(navn: str) -> dict:
    with (DEMODATA / navn).open("rb") as fil:
        return tomllib.load(fil)


@dataclass(frozen=True)
class KlyngeData:
    slug: str
    navn: str
    hospital: str  # Part slug
    kommuner: tuple[str, ...]  # town names, as in KOMMUNER
    formandskommune: str  # the municipality whose representative chairs the political level
    demobruger: str
    tidligere_navn: str = ""


# seeds/README.md: municipalities, acute hospitals and clusters (demodata/struktur.toml).
_STRUKTUR = _toml("struktur.toml")
KOMMUNER: list[str] = _STRUKTUR["kommuner"]
HOSPITALER: list[tuple[str, str, str]] = [(h["slug"], h["navn"], h["kortnavn"]) for h in _STRUKTUR["hospitaler"]]
KLYNGER = [KlyngeData(**{**k, "kommuner": tuple(k["kommuner"])}) for k in _STRUKTUR["klynger"]]

# The structure of 1 January 2027 (demodata/sundhedsraad.toml): the clusters, their levels and the
# committee end the day before; the five sundhedsråd meet as preparatory bodies before it.
REFORM = _toml("sundhedsraad.toml")
REFORMDATO: datetime.date = REFORM["i_kraft"]
SIDSTE_DAG_2022_STRUKTUR = REFORMDATO - datetime.timedelta(days=1)


# Sundhedsstyregruppen (seed 001): "7 direktører fra kommunerne (KOSU-medlemmerne)" and
# "1 kommunaldirektør (medformand)". Chosen so every cluster is represented.
KOSU_KOMMUNER = ["Aarhus", "Horsens", "Silkeborg", "Viborg", "Randers", "Herning", "Holstebro"]
KOSU_FORMANDSKOMMUNE = "Skanderborg"
SEKRETARIATSLEDER_KOMMUNE = "Aarhus"
# The Sundhedssamarbejdsudvalg's municipal representative who is næstformand (the regional chair is formand).
UDVALG_NAESTFORMAND_KLYNGE = "horsensklyngen"

# The regional council's 41 seats: the chair and 40 members.
REGIONSRAADSMEDLEMMER = 40

DEMOBRUGERE_UDEN_PERSON = {"admin"}
STAFF = {"admin", "sekretariat"}


def kommune_slug(by: str) -> str:
    return dansk_slug(by)


# A member of Horsensklyngen's political level: the demo user who writes the cluster's local goals.
POLITISK_DEMOBRUGER = "politisk-horsens"
POLITISK_DEMOKLYNGE = "horsensklyngen"


def demobrugere() -> list[str]:
    """Every demo username, in the order they are listed in DESIGN.md."""
    return [
        "sekretariat", "temagruppe-forebyggelse", "styregruppe", "region",
        *(f"kommune-{kommune_slug(by)}" for by in KOMMUNER),
        *(k.demobruger for k in KLYNGER),
        POLITISK_DEMOBRUGER,
        "admin",
    ]


@dataclass(frozen=True)
class GruppeData:
    slug: str
    navn: str
    betegnelse: str  # as it reads inside a seat's name: "Formand for temagruppe Forebyggelse"
    type: str = ForumType.TEMAGRUPPE
    tvaergaaende: bool = False
    psykiatri: bool = False
    formaal: str = ""
    ekstra_opgaver: tuple[str, ...] = ()
    foelger_indikatorer: bool = False


def _linjer(opgaver) -> str:
    return "\n".join(opgaver)


# --- meetings (issue 11) ---------------------------------------------------------------------------

KOEBENHAVN = ZoneInfo("Europe/Copenhagen")
# The bodies that meet through the year, with their usual place; each cluster level meets at its hospital.
MOEDE_FORA = [
    ("sundhedssamarbejdsudvalget", "Regionshuset Viborg, Skottenborg 26, 8800 Viborg"),
    ("sundhedsstyregruppen", "Regionshuset Aarhus, Olof Palmes Allé 22, 8200 Aarhus N"),
    ("formandskab", "Virtuelt møde"),
]
# Closed items: the public sees only their number and "Lukket punkt" (tests look for these titles).
LUKKEDE_PUNKTER = [
    ("Fortrolig drøftelse af budgetforhandlingerne", "Drøftelsen omfatter forhandlingspositioner, der ikke er "
     "offentlige.", "Det indstilles, at drøftelsen danner grundlag for de videre forhandlinger.",
     "Drøftet. Forhandlingerne fortsætter som indstillet."),
    ("Fortrolig personsag om et ansættelsesforhold", "Sagen vedrører en enkelt persons forhold.",
     "Det indstilles, at sagen afgøres som beskrevet i sagsfremstillingen.", "Godkendt som indstillet."),
]


DEMOAAR = 2026  # the demo year of meetings


def moedested(forum: Forum, parter: dict[str, Part]) -> str:
    """Where `forum` usually meets: its place in MOEDE_FORA, or a cluster level's hospital."""
    steder = dict(MOEDE_FORA)
    if forum.slug in steder:
        return steder[forum.slug]
    for k in KLYNGER:
        if forum.slug in (f"{k.slug}-politisk", f"{k.slug}-administrativ") and k.hospital in parter:
            return parter[k.hospital].navn
    return ""


def moedetid(forum: Forum, dag: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """A meeting of `forum` on `dag`: the committee meets in the afternoon, the others in the morning;
    formandskabet for an hour, the others for two."""
    start = datetime.datetime(dag.year, dag.month, dag.day,
                              14 if forum.type == ForumType.SUNDHEDSSAMARBEJDSUDVALG else 10, 0, tzinfo=KOEBENHAVN)
    return start, start + datetime.timedelta(hours=1 if forum.type == ForumType.FORMANDSKAB else 2)


def _antal_moeder(frekvens: str) -> int:
    """The seeds' "4-5 gange om året" is 5 meetings, "Ca. 4 gange om året" 4; 4 when nothing is said."""
    tal = [int(t) for t in re.findall(r"\d+", frekvens or "")]
    return max(tal) if tal else 4


def _dagsorden(forum: Forum, i: int) -> list[tuple[str, bool, str, str, str]]:
    """The items of meeting `i` of `forum`: (title, open, account, recommendation, decision)."""
    punkter = [
        ("Godkendelse af dagsorden", True, "", "Det indstilles, at dagsordenen godkendes.", "Godkendt."),
        ("Meddelelser fra formandskab og sekretariat", True,
         "Formandskabet og Fælles sekretariat orienterer om nyt siden sidste møde.",
         "Det indstilles, at orienteringen tages til efterretning.", "Orienteringen blev taget til efterretning."),
    ]
    if forum.type in {ForumType.KLYNGE_POLITISK, ForumType.KLYNGE_ADMINISTRATIV}:
        punkter.append(("Status på klyngens prøvehandlinger og lokale mål", True,
                        f"{forum.klynge.navn if forum.klynge else 'Klyngen'} gør status over prøvehandlingerne og "
                        "fremdriften på de lokale mål.", "Det indstilles, at status drøftes.",
                        "Status blev drøftet. Sekretariatet følger op til næste møde."))
    else:
        punkter.append(("Opfølgning på sundhedsaftalens indikatorer", True,
                        "Halvårsrapporten om sundhedsaftalens indikatorer fremlægges. Udviklingen er positiv på "
                        "de fleste indikatorer.", "Det indstilles, at rapporten drøftes.",
                        "Rapporten blev drøftet og taget til efterretning."))
    if i % 2 == 0:
        titel, *tekster = LUKKEDE_PUNKTER[(i // 2) % len(LUKKEDE_PUNKTER)]
        punkter.append((titel, False, *tekster))
    punkter.append(("Eventuelt", True, "", "", "Intet."))
    return punkter


# --- loading ----------------------------------------------------------------------------------


class _Indlaesning:
    """One run: existing rows read once up front, then compared, and written only where they differ."""

    def __init__(self) -> None:
        self.parter = {p.slug: p for p in Part.objects.all()}
        self.klynger = {k.slug: k for k in Klynge.objects.all()}
        self.fora = {f.slug: f for f in Forum.objects.all()}
        self.personer = {p.navn: p for p in Person.objects.all()}
        self.medlemskaber = {
            (m.person_id, m.forum_id, m.rolle, m.valid_from): m for m in Medlemskab.objects.all()
        }
        self.indstillingsret = {r.forum_id: r for r in Indstillingsret.objects.all()}
        self.kommuner_i_klynge: dict[int, set[int]] = {}
        for klynge_id, part_id in Klynge.kommuner.through.objects.values_list("klynge_id", "part_id"):
            self.kommuner_i_klynge.setdefault(klynge_id, set()).add(part_id)
        user_model = get_user_model()
        self.brugere = {u.username: u for u in user_model.objects.filter(username__in=demobrugere())}
        self._set_personer: set[str] = set()
        self._kodet: str | None = None
        self._kontrolleret: dict[str, bool] = {}
        self.oprettet: Counter[str] = Counter()
        self.aendret: Counter[str] = Counter()

    # generic compare-and-save

    def _gem(self, obj: Model, felter: dict) -> Model:
        """Set `felter` on `obj` and save it through the service, only if it is new or something differs."""
        ny = obj.pk is None
        forskel = ny
        for navn, vaerdi in felter.items():
            felt = obj._meta.get_field(navn)
            if felt.is_relation:
                nu, skal = getattr(obj, felt.attname), (vaerdi.pk if vaerdi is not None else None)
            else:
                nu, skal = getattr(obj, navn), vaerdi
            if nu != skal:
                setattr(obj, navn, vaerdi)
                forskel = True
        if forskel:
            services.struktur_gem(obj=obj, bruger=None)
            (self.oprettet if ny else self.aendret)[obj._meta.verbose_name_plural] += 1
        return obj

    def part(self, slug: str, **felter) -> Part:
        obj = self.parter.get(slug) or Part(slug=slug)
        self.parter[slug] = self._gem(obj, felter)
        return self.parter[slug]

    def klynge(self, slug: str, kommuner: list[Part], **felter) -> Klynge:
        obj = self.klynger.get(slug) or Klynge(slug=slug)
        ny = obj.pk is None
        obj = self.klynger[slug] = self._gem(obj, felter)
        if self.kommuner_i_klynge.get(obj.pk, set()) != {k.pk for k in kommuner}:
            services.struktur_m2m_gem(obj=obj, felt="kommuner", vaerdier=kommuner, bruger=None)
            self.kommuner_i_klynge[obj.pk] = {k.pk for k in kommuner}
            if not ny:
                self.aendret["sundhedsklynger"] += 1
        return obj

    def forum(self, slug: str, *, navn: str, type: str, opgaver=(), overordnet: Forum | str | None = None,
              klynge: Klynge | None = None, part: Part | None = None, formaal: str = "", sammensaetning: str = "",
              kommissorium: str = "", moedefrekvens: str = "", sortering: int = 100,
              valid_from: datetime.date = START, valid_to: datetime.date | None = None,
              forberedende_fra: datetime.date | None = None,
              indstiller_aftaler: bool = False, foelger_indikatorer: bool = False) -> Forum:
        """The forum `slug`; `type` is a ForumType value and `overordnet` may be given by its slug."""
        if isinstance(overordnet, str):
            overordnet = self.fora[overordnet]
        obj = self.fora.get(slug) or Forum(slug=slug)
        self.fora[slug] = self._gem(obj, {
            "navn": navn, "type": ForumType(type), "klynge": klynge, "part": part, "overordnet": overordnet,
            "formaal": formaal, "opgaver": _linjer(opgaver), "sammensaetning": sammensaetning,
            "kommissorium": kommissorium, "moedefrekvens": moedefrekvens, "sortering": sortering,
            "valid_from": valid_from, "valid_to": valid_to, "forberedende_fra": forberedende_fra,
            "foelger_indikatorer": foelger_indikatorer,
        })
        if indstiller_aftaler:  # over the body's whole lifetime (Indstillingsret)
            forum = self.fora[slug]
            ret = self.indstillingsret.get(forum.pk) or Indstillingsret(forum=forum)
            self.indstillingsret[forum.pk] = self._gem(ret, {"valid_from": forum.valid_from,
                                                             "valid_to": forum.valid_to})
        return self.fora[slug]

    def efterfoelgere(self, obj: Forum | Klynge, efterfoelgere: list[Forum | Klynge]) -> None:
        if set(obj.efterfoelgere.values_list("pk", flat=True)) != {e.pk for e in efterfoelgere}:
            services.struktur_m2m_gem(obj=obj, felt="efterfoelgere", vaerdier=efterfoelgere, bruger=None)
            self.aendret[obj._meta.verbose_name_plural] += 1

    def person(self, navn: str, *, titel: str, part: Part | None, bruger: str | None = None) -> Person:
        """The one Person holding this seat; the first call in a run decides its fields."""
        if navn in self._set_personer:
            return self.personer[navn]
        obj = self.personer.get(navn) or Person(navn=navn)
        felter = {"titel": titel, "part": part}
        if bruger is not None:
            felter["bruger"] = self.brugere[bruger]
        self.personer[navn] = self._gem(obj, felter)
        self._set_personer.add(navn)
        return self.personer[navn]

    def medlem(self, person: Person, forum: Forum, rolle: str = Rolle.MEDLEM,
               repraesenterer: Part | None = None, valid_from: datetime.date = START) -> Medlemskab:
        """A seat from `valid_from` until its body ends (a cluster level's seat ends with the cluster)."""
        valid_to = forum.valid_to if forum.valid_to and forum.valid_to >= valid_from else None
        noegle = (person.pk, forum.pk, rolle, valid_from)
        obj = self.medlemskaber.get(noegle)
        if obj is None:
            obj = services.medlemskab_opret(person=person, forum=forum, rolle=rolle, bruger=None,
                                            repraesenterer=repraesenterer, valid_from=valid_from,
                                            valid_to=valid_to)
            self.oprettet["medlemskaber"] += 1
        else:
            obj = self._gem(obj, {"repraesenterer": repraesenterer, "valid_to": valid_to})
        self.medlemskaber[noegle] = obj
        return obj

    # users

    def _demo_hash(self) -> str:
        # One hash shared by every demo user: hashing is deliberately slow, and these are demo accounts
        # with a published password, so a per-user salt protects nothing here.
        if self._kodet is None:
            self._kodet = make_password(ADGANGSKODE)
        return self._kodet

    def _kode_virker(self, kodet: str) -> bool:
        if kodet not in self._kontrolleret:
            self._kontrolleret[kodet] = check_password(ADGANGSKODE, kodet)
        return self._kontrolleret[kodet]

    def brugere_opret(self) -> None:
        user_model = get_user_model()
        for navn in demobrugere():
            # Addresses under the reserved .invalid domain: demo e-mail (console) shows who would get it.
            felter = {"is_staff": navn in STAFF, "is_superuser": navn == "admin", "is_active": True,
                      "email": f"{navn}@demo.invalid"}
            user = self.brugere.get(navn)
            if user is None:
                user = user_model(username=navn, **felter)
                user.password = self._demo_hash()
                user.save()
                self.brugere[navn] = user
                self.oprettet["demobrugere"] += 1
                continue
            forskel = any(getattr(user, k) != v for k, v in felter.items())
            if forskel or not self._kode_virker(user.password):
                for k, v in felter.items():
                    setattr(user, k, v)
                if not self._kode_virker(user.password):
                    user.password = self._demo_hash()
                user.save()
                self.aendret["demobrugere"] += 1
        for navn in sorted(STAFF):
            if mfa.demo_enhed_saet(bruger=self.brugere[navn], noegle=DEMO_TOTP_NOEGLE):
                self.aendret["demobrugere"] += 1

    # the structure

    def indlaes(self) -> None:
        self.brugere_opret()
        self._parter()
        self._klynger()
        self._udvalg_og_styring()
        self._klyngefora()
        self._grupper()
        self._raad()
        self._sundhedsraad()
        self._moeder()

    def _parter(self) -> None:
        self.part(REGION, navn="Region Midtjylland", type=PartType.REGION, kortnavn="Region Midtjylland")
        for by in KOMMUNER:
            self.part(kommune_slug(by), navn=f"{by} Kommune", type=PartType.KOMMUNE, kortnavn=by)
        self.part(PLO, navn="PLO-Midtjylland", type=PartType.ALMEN_PRAKSIS, kortnavn="PLO-Midtjylland")
        for slug, navn, kort in HOSPITALER:
            self.part(slug, navn=navn, type=PartType.HOSPITAL, kortnavn=kort)
        self.part(PSYKIATRI, navn="Psykiatrien i Region Midtjylland", type=PartType.PSYKIATRI,
                  kortnavn="Psykiatrien")

    def _klynger(self) -> None:
        for k in KLYNGER:
            hospital = self.parter[k.hospital]
            byer = ", ".join(k.kommuner[:-1]) + f" og {k.kommuner[-1]}"
            beskrivelse = f"Sundhedsklyngen omkring {hospital.navn} med {byer} kommuner."
            if k.tidligere_navn:
                beskrivelse += f" Hed tidligere {k.tidligere_navn}."
            self.klynge(k.slug, [self.kommune(by) for by in k.kommuner], navn=k.navn, akuthospital=hospital,
                        beskrivelse=beskrivelse, tidligere_navn=k.tidligere_navn, valid_from=START,
                        valid_to=SIDSTE_DAG_2022_STRUKTUR)

    # seats (one Person each, named by role)

    def kommune(self, by: str) -> Part:
        return self.parter[kommune_slug(by)]

    def regionsraadsformand(self) -> Person:
        return self.person("Regionsrådsformand, Region Midtjylland", titel="Regionsrådsformand",
                           part=self.parter[REGION])

    def regionsraadsmedlem(self, nummer: int) -> Person:
        return self.person(f"Regionsrådsmedlem {nummer}, Region Midtjylland", titel="Regionsrådsmedlem",
                           part=self.parter[REGION])

    def kommunal_politiker(self, by: str) -> Person:
        """The mayor, or in Aarhus the alderman for health (fagborgmester), who sits in the clusters."""
        if by == "Aarhus":
            return self.person("Rådmand for Sundhed og Omsorg, Aarhus Kommune", titel="Rådmand",
                               part=self.kommune(by))
        return self.borgmester(by)

    def borgmester(self, by: str) -> Person:
        return self.person(f"Borgmester, {by} Kommune", titel="Borgmester", part=self.kommune(by))

    def sundhedsdirektoer(self, by: str) -> Person:
        return self.person(f"Sundhedsdirektør, {by} Kommune", titel="Sundhedsdirektør", part=self.kommune(by))

    def hospitalsdirektoer(self, slug: str) -> Person:
        hospital = self.parter[slug]
        return self.person(f"Hospitalsdirektør, {hospital.navn}", titel="Hospitalsdirektør", part=hospital)

    def konsulent(self, enhed: str, nummer: int | None, part: Part | None, bruger: str | None = None) -> Person:
        nr = f" {nummer}" if nummer else ""
        return self.person(f"Konsulent{nr}, {enhed}", titel="Konsulent", part=part, bruger=bruger)

    def _udvalg_og_styring(self) -> None:
        region, plo, psyk = self.parter[REGION], self.parter[PLO], self.parter[PSYKIATRI]
        nst = "Nære Sundhedstilbud, Region Midtjylland"
        # The committee and the steering bodies, as fora.toml describes them; then their members.
        for slug, felter in _toml("fora.toml").items():
            if felter.get("valid_to") == "reform":  # ends with the 2022 structure
                felter["valid_to"] = SIDSTE_DAG_2022_STRUKTUR
            self.forum(slug, **felter)
        udvalg, styregruppe = self.fora["sundhedssamarbejdsudvalget"], self.fora["sundhedsstyregruppen"]
        formandskab, sekretariat = self.fora["formandskab"], self.fora["faelles-sekretariat"]

        self.medlem(self.regionsraadsformand(), udvalg, Rolle.FORMAND, region)
        for nummer in (1, 2):
            self.medlem(self.regionsraadsmedlem(nummer), udvalg, Rolle.MEDLEM, region)
        for k in KLYNGER:
            rolle = Rolle.NAESTFORMAND if k.slug == UDVALG_NAESTFORMAND_KLYNGE else Rolle.MEDLEM
            self.medlem(self.kommunal_politiker(k.formandskommune), udvalg, rolle, self.kommune(k.formandskommune))

        koncerndirektoer = self.person("Koncerndirektør, Region Midtjylland", titel="Koncerndirektør", part=region)
        kommunaldirektoer = self.person(
            f"Kommunaldirektør, {KOSU_FORMANDSKOMMUNE} Kommune",
            titel="Kommunaldirektør, formand for Kommunernes Styregruppe på sundhedsområdet",
            part=self.kommune(KOSU_FORMANDSKOMMUNE),
        )
        self.medlem(koncerndirektoer, styregruppe, Rolle.FORMAND, region)
        self.medlem(kommunaldirektoer, styregruppe, Rolle.NAESTFORMAND, self.kommune(KOSU_FORMANDSKOMMUNE))
        for by in KOSU_KOMMUNER:
            self.medlem(self.sundhedsdirektoer(by), styregruppe, Rolle.MEDLEM, self.kommune(by))
        for slug, _navn, _kort in HOSPITALER:
            self.medlem(self.hospitalsdirektoer(slug), styregruppe, Rolle.MEDLEM, self.parter[slug])
        self.medlem(self.person("Direktør, Psykiatrien i Region Midtjylland", titel="Direktør", part=psyk),
                    styregruppe, Rolle.MEDLEM, psyk)
        self.medlem(self.person("Formand, PLO-Midtjylland", titel="Formand", part=plo), styregruppe, Rolle.MEDLEM, plo)
        self.medlem(self.person("Næstformand, PLO-Midtjylland", titel="Næstformand", part=plo), styregruppe,
                    Rolle.MEDLEM, plo)
        self.medlem(self.person(f"Vicedirektør, {nst}", titel="Vicedirektør", part=region, bruger="styregruppe"),
                    styregruppe, Rolle.MEDLEM, region)
        # "Sekretærer fra kommuner og region": the joint secretariat prepares the group's cases.
        kosu_sekretaer = self.konsulent("KOSU-sekretariatet", 1, None)
        nst_sekretaer = self.konsulent(nst, 1, region, bruger="sekretariat")
        self.medlem(kosu_sekretaer, styregruppe, Rolle.SEKRETAER)
        self.medlem(nst_sekretaer, styregruppe, Rolle.SEKRETAER, region)

        self.medlem(koncerndirektoer, formandskab, Rolle.FORMAND, region)
        self.medlem(kommunaldirektoer, formandskab, Rolle.NAESTFORMAND, self.kommune(KOSU_FORMANDSKOMMUNE))

        leder = self.kommune(SEKRETARIATSLEDER_KOMMUNE)
        self.medlem(self.sundhedsdirektoer(SEKRETARIATSLEDER_KOMMUNE), sekretariat, Rolle.FORMAND, leder)
        self.medlem(self.person(f"Chef, {nst}", titel="Chef", part=region), sekretariat, Rolle.NAESTFORMAND, region)
        self.medlem(kosu_sekretaer, sekretariat)
        self.medlem(self.konsulent("KOSU-sekretariatet", 2, None), sekretariat)
        self.medlem(self.konsulent("KKR Midtjylland", None, None), sekretariat)
        self.medlem(nst_sekretaer, sekretariat, Rolle.MEDLEM, region)
        self.medlem(self.konsulent(nst, 2, region), sekretariat, Rolle.MEDLEM, region)

    def _klyngefora(self) -> None:
        region, plo, psyk = self.parter[REGION], self.parter[PLO], self.parter[PSYKIATRI]
        udvalg = self.fora["sundhedssamarbejdsudvalget"]
        data = _toml("klyngefora.toml")

        def niveau(k: KlyngeData, navn: str, **felter) -> Forum:
            """One level of cluster `k`, its texts from klyngefora.toml filled in for the cluster."""
            tekster = data[navn]
            vaerdier = {"klynge": k.navn, "byer": ", ".join(f"{by} Kommune" for by in k.kommuner),
                        "hospital": self.parter[k.hospital].navn,
                        "formand": self.kommunal_politiker(k.formandskommune).navn}
            return self.forum(
                f"{k.slug}-{navn}", navn=tekster["navn"].format(**vaerdier), klynge=self.klynger[k.slug],
                overordnet=udvalg, formaal=data["formaal"] + "\n\n" + tekster["formaal"], opgaver=tekster["opgaver"],
                sammensaetning=tekster["sammensaetning"].format(**vaerdier), valid_to=SIDSTE_DAG_2022_STRUKTUR,
                **felter,
            )

        for i, k in enumerate(KLYNGER):
            hospital = self.parter[k.hospital]
            politisk = niveau(k, "politisk", type=ForumType.KLYNGE_POLITISK, sortering=20 + i)
            self.medlem(self.regionsraadsformand(), politisk, Rolle.NAESTFORMAND, region)
            for nummer in (2 * i + 1, 2 * i + 2):
                self.medlem(self.regionsraadsmedlem(nummer), politisk, Rolle.MEDLEM, region)
            for by in k.kommuner:
                rolle = Rolle.FORMAND if by == k.formandskommune else Rolle.MEDLEM
                self.medlem(self.kommunal_politiker(by), politisk, rolle, self.kommune(by))
            for nummer in (2 * i + 1, 2 * i + 2):
                laege = self.person(f"Praktiserende læge {nummer}, PLO-Midtjylland", titel="Praktiserende læge",
                                    part=plo)
                self.medlem(laege, politisk, Rolle.MEDLEM, plo)
            if k.slug == POLITISK_DEMOKLYNGE:
                kommune = self.kommune(k.formandskommune)
                sekretaer = self.person(f"Sekretær for {k.navn}s politiske niveau, {kommune.navn}",
                                        titel="Klyngesekretær",
                                        part=kommune, bruger=POLITISK_DEMOBRUGER)
                self.medlem(sekretaer, politisk, Rolle.SEKRETAER)

            administrativ = niveau(k, "administrativ", type=ForumType.KLYNGE_ADMINISTRATIV, sortering=25 + i)
            self.medlem(self.hospitalsdirektoer(k.hospital), administrativ, Rolle.MEDLEM, hospital)
            self.medlem(self.person(f"Ledelsesrepræsentant for {k.navn}, Psykiatrien i Region Midtjylland",
                                    titel="Ledelsesrepræsentant", part=psyk), administrativ, Rolle.MEDLEM, psyk)
            self.medlem(self.person(f"Repræsentant for {k.navn}, Nære Sundhedstilbud, Region Midtjylland",
                                    titel="Klyngerepræsentant", part=region, bruger=k.demobruger),
                        administrativ, Rolle.MEDLEM, region)
            self.medlem(self.person(f"Praktiserende læge for {k.navn}, PLO-Midtjylland", titel="Praktiserende læge",
                                    part=plo), administrativ, Rolle.MEDLEM, plo)
            for by in k.kommuner:
                self.medlem(self.sundhedsdirektoer(by), administrativ, Rolle.MEDLEM, self.kommune(by))

    def _grupper(self) -> None:
        region, psyk = self.parter[REGION], self.parter[PSYKIATRI]
        styregruppe = self.fora["sundhedsstyregruppen"]
        kosu_sekretaer = self.personer["Konsulent 2, KOSU-sekretariatet"]
        nst_sekretaer = self.personer["Konsulent 2, Nære Sundhedstilbud, Region Midtjylland"]
        data = _toml("grupper.toml")
        felles = data["temagrupper"]
        temagrupper = [GruppeData(**{**g, "ekstra_opgaver": tuple(g.get("ekstra_opgaver", ()))})
                       for g in data["temagruppe"]]
        for i, g in enumerate(temagrupper):
            formaal = g.formaal + "\n\n" + felles["formaal"] if g.formaal else felles["formaal"]
            if g.tvaergaaende:
                formaal += "\n\n" + felles["tvaergaaende_formaal"]
            forum = self.forum(
                g.slug, navn=g.navn, type=g.type, overordnet=styregruppe, formaal=formaal,
                opgaver=[*felles["opgaver"], *g.ekstra_opgaver], sammensaetning=felles["sammensaetning"],
                sortering=40 + i, foelger_indikatorer=g.foelger_indikatorer,
            )
            # Shared chairmanship: a municipal chair and a regional co-chair; every cluster represented,
            # alternately by one of its municipalities and by its hospital (or psychiatry).
            formandskommune = self.kommune(KOMMUNER[(i * 7 + 12) % len(KOMMUNER)])
            regional = psyk if g.psykiatri else region
            self.medlem(self.person(f"Formand for {g.betegnelse}, {formandskommune.navn}", titel="Formand",
                                    part=formandskommune,
                                    bruger="temagruppe-forebyggelse" if g.slug == "temagruppe-forebyggelse" else None),
                        forum, Rolle.FORMAND, formandskommune)
            self.medlem(self.person(f"Medformand for {g.betegnelse}, {regional.navn}", titel="Medformand",
                                    part=regional), forum, Rolle.NAESTFORMAND, regional)
            for j, k in enumerate(KLYNGER):
                if (i + j) % 2 == 0:
                    part = self.kommune(k.kommuner[i % len(k.kommuner)])
                else:
                    part = psyk if g.psykiatri else self.parter[k.hospital]
                self.medlem(self.person(f"Repræsentant for {k.navn} i {g.betegnelse}, {part.navn}",
                                        titel="Klyngerepræsentant", part=part), forum, Rolle.MEDLEM, part)
            self.medlem(kosu_sekretaer, forum, Rolle.SEKRETAER)
            self.medlem(nst_sekretaer, forum, Rolle.SEKRETAER, region)

        for i, g in enumerate(data["arbejdsgruppe"]):
            self.forum(g["slug"], navn=g["navn"], type=ForumType.ARBEJDSGRUPPE, overordnet=styregruppe,
                       formaal=g["formaal"], sortering=50 + i)

        forloeb = data["forloebsprogramgrupper"]
        for i, (slug, sygdom) in enumerate(forloeb["sygdomme"].items()):
            self.forum(
                f"forloebsprogramgruppe-{slug}", navn=forloeb["navn"].format(sygdom=sygdom),
                type=ForumType.FORLOEBSPROGRAMGRUPPE, overordnet=styregruppe,
                formaal=forloeb["formaal"].format(sygdom=sygdom),
                opgaver=[opgave.format(sygdom=sygdom) for opgave in forloeb["opgaver"]],
                kommissorium=forloeb["kommissorium"], sortering=60 + i,
            )

    def _raad(self) -> None:
        region = self.parter[REGION]
        data = _toml("raad.toml")
        regionsraadet = self.forum(
            "regionsraadet", navn=data["regionsraadet"]["navn"], type=ForumType.REGIONSRAAD, part=region,
            formaal=data["regionsraadet"]["formaal"], opgaver=data["opgaver"], sortering=90,
        )
        self.medlem(self.regionsraadsformand(), regionsraadet, Rolle.FORMAND, region)
        for nummer in range(1, REGIONSRAADSMEDLEMMER + 1):
            self.medlem(self.regionsraadsmedlem(nummer), regionsraadet, Rolle.MEDLEM, region)
        self.medlem(self.person("Regionssekretariatet, Region Midtjylland", titel="Sekretariat", part=region,
                                bruger="region"), regionsraadet, Rolle.SEKRETAER, region)

        kommunalbestyrelse = data["kommunalbestyrelse"]
        for i, by in enumerate(KOMMUNER):
            kommune = self.kommune(by)
            tekster = {**kommunalbestyrelse, **kommunalbestyrelse["undtagelser"].get(by, {})}
            navn = tekster["navn"].format(kommune=kommune.navn)
            raad = self.forum(
                f"kommunalbestyrelsen-{kommune.slug}", navn=navn, type=ForumType.KOMMUNALBESTYRELSE, part=kommune,
                formaal=tekster["formaal"].format(navn=navn, kommune=kommune.navn), opgaver=data["opgaver"],
                sortering=91 + i,
            )
            self.medlem(self.borgmester(by), raad, Rolle.FORMAND, kommune)
            if by == "Aarhus":
                self.medlem(self.kommunal_politiker(by), raad, Rolle.MEDLEM, kommune)
            self.medlem(self.person(f"{tekster['sekretariat']}, {kommune.navn}", titel="Sekretariat", part=kommune,
                                    bruger=f"kommune-{kommune.slug}"), raad, Rolle.SEKRETAER, kommune)

    def _sundhedsraad(self) -> None:
        """The five sundhedsråd: each an area (a Klynge row of art `sundhedsraad`, the successor of its
        cluster) and a forum of type `sundhedsraad` (the successor of the cluster's two levels), with
        members named by role: one municipal member per municipality, one more regional member than
        municipal, the chair and deputy chair from the regional council."""
        region = self.parter[REGION]
        forberedende = REFORM["forberedende_fra"]
        naeste_regionsmedlem = 2 * len(KLYNGER) + 1  # the clusters' regional seats are 1-10
        demobruger = {k.slug: k for k in KLYNGER}
        for i, r in enumerate(REFORM["raad"]):
            byer = r["kommuner"]
            kommuner = [self.kommune(by) for by in byer]
            hospital = self.parter[r["hospital"]]
            klynge = self.klynger[r["forgaenger"]]
            omraade = self.klynge(
                r["slug"], kommuner, navn=r["navn"], akuthospital=hospital, art=KlyngeArt.SUNDHEDSRAAD,
                beskrivelse=f"{r['navn']}s område: {', '.join(byer[:-1])} og {byer[-1]} kommuner omkring "
                            f"{hospital.navn}. Afløser {klynge.navn} pr. 1. januar {REFORMDATO.year}.",
                tidligere_navn="", valid_from=REFORMDATO, valid_to=None,
            )
            raad = self.forum(
                r["slug"], navn=r["navn"], type=ForumType.SUNDHEDSRAAD, klynge=omraade,
                formaal=REFORM["formaal"], opgaver=REFORM["opgaver"],
                sammensaetning=REFORM["sammensaetning"].format(byer=", ".join(byer)),
                sortering=15 + i, valid_from=REFORMDATO, forberedende_fra=forberedende,
            )
            regionale = range(naeste_regionsmedlem, naeste_regionsmedlem + len(byer) + 1)
            naeste_regionsmedlem += len(byer) + 1
            for j, nummer in enumerate(regionale):
                rolle = {0: Rolle.FORMAND, 1: Rolle.NAESTFORMAND}.get(j, Rolle.MEDLEM)
                self.medlem(self.regionsraadsmedlem(nummer), raad, rolle, region, valid_from=forberedende)
            for by in byer:
                self.medlem(self.kommunal_politiker(by), raad, Rolle.MEDLEM, self.kommune(by),
                            valid_from=forberedende)
            # The cluster's demo user serves the council's secretariat once it is in force.
            k = demobruger[r["forgaenger"]]
            self.medlem(self.personer[f"Repræsentant for {k.navn}, Nære Sundhedstilbud, Region Midtjylland"],
                        raad, Rolle.SEKRETAER, region, valid_from=REFORMDATO)
            self.efterfoelgere(klynge, [omraade])
            for niveau in ("politisk", "administrativ"):
                self.efterfoelgere(self.fora[f"{k.slug}-{niveau}"], [raad])

    # meetings (issue 11): a year of them, at the frequencies the seeds give

    def _moeder(self) -> None:
        """2026's meetings of the committee, the steering group, formandskabet and each cluster level:
        held ones with agenda and minutes, the coming ones planned or with their agenda out, one cancelled.
        A meeting is known by (forum, start); one that exists is left as it is (people may have edited
        it), so a second run writes nothing."""
        from organisation.models import Dagsordenpunkt, Moede, MoedeStatus

        eksisterende = {(m.forum_id, m.start) for m in Moede.objects.all()}
        nu = timezone.now()
        fora = [self.fora[slug] for slug, _ in MOEDE_FORA]
        for k in KLYNGER:
            fora += [self.fora[f"{k.slug}-{niveau}"] for niveau in ("politisk", "administrativ")]
        for nr, forum in enumerate(fora):
            sted = moedested(forum, self.parter)
            antal = _antal_moeder(forum.moedefrekvens)
            for i in range(antal):
                maaned = int((i + 1) * 12 / antal)
                start, slut = moedetid(forum, datetime.date(DEMOAAR, maaned, 8 + (nr * 3 + i) % 14))
                if (forum.pk, start) in eksisterende:
                    continue
                felter = {"forum": forum, "start": start, "slut": slut, "sted": sted,
                          "titel": "Ordinært møde", "status": MoedeStatus.PLANLAGT}
                if slut < nu:
                    felter.update(status=MoedeStatus.REFERAT,
                                  dagsorden_offentliggjort=start - datetime.timedelta(days=7),
                                  referat_offentliggjort=min(nu, start + datetime.timedelta(days=5)))
                elif start - nu < datetime.timedelta(days=21):
                    felter.update(status=MoedeStatus.DAGSORDEN,
                                  dagsorden_offentliggjort=min(nu, start - datetime.timedelta(days=7)))
                if forum.type == ForumType.FORMANDSKAB and i == 1:
                    felter.update(status=MoedeStatus.AFLYST, titel="Ordinært møde (aflyst)",
                                  dagsorden_offentliggjort=start - datetime.timedelta(days=7),
                                  referat_offentliggjort=None)
                felter["oprettet"] = felter["opdateret"] = min(nu, start - datetime.timedelta(days=30))
                moede = self._gem(Moede(), felter)
                med_referat = moede.status == MoedeStatus.REFERAT
                for nummer, (titel, aaben, sagsfremstilling, indstilling, beslutning) in enumerate(
                        _dagsorden(forum, i), start=1):
                    self._gem(Dagsordenpunkt(), {
                        "moede": moede, "nummer": nummer, "titel": titel, "aaben": aaben,
                        "sagsnummer": f"1-30-72-{nr + 1:02d}-{i + 1:02d}-{nummer}-26",
                        "sagsfremstilling": sagsfremstilling, "indstilling": indstilling,
                        "beslutning": beslutning if med_referat else "",
                        "fravaerende": "Ingen." if med_referat else "",
                    })

    def opsummering(self) -> str:
        antal = (
            f"{len(self.parter)} parter, {len(self.klynger)} klynger, {len(self.fora)} fora, "
            f"{len(self.personer)} personer, {len(self.medlemskaber)} medlemskaber, {len(self.brugere)} demobrugere"
        )
        oprettet = sum(self.oprettet.values())
        aendret = sum(self.aendret.values())
        if not oprettet and not aendret:
            return f"Organisation: {antal}. Intet at ændre."
        return f"Organisation: {antal}. Oprettet {oprettet}, ændret {aendret}."


def reform(*, stdout=None) -> None:
    """Run the 2027 structure change through the service, once (after the agreements are loaded, so
    their implementation rows carry over): the clusters' rows continue under the sundhedsråd."""
    from organisation.models import Ophoer
    from organisation.strukturaendring import Afloesning, strukturaendring_udfoer

    klynger = {k.slug: k for k in Klynge.objects.filter(slug__in=[r["forgaenger"] for r in REFORM["raad"]])}
    if Ophoer.objects.filter(klynge__in=klynger.values()).exists():
        if stdout is not None:
            stdout.write("Strukturændring 2027: allerede gennemført.")
        return
    fora = {f.slug: f for f in Forum.objects.all()}
    omraader = {k.slug: k for k in Klynge.objects.filter(slug__in=[r["slug"] for r in REFORM["raad"]])}
    afloesninger = [Afloesning(fora["sundhedssamarbejdsudvalget"])]
    for r in REFORM["raad"]:
        afloesninger.append(Afloesning(klynger[r["forgaenger"]], (omraader[r["slug"]],)))
        for niveau in ("politisk", "administrativ"):
            afloesninger.append(Afloesning(fora[f"{r['forgaenger']}-{niveau}"], (fora[r["slug"]],)))
    aendring = strukturaendring_udfoer(dato=REFORMDATO, afloesninger=afloesninger, bruger=None,
                                       beskrivelse=REFORM["beskrivelse"])
    if stdout is not None:
        antal = sum(len(v["linjer"]) for v in aendring.plan["videreforsler"])
        stdout.write(f"Strukturændring 2027 gennemført: {len(afloesninger)} organer afløst, {antal} rækker videreført.")


def indlaes(*, stdout=None) -> None:
    """Load (or bring up to date) the structure of Region Midtjylland and the demo users."""
    with transaction.atomic():
        koersel = _Indlaesning()
        koersel.indlaes()
    if stdout is not None:
        stdout.write(koersel.opsummering())
        stdout.write(
            f"Engangskode (totrinsbekræftelse) for {' og '.join(sorted(STAFF))} lige nu: "
            f"{mfa.kode_nu(DEMO_TOTP_NOEGLE)}. Den skifter hvert 30. sekund; få den igen med "
            "`python manage.py totp sekretariat`."
        )
