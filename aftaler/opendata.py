"""The open data files: every public agreement with its public decisions as CSV and as JSON
(`/aftaler.csv`, `/aftaler.json`), streamed. What is public is aftaler.synlighed's."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import reverse

from aftaler.choices import Status
from aftaler.models import Godkendelse, Samarbejdsaftale
from aftaler.synlighed import nyeste_offentlige_nummer, offentlig_status, offentlige_aftaler, vist_version
from sundhed.csvsikker import celle

CSV_FELTER = [
    "slug", "titel", "status", "status_tekst", "omfang", "klynge", "indsatsomraade", "ejer", "oprindelse",
    "version", "indstillet", "godkendt", "ikrafttraedelse", "revisionsdato", "url",
    "beslutning_version", "part", "part_navn", "beslutning", "beslutning_dato", "sagsnummer", "referat_url",
    "bemaerkning",
]


@dataclass
class AabenAftale:
    """One public agreement with its public decisions, as the CSV and JSON files show it."""

    aftale: Samarbejdsaftale
    beslutninger: list[Godkendelse]

    def felter(self, basis_url: str) -> dict:
        a = self.aftale
        version = vist_version(a)
        return {
            "slug": a.slug,
            "titel": a.titel,
            "status": offentlig_status(a),
            "status_tekst": Status(offentlig_status(a)).label,
            "omfang": a.omfang,
            "klynge": a.klynge.slug if a.klynge_id else "",
            "indsatsomraade": a.indsatsomraade.navn if a.indsatsomraade_id else "",
            "ejer": a.ejer_forum.navn if a.ejer_forum_id else "",
            "oprindelse": a.oprindelse,
            "version": version.nummer if version else None,
            "indstillet": _iso(a.indstillet_dato),
            "godkendt": _iso(a.godkendt_dato),
            "ikrafttraedelse": _iso(a.ikrafttraedelse),
            "revisionsdato": _iso(a.revisionsdato),
            "url": basis_url + reverse("aftale-detalje", args=[a.slug]),
        }

    @staticmethod
    def beslutning_felter(g: Godkendelse) -> dict:
        return {
            "beslutning_version": g.version.nummer,
            "part": g.part.slug,
            "part_navn": g.part.navn,
            "beslutning": g.beslutning,
            "beslutning_dato": _iso(g.dato),
            "sagsnummer": g.sagsnummer,
            "referat_url": g.referat_url,
            "bemaerkning": g.bemaerkning,
        }


def _iso(dato: datetime.date | None) -> str | None:
    return dato.isoformat() if dato else None


def _aabne_aftaler(parti: int = 500) -> Iterator[AabenAftale]:
    """Every public agreement with its public decisions, streamed: two queries per `parti` agreements,
    whatever the number of agreements and decisions."""
    aftaler = (offentlige_aftaler().select_related("klynge", "indsatsomraade", "ejer_forum")
               .select_related("aktuel_version", "offentliggjort_version")
               .defer("aktuel_version__tekst", "offentliggjort_version__tekst", "resume", "maalgruppe")
               .order_by("pk"))
    sidste = 0
    while True:
        klump = list(aftaler.filter(pk__gt=sidste)[:parti])
        if not klump:
            return
        sidste = klump[-1].pk
        pr_aftale: dict[int, list[Godkendelse]] = {a.pk: [] for a in klump}
        # Decisions on a revision that went back to draft are on a version newer than the public one.
        graenser = {a.pk: nyeste_offentlige_nummer(a) for a in klump}
        for g in (Godkendelse.objects.filter(version__aftale_id__in=pr_aftale)
                  .select_related("part", "version").only("part__slug", "part__navn", "version__nummer",
                                                          "version__aftale_id", "beslutning", "dato", "sagsnummer",
                                                          "referat_url", "bemaerkning")
                  .order_by("version__aftale_id", "version__nummer", "part__navn", "registreret", "id")):
            if g.version.nummer <= graenser[g.version.aftale_id]:
                pr_aftale[g.version.aftale_id].append(g)
        for a in klump:
            yield AabenAftale(aftale=a, beslutninger=pr_aftale[a.pk])


def csv_linjer(basis_url: str) -> Iterator[str]:
    """The CSV file line by line: one row per public decision, the agreement's columns repeated;
    an agreement without decisions gets one row with the decision columns empty."""
    buffer = io.StringIO()
    skriver = csv.DictWriter(buffer, fieldnames=CSV_FELTER, lineterminator="\r\n")

    def _ud() -> str:
        tekst = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return tekst

    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    skriver.writeheader()
    yield _ud()
    for aaben in _aabne_aftaler():
        felter = aaben.felter(basis_url)
        for g in aaben.beslutninger or [None]:
            skriver.writerow(_csv_celler({**felter, **(AabenAftale.beslutning_felter(g) if g else {})}))
        yield _ud()


def _csv_celler(raekke: dict) -> dict:
    """A row with every text cell made safe for spreadsheets (sundhed.csvsikker): titles, names, and
    the case numbers and remarks the council secretariats write. The only non-text cells are the
    version numbers (ints, left as they are: no formula); dates are ISO text the exporter formats and
    never start like a formula. The JSON file keeps the true values."""
    return {k: celle(v) if isinstance(v, str) else v for k, v in raekke.items()}


def json_dele(basis_url: str) -> Iterator[str]:
    """The JSON file in pieces: {"aftaler": [{..., "beslutninger": [...]}, ...]}."""
    yield '{"aftaler": ['
    foerste = True
    for aaben in _aabne_aftaler():
        post = aaben.felter(basis_url)
        post["beslutninger"] = [
            {k.removeprefix("beslutning_") if k.startswith("beslutning_") else k: v
             for k, v in AabenAftale.beslutning_felter(g).items()}
            for g in aaben.beslutninger
        ]
        yield ("" if foerste else ",") + json.dumps(post, ensure_ascii=False)
        foerste = False
    yield "]}"
