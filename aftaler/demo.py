"""Demo data for agreements: the 2019-2023 health agreement and example collaboration agreements.

The data lives in aftaler/demodata/ (TOML, and Markdown for the agreements' texts; its README.md
describes the files); this module reads it and loads it. The health agreement (visions, areas of
effort, shared goals and the national goals) is taken from seed 002 and is reference data: there is
no service for it, so it is compared and saved directly here. Everything about collaboration
agreements, pilots, consultation answers, decisions and implementation goes through
aftaler.services, acting as the demo user who would do it in real life: `sekretariat` drafts and
runs transitions, `temagruppe-forebyggelse` drafts its group's agreement, `kommune-<slug>` and
`region` record their council's decision, `klynge-<x>` record pilots, consultation answers and
implementation. Permissions are checked exactly as for those users.

The agreements are invented for the demo (titles from the region's practice, texts written for
it), spread over every state of the lifecycle. Dates: finished stories have fixed dates in
2019-2024; stories still under way are dated relative to today (weekdays only), so the data stays
valid whenever the command runs: decisions never lie in the future or before the recommendation,
and consultation deadlines lie ahead.

Idempotent: an agreement (or pilot) whose slug exists is skipped as a whole, so a second run
creates nothing and writes no audit rows.
"""

from __future__ import annotations

import datetime
import re
import tomllib
import zlib
from collections import Counter
from html import escape
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aftaler import services
from aftaler.choices import Beslutning, ImplementeringStatus, Omfang, Oprindelse, Status, Udfald
from aftaler.models import (
    Indsatsomraade,
    Maalsaetning,
    Proevehandling,
    Samarbejdsaftale,
    Sundhedsaftale,
)
from aftaler.selectors import fremdrift
from aftaler.workflow import Handling
from organisation import services as organisation_services
from organisation.demo import DEMOAAR, KLYNGER, REGION, moedested, moedetid
from organisation.models import Dagsordenpunkt, Forum, Klynge, Moede, MoedeStatus, Part
from sundhed import dansk
from sundhed.text import dansk_slug

GODKENDT = Beslutning.GODKENDT
# The committee's dealings (besides its recommendations, which always are) are items on its agenda.
MOEDEPUNKT_FORA = {"sundhedssamarbejdsudvalget"}
DEMODATA = Path(__file__).resolve().parent / "demodata"
AFTALER = DEMODATA / "aftaler"


def _toml(sti: Path) -> dict:
    with sti.open("rb") as fil:
        return tomllib.load(fil)


# --- agreement texts ------------------------------------------------------------------------------


def html(tekst: str) -> str:
    """An agreement body from its Markdown file, as the editor would store it.

    Only the Markdown the texts use: `##` and `###` headings, paragraphs and `- ` bulleted lists,
    blocks separated by a blank line. A line break inside a paragraph or an item is a space.
    """
    dele = []
    for blok in re.split(r"\n[ \t]*\n", tekst.strip()):
        linjer = [linje.strip() for linje in blok.splitlines()]
        if linjer[0].startswith("#"):
            niveau, _, overskrift = linjer[0].partition(" ")
            if niveau not in ("##", "###") or len(linjer) > 1:
                raise ValueError(f"Kun ##- og ###-overskrifter, hver i sin egen blok: {linjer[0]!r}")
            dele.append(f"<h{len(niveau)}>{escape(overskrift, quote=False)}</h{len(niveau)}>")
        elif linjer[0].startswith("- "):
            punkter: list[str] = []
            for linje in linjer:
                if linje.startswith("- "):
                    punkter.append(linje[2:])
                else:
                    punkter[-1] += " " + linje
            dele.append("<ul>" + "".join(f"<li>{escape(punkt, quote=False)}</li>" for punkt in punkter) + "</ul>")
        else:
            dele.append(f"<p>{escape(' '.join(linjer), quote=False)}</p>")
    return "\n".join(dele)


# --- decisions: case numbers, minutes links ---------------------------------------------------------

# Municipal web domains (www.<domæne>); the minutes links are illustrative and never fetched.
DOMAENER = {"ringkoebing-skjern": "rksk.dk", REGION: "rm.dk"}


def dansk_dato(dato: datetime.date) -> str:
    return dansk.dato(dato)


def hverdag(dato: datetime.date) -> datetime.date:
    """The same day, or the Friday before if it falls in a weekend."""
    return dato - datetime.timedelta(days=max(0, dato.weekday() - 4))


def sagsnummer(part_slug: str, aftale_slug: str, dato: datetime.date) -> str:
    nummer = 1000 + zlib.crc32(f"{part_slug}/{aftale_slug}".encode()) % 89000
    return f"{dato:%y}/{nummer:05d}"


def referat_url(part_slug: str) -> str:
    return f"https://www.{DOMAENER.get(part_slug, part_slug + '.dk')}/politik/referater"


def _spred(start: datetime.date, slut: datetime.date, antal: int) -> list[datetime.date]:
    """`antal` weekdays spread evenly from `start` to `slut`, in order."""
    if antal == 1:
        return [slut]
    dage = (slut - start).days
    return sorted(max(start, hverdag(start + datetime.timedelta(days=round(dage * i / (antal - 1)))))
                  for i in range(antal))


# --- loading --------------------------------------------------------------------------------------


class _Indlaesning:
    def __init__(self) -> None:
        self.idag = timezone.localdate()
        user_model = get_user_model()
        self.brugere = {u.username: u for u in user_model.objects.all()}
        self.fora = {f.slug: f for f in Forum.objects.all()}
        self.parter = {p.slug: p for p in Part.objects.all()}
        self.klynger = {k.slug: k for k in Klynge.objects.all()}
        self.klyngebrugere = {k.slug: k.demobruger for k in KLYNGER}
        self.omraader: dict[str, Indsatsomraade] = {}
        self.eksisterende = set(Samarbejdsaftale.objects.values_list("slug", flat=True))
        self.eksisterende_ph = {p.slug: p for p in Proevehandling.objects.all()}
        self.oprettet: Counter[str] = Counter()
        self.aendret: Counter[str] = Counter()
        self.titel = ""

    # helpers

    def dag(self, dage: int) -> datetime.date:
        """A weekday `dage` days from today (negative: in the past), never after today if in the past."""
        dato = hverdag(self.idag + datetime.timedelta(days=dage))
        return min(dato, self.idag) if dage <= 0 else max(dato, self.idag + datetime.timedelta(days=1))

    def dato(self, vaerdi: datetime.date | int) -> datetime.date:
        """A date from the data: a fixed date, or a number of days from today (see `dag`)."""
        if isinstance(vaerdi, datetime.date):
            return vaerdi
        if isinstance(vaerdi, int) and not isinstance(vaerdi, bool):
            return self.dag(vaerdi)
        raise ValueError(f"En dato er en TOML-dato eller et antal dage fra i dag, ikke {vaerdi!r}.")

    @property
    def sek(self):
        return self.brugere["sekretariat"]

    def _frisk(self, aftale: Samarbejdsaftale) -> Samarbejdsaftale:
        return Samarbejdsaftale.objects.get(pk=aftale.pk)

    def findes(self, titel: str) -> bool:
        return dansk_slug(titel)[:100] in self.eksisterende

    def _felter(self, felter: dict) -> dict:
        """An agreement's fields from the data: slugs become the objects, `{dag -n}` a Danish date."""
        felter = dict(felter)
        for navn, opslag in (("ejer_forum", self.fora), ("indsatsomraade", self.omraader), ("klynge", self.klynger)):
            if navn in felter:
                felter[navn] = opslag[felter[navn]]
        for navn, valg in (("omfang", Omfang), ("oprindelse", Oprindelse)):
            if navn in felter:
                felter[navn] = valg(felter[navn])
        if "oprindelse_reference" in felter:
            felter["oprindelse_reference"] = re.sub(
                r"\{dag (-?\d+)\}", lambda m: dansk_dato(self.dag(int(m[1]))), felter["oprindelse_reference"])
        return felter

    def opret(self, titel: str, tekst: str, *, note: str, bruger=None, **felter) -> Samarbejdsaftale:
        aftale = services.aftale_opret(bruger=bruger or self.sek, titel=titel, tekst=tekst, aendringsnote=note,
                                       **self._felter(felter))
        self.eksisterende.add(aftale.slug)
        self.oprettet["samarbejdsaftaler"] += 1
        return aftale

    def version(self, aftale, tekst: str, note: str, bruger=None) -> None:
        grundlag = type(aftale).objects.values_list("aktuel_version__nummer", flat=True).get(pk=aftale.pk)
        services.version_opret(aftale=aftale, bruger=bruger or self.sek, tekst=tekst, aendringsnote=note,
                               grundlag=grundlag)

    def behandling(self, aftale, forum: str, dato: datetime.date, udfald: str, note: str = "") -> None:
        services.behandling_registrer(aftale=aftale, bruger=self.sek, forum=self.fora[forum], dato=dato,
                                      udfald=udfald, note=note)

    def overgang(self, aftale, handling: str, note: str = "", **data) -> None:
        if isinstance(data.get("forum"), str):
            data["forum"] = self.fora[data["forum"]]
        services.aftale_overgang(aftale=aftale, bruger=self.sek, handling=handling, note=note, **data)

    def indstil(self, aftale, *, dato: datetime.date, frist: datetime.date, forum="sundhedssamarbejdsudvalget",
                note: str = "") -> None:
        """The recommendation, recorded from the item about the agreement on the recommending body's agenda
        that day (aftaler.services.punkt_udfald_registrer, as the secretariat does it in the portal): the
        agreement's Behandling `anbefalet` and its transition to `indstillet` link to the item."""
        forum_obj = self.fora[forum]
        note = note or f"Anbefalet på {forum_obj.navn}s møde {dansk_dato(dato)}."
        punkt = self.moedepunkt(aftale, forum_obj, dato, udfald=Udfald.ANBEFALET, frist=frist)
        services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, bruger=self.sek, udfald=Udfald.ANBEFALET,
                                        note=note, beslutningsfrist=frist)
        if self._frisk(aftale).status != Status.INDSTILLET:
            # The item's outcome is a recommendation only from a body that may recommend the agreement that day.
            raise ValueError(f"{aftale.slug}: {forum} kan ikke indstille aftalen {dato}.")

    # meetings: the items about the agreements (organisation/demo.py loads the year of meetings itself)

    def moedepunkt(self, aftale, forum: Forum, dato: datetime.date, *, udfald: str,
                   frist: datetime.date | None = None) -> Dagsordenpunkt:
        """An item about `aftale` on `forum`'s agenda on `dato`, with agenda and minutes published: on that
        day's meeting if the forum has one (before "Eventuelt"), else on a meeting held for it, called
        "Ekstraordinært møde" in the demo year so the year's ordinary meetings keep the seeds' frequencies.
        Written like organisation/demo.py's meetings (organisation.services.struktur_gem, the system acting);
        the outcome is then recorded through the agreement's service."""
        start, slut = moedetid(forum, dato)
        moede = Moede.objects.filter(forum=forum, start__date=dato).order_by("start").first()
        if moede is None:
            moede = self._struktur(Moede(
                forum=forum, start=start, slut=slut, sted=moedested(forum, self.parter),
                titel="Ekstraordinært møde" if dato.year == DEMOAAR else "Ordinært møde",
                status=MoedeStatus.REFERAT, dagsorden_offentliggjort=start - datetime.timedelta(days=7),
                referat_offentliggjort=start + datetime.timedelta(days=5), oprettet=start - datetime.timedelta(days=30),
                opdateret=start + datetime.timedelta(days=5)))
            self._struktur(Dagsordenpunkt(moede=moede, nummer=1, titel="Godkendelse af dagsorden",
                                          indstilling="Det indstilles, at dagsordenen godkendes.",
                                          beslutning="Godkendt." if moede.status == MoedeStatus.REFERAT else ""))
            self._struktur(Dagsordenpunkt(moede=moede, nummer=2, titel="Eventuelt",
                                          beslutning="Intet." if moede.status == MoedeStatus.REFERAT else ""))
        punkter = list(moede.punkter.order_by("nummer"))
        nummer = (punkter[-1].nummer + 1) if punkter else 1
        if punkter and punkter[-1].titel == "Eventuelt":
            eventuelt = punkter[-1]
            eventuelt.nummer, nummer = nummer, eventuelt.nummer
            self._struktur(eventuelt)
        referat = moede.status == MoedeStatus.REFERAT
        if udfald == Udfald.ANBEFALET:
            indstilling = (f"Det indstilles, at {forum.navn} anbefaler aftalen over for kommunalbestyrelserne og "
                           f"regionsrådet{f' med svarfrist {dansk_dato(frist)}' if frist else ''}.")
            beslutning = "<p>Anbefalet som indstillet.</p>"
        else:
            indstilling = f"Det indstilles, at {forum.navn} drøfter udkastet."
            beslutning = f"<p>{escape(Udfald(udfald).label)}.</p>"
        return self._struktur(Dagsordenpunkt(
            moede=moede, nummer=nummer, titel=aftale.titel, aaben=True,
            sagsnummer=sagsnummer(forum.slug, aftale.slug, dato),
            sagsfremstilling=(f"<p>Udkastet til <strong>{escape(aftale.titel, quote=False)}</strong> forelægges "
                              f"{escape(forum.navn, quote=False)}.</p><p>Aftaleteksten og forløbet står på "
                              "aftalens side i portalen.</p>"),
            indstilling=f"<p>{escape(indstilling, quote=False)}</p>",
            beslutning=beslutning if referat else "", fravaerende="Ingen." if referat else ""))

    def _struktur(self, obj):
        organisation_services.struktur_gem(obj=obj, bruger=None)
        self.oprettet[obj._meta.verbose_name_plural] += 1
        return obj

    def beslut(self, aftale, part: str, beslutning: str, dato: datetime.date, bemaerkning: str = "") -> None:
        bruger = self.brugere["region" if part == REGION else f"kommune-{part}"]
        services.godkendelse_registrer(
            aftale=aftale, part=self.parter[part], bruger=bruger, beslutning=beslutning, dato=dato,
            sagsnummer=sagsnummer(part, aftale.slug, dato), referat_url=referat_url(part), bemaerkning=bemaerkning,
        )
        self.oprettet["beslutninger"] += 1

    def godkend_resten(self, aftale, start: datetime.date, slut: datetime.date,
                       bemaerkninger: dict[str, str] | None = None, undtagen=()) -> None:
        """Every required party without a final decision approves, spread over [start, slut], region last."""
        bemaerkninger = bemaerkninger or {}
        mangler = [ps.part.slug for ps in fremdrift(self._frisk(aftale)).parter
                   if ps.endelig is None and ps.part.slug not in undtagen]
        mangler.sort(key=lambda slug: (slug == REGION, zlib.crc32(slug.encode())))
        for slug, dato in zip(mangler, _spred(start, slut, len(mangler)), strict=True):
            self.beslut(aftale, slug, GODKENDT, dato, bemaerkninger.get(slug, ""))

    def implementering(self, aftale, status: dict[str, tuple[str, str]]) -> None:
        # The service checks the state on the object it is given (it does not re-read it): pass a fresh one.
        aftale = self._frisk(aftale)
        for klynge, (tilstand, note) in status.items():
            services.implementering_opdater(aftale=aftale, klynge=self.klynger[klynge],
                                            bruger=self.brugere[self.klyngebrugere[klynge]], status=tilstand,
                                            note=note)

    def hoeringssvar(self, aftale, svar: list[tuple[str, str]]) -> None:
        """(afsender: a municipality's or cluster's slug, or the region; text) answered by its demo user."""
        for afsender, tekst in svar:
            if afsender in self.klynger:
                bruger, obj = self.brugere[self.klyngebrugere[afsender]], self.klynger[afsender]
            else:
                bruger = self.brugere["region" if afsender == REGION else f"kommune-{afsender}"]
                obj = self.parter[afsender]
            services.hoeringssvar_afgiv(aftale=aftale, bruger=bruger, afsender=obj,
                                        tekst=f"<p>{escape(tekst, quote=False)}</p>")
            self.oprettet["høringssvar"] += 1

    def proevehandling(self, titel: str, klynge: str, **felter) -> Proevehandling:
        eksisterende = self.eksisterende_ph.get(dansk_slug(titel)[:100])
        if eksisterende is not None:
            return eksisterende
        felter = {navn: self.dato(v) if navn.startswith("periode_") else v for navn, v in felter.items()}
        ph = services.proevehandling_gem(bruger=self.brugere[self.klyngebrugere[klynge]],
                                         klynge=self.klynger[klynge], titel=titel, **felter)
        self.eksisterende_ph[ph.slug] = ph
        self.oprettet["prøvehandlinger"] += 1
        return ph

    # the health agreement: reference data without a service, compared and saved directly

    def _gem(self, obj, felter: dict):
        ny = obj.pk is None
        forskel = ny or any(getattr(obj, k) != v for k, v in felter.items())
        if forskel:
            for k, v in felter.items():
                setattr(obj, k, v)
            obj.save()
            (self.oprettet if ny else self.aendret)[obj._meta.verbose_name_plural] += 1
        return obj

    def sundhedsaftale(self) -> None:
        data = _toml(DEMODATA / "sundhedsaftale.toml")
        self.titel = data["titel"]
        aftale = Sundhedsaftale.objects.filter(slug=data["slug"]).first() or Sundhedsaftale(slug=data["slug"])
        aftale = self._gem(aftale, {
            "titel": data["titel"], "periode_fra": data["periode_fra"], "periode_til": data["periode_til"],
            "visioner": "\n".join(f"{v['overskrift']}: {v['tekst']}" for v in data["visioner"]),
            "beskrivelse": data["beskrivelse"],
        })
        slugs = [o["slug"] for o in data["indsatsomraader"]]
        omraader = {o.slug: o for o in Indsatsomraade.objects.filter(slug__in=slugs)}
        maal = {(m.indsatsomraade_id, m.national, m.sortering): m
                for m in Maalsaetning.objects.filter(sundhedsaftale=aftale)}
        for i, o in enumerate(data["indsatsomraader"], start=1):
            omraade = self._gem(omraader.get(o["slug"]) or Indsatsomraade(slug=o["slug"]), {
                "sundhedsaftale_id": aftale.pk, "navn": o["navn"], "fokus": o["fokus"],
                "beskrivelse": o["beskrivelse"], "sortering": i,
            })
            self.omraader[o["slug"]] = omraade
            for j, tekst in enumerate(o["maalsaetninger"], start=1):
                obj = maal.get((omraade.pk, False, j)) or Maalsaetning(
                    sundhedsaftale=aftale, indsatsomraade=omraade, national=False, sortering=j)
                self._gem(obj, {"tekst": tekst})
        for j, tekst in enumerate(data["nationale_maal"], start=1):
            obj = maal.get((None, True, j)) or Maalsaetning(sundhedsaftale=aftale, national=True, sortering=j)
            self._gem(obj, {"tekst": tekst})

    # the collaboration agreements: each file's story, step by step (demodata/README.md)

    def aftaler(self) -> None:
        eksempler = _toml(DEMODATA / "eksempler.toml")
        filer = {sti.stem for sti in AFTALER.glob("*.toml")}
        if filer != set(eksempler["aftaler"]):
            raise ValueError(f"eksempler.toml og {AFTALER} svarer ikke til hinanden: "
                             f"{sorted(filer.symmetric_difference(eksempler['aftaler']))}")
        for slug in eksempler["aftaler"]:
            self.aftale(slug)
        for felter in eksempler.get("proevehandlinger", []):
            self.proevehandling(**felter)

    def tekst(self, slug: str, nummer: int) -> str:
        """Version `nummer`'s body, as HTML."""
        return html((AFTALER / f"{slug}.v{nummer}.md").read_text(encoding="utf-8"))

    def aftale(self, slug: str) -> None:
        """The agreement in aftaler/<slug>.toml with its pilot and story, unless it exists."""
        data = _toml(AFTALER / f"{slug}.toml")
        titel = data.pop("titel")
        if dansk_slug(titel)[:100] != slug:
            raise ValueError(f"{slug}.toml: filnavnet skal være titlens slug, {dansk_slug(titel)[:100]!r}.")
        if self.findes(titel):
            return
        forloeb = data.pop("forloeb", [])
        ph = None
        if "proevehandling" in data:
            ph_data = dict(data.pop("proevehandling"))
            praesenteret = ph_data.pop("praesenteret", None)
            ph = self.proevehandling(**ph_data)
            if praesenteret is not None and not ph.praesenteret_dato:
                ph = services.proevehandling_praesenteret(proevehandling=ph, bruger=self.sek,
                                                          dato=self.dato(praesenteret))
        if data.pop("fra_proevehandling", False):
            if data:
                raise ValueError(f"{slug}.toml: en aftale fra en prøvehandling får sine felter i et gem-trin, "
                                 f"ikke {sorted(data)}.")
            a = services.aftale_fra_proevehandling(proevehandling=ph, bruger=self.sek, titel=titel)
            self.eksisterende.add(a.slug)
            self.oprettet["samarbejdsaftaler"] += 1
        else:
            if ph is not None:
                data["proevehandling"] = ph
            bruger = data.pop("bruger", None)
            a = self.opret(titel, self.tekst(slug, 1), note=data.pop("note"),
                           bruger=self.brugere[bruger] if bruger else None, **data)
        self.forloeb(a, slug, forloeb)

    def forloeb(self, a: Samarbejdsaftale, slug: str, forloeb: list[dict]) -> None:
        """The agreement's `[[forloeb]]` steps in order, each through the helper above that does it."""
        nummer = 1  # the version the story has reached; its text is <slug>.v<nummer>.md
        for i, trin in enumerate(forloeb, start=1):
            t = dict(trin)
            match t.pop("trin"):
                case "behandling" if t.get("forum") in MOEDEPUNKT_FORA:
                    forum, dato, udfald = self.fora[t.pop("forum")], self.dato(t.pop("dato")), Udfald(t.pop("udfald"))
                    punkt = self.moedepunkt(a, forum, dato, udfald=udfald)
                    services.punkt_udfald_registrer(punkt=punkt, aftale=a, bruger=self.sek, udfald=udfald,
                                                    note=t.pop("note", ""))
                case "behandling":
                    self.behandling(a, t.pop("forum"), self.dato(t.pop("dato")), Udfald(t.pop("udfald")),
                                    t.pop("note", ""))
                case "version":
                    nummer += 1
                    bruger = t.pop("bruger", None)
                    self.version(a, self.tekst(slug, nummer), t.pop("note"),
                                 bruger=self.brugere[bruger] if bruger else None)
                case "gem":
                    # The step's other keys are the fields the editor saves (the service refuses unknown ones).
                    note, felter, t = t.pop("note"), self._felter(t), {}
                    a = self._frisk(a)
                    services.aftale_gem(aftale=a, bruger=self.sek, revision=a.revision,
                                        tekst=self.tekst(slug, nummer), aendringsnote=note, felter=felter)
                case "overgang":
                    handling, note = Handling(t.pop("handling")), t.pop("note", "")
                    self.overgang(a, handling, note, **{navn: self.dato(t.pop(navn)) for navn in list(t)})
                case "indstil":
                    self.indstil(a, dato=self.dato(t.pop("dato")), frist=self.dato(t.pop("frist")),
                                 forum=t.pop("forum", "sundhedssamarbejdsudvalget"), note=t.pop("note", ""))
                case "beslut":
                    self.beslut(a, t.pop("part"), Beslutning(t.pop("beslutning")), self.dato(t.pop("dato")),
                                t.pop("bemaerkning", ""))
                case "godkend":
                    parter = t.pop("parter")
                    datoer = _spred(self.dato(t.pop("fra")), self.dato(t.pop("til")), len(parter))
                    for part, dato in zip(parter, datoer, strict=True):
                        self.beslut(a, part, GODKENDT, dato)
                case "godkend_resten":
                    self.godkend_resten(a, self.dato(t.pop("fra")), self.dato(t.pop("til")),
                                        t.pop("bemaerkninger", None))
                case "hoeringssvar":
                    self.hoeringssvar(a, list(t.pop("svar").items()))
                case "implementering":
                    self.implementering(a, {klynge: (ImplementeringStatus(status), note)
                                            for klynge, (status, note) in t.pop("klynger").items()})
                case "ekstra_parter":
                    services.ekstra_parter_saet(aftale=a, bruger=self.sek,
                                                parter=[self.parter[part] for part in t.pop("parter")])
                case andet:
                    raise ValueError(f"{slug}.toml, trin {i}: ukendt trin {andet!r}.")
            if t:
                raise ValueError(f"{slug}.toml, trin {i}: ukendte nøgler {sorted(t)}.")

    def opsummering(self) -> str:
        antal = (f"{Samarbejdsaftale.objects.count()} samarbejdsaftaler, {Proevehandling.objects.count()} "
                 f"prøvehandlinger")
        oprettet = ", ".join(f"{n} {navn}" for navn, n in sorted(self.oprettet.items()))
        aendret = ", ".join(f"{n} {navn}" for navn, n in sorted(self.aendret.items()))
        if not oprettet and not aendret:
            return f"Aftaler: {self.titel}, {antal}. Intet at ændre."
        return f"Aftaler: {self.titel}, {antal}. Oprettet: {oprettet or 'intet'}." + (
            f" Ændret: {aendret}." if aendret else "")


def indlaes(*, stdout=None) -> None:
    """Load (or bring up to date) the health agreement and the example agreements."""
    with transaction.atomic():
        koersel = _Indlaesning()
        koersel.sundhedsaftale()
        koersel.aftaler()
    if stdout is not None:
        stdout.write(koersel.opsummering())
