"""A line chart as server-rendered SVG: no JavaScript, readable without colour.

Each series has its own colour (at least 3:1 against white, WCAG 1.4.11), marker shape and dash
pattern, so lines can be told apart in greyscale too; the page shows a text legend and the full data
table under the chart, which is the chart's text alternative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from indikatorer.formater import tal
from sundhed.dansk import halvaar

# (colour, marker, dash): contrast against white: 17.4, 7.0, 5.0, 5.4, 7.9, 5.9, 6.6, 8.3.
STILE = [
    ("#1a1a1a", "cirkel", ""),
    ("#0059b3", "firkant", "7 4"),
    ("#b34700", "trekant", "2 3"),
    ("#2e7d32", "rombe", "9 3 2 3"),
    ("#6a1b9a", "nedtrekant", "4 4"),
    ("#ad1457", "kryds", "12 4"),
    ("#00695c", "cirkel", ""),
    ("#4e342e", "firkant", "2 2"),
]
FREMHAEVET = ("#00695c", "stjerne", "")

# The x axis is labelled "1. halvår 2026", rotated: BUND leaves room for the longest label.
BREDDE, HOEJDE = 760, 400
VENSTRE, HOEJRE, TOP, BUND = 72, 24, 20, 92


@dataclass
class Punkt:
    x: float
    y: float
    periode: str
    vaerdi: str
    markoer: str


@dataclass
class GrafSerie:
    navn: str
    farve: str
    streg: str
    markoer_type: str
    tykkelse: float
    segmenter: list[str] = field(default_factory=list)
    punkter: list[Punkt] = field(default_factory=list)

    @property
    def symbol(self) -> str:
        """The marker for the legend, drawn in a 24x16 box."""
        return _markoer(self.markoer_type, 12, 8, 5)


@dataclass
class Graf:
    titel: str
    beskrivelse: str
    yakse: list[tuple[float, str]]
    xakse: list[tuple[float, str]]
    serier: list[GrafSerie]
    ytitel: str
    bredde: int = BREDDE
    hoejde: int = HOEJDE
    venstre: int = VENSTRE
    top: int = TOP

    @property
    def hoejre_kant(self) -> int:
        return self.bredde - HOEJRE

    @property
    def bund_kant(self) -> int:
        return self.hoejde - BUND


def _markoer(type_: str, x: float, y: float, r: float = 4.5) -> str:
    if type_ == "firkant":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z"
    if type_ == "trekant":
        return f"M{x:.1f},{y - r * 1.2:.1f}L{x + r * 1.1:.1f},{y + r:.1f}L{x - r * 1.1:.1f},{y + r:.1f}z"
    if type_ == "nedtrekant":
        return f"M{x:.1f},{y + r * 1.2:.1f}L{x + r * 1.1:.1f},{y - r:.1f}L{x - r * 1.1:.1f},{y - r:.1f}z"
    if type_ == "rombe":
        k = r * 1.3
        return f"M{x:.1f},{y - k:.1f}L{x + k:.1f},{y:.1f}L{x:.1f},{y + k:.1f}L{x - k:.1f},{y:.1f}z"
    if type_ == "kryds":
        d = r * 0.45
        return (f"M{x - r:.1f},{y - r + d:.1f}L{x - r + d:.1f},{y - r:.1f}L{x:.1f},{y - d:.1f}L{x + r - d:.1f},"
                f"{y - r:.1f}L{x + r:.1f},{y - r + d:.1f}L{x + d:.1f},{y:.1f}L{x + r:.1f},{y + r - d:.1f}L"
                f"{x + r - d:.1f},{y + r:.1f}L{x:.1f},{y + d:.1f}L{x - r + d:.1f},{y + r:.1f}L{x - r:.1f},"
                f"{y + r - d:.1f}L{x - d:.1f},{y:.1f}z")
    if type_ == "stjerne":
        punkter = []
        for i in range(10):
            radius = r * 1.5 if i % 2 == 0 else r * 0.65
            vinkel = math.pi / 2 + i * math.pi / 5
            punkter.append(f"{x + radius * math.cos(vinkel):.1f},{y - radius * math.sin(vinkel):.1f}")
        return "M" + "L".join(punkter) + "z"
    # A circle as a path, so every marker is drawn the same way.
    return f"M{x - r:.1f},{y:.1f}a{r:.1f},{r:.1f} 0 1,0 {2 * r:.1f},0a{r:.1f},{r:.1f} 0 1,0 {-2 * r:.1f},0"


def _paene_trin(lav: float, hoej: float, antal: int = 5) -> tuple[float, float, float]:
    if hoej == lav:
        margen = abs(hoej) * 0.1 or 1.0
        lav, hoej = lav - margen, hoej + margen
    raa = (hoej - lav) / antal
    eksponent = math.floor(math.log10(raa))
    basis = 10 ** eksponent
    trin = next(m * basis for m in (1, 2, 2.5, 5, 10) if m * basis >= raa)
    return math.floor(lav / trin) * trin, math.ceil(hoej / trin) * trin, trin


def linjegraf(*, titel: str, enhed: str, decimaler: int, perioder: list[str], serier: list) -> Graf | None:
    """`serier`: objects with .geografi.navn, .vaerdier {periode: measurement}, .stil and .fremhaevet."""
    vaerdier = [float(m.vaerdi) for s in serier for m in s.vaerdier.values() if m.periode in perioder]
    if not perioder or not vaerdier:
        return None
    lav, hoej = min(vaerdier), max(vaerdier)
    if lav >= 0 and (hoej - lav) > hoej * 0.6:
        lav = 0.0  # start at zero when the data lies close to it anyway
    ymin, ymax, trin = _paene_trin(lav, hoej)
    x0, x1, y0, y1 = VENSTRE, BREDDE - HOEJRE, TOP, HOEJDE - BUND

    def x(i: int) -> float:
        return x0 + (x1 - x0) * (i + 0.5) / len(perioder)

    def y(v: float) -> float:
        return y1 - (y1 - y0) * (v - ymin) / (ymax - ymin)

    trin_decimaler = max(0, -math.floor(math.log10(trin))) if trin < 1 else 0
    yakse = []
    v = ymin
    while v <= ymax + trin / 2:
        yakse.append((round(y(v), 1), tal(Decimal(str(round(v, 6))), trin_decimaler)))
        v += trin
    xakse = [(round(x(i), 1), halvaar(p)) for i, p in enumerate(perioder)]

    graf_serier = []
    for s in serier:
        farve, markoer, streg = FREMHAEVET if s.fremhaevet else STILE[s.stil % len(STILE)]
        gs = GrafSerie(s.geografi.navn, farve, streg, markoer, 3.5 if s.fremhaevet or s.stil == 0 else 2.0)
        segment: list[str] = []
        for i, p in enumerate(perioder):
            m = s.vaerdier.get(p)
            if m is None:
                if segment:
                    gs.segmenter.append(" ".join(segment))
                segment = []
                continue
            px, py = x(i), y(float(m.vaerdi))
            segment.append(f"{px:.1f},{py:.1f}")
            gs.punkter.append(Punkt(px, py, p, tal(m.vaerdi, decimaler), _markoer(markoer, px, py)))
        if segment:
            gs.segmenter.append(" ".join(segment))
        graf_serier.append(gs)

    return Graf(
        titel=titel,
        beskrivelse=_beskrivelse(titel, enhed, decimaler, perioder, serier),
        yakse=yakse, xakse=xakse, serier=graf_serier, ytitel=enhed,
    )


def _beskrivelse(titel: str, enhed: str, decimaler: int, perioder: list[str], serier: list) -> str:
    dele = [f"Linjediagram over {titel.lower()} ({enhed}) fra {halvaar(perioder[0])} til {halvaar(perioder[-1])}."]
    for s in serier:
        punkter = [(p, s.vaerdier[p]) for p in perioder if p in s.vaerdier]
        if not punkter:
            dele.append(f"{s.geografi.navn}: ingen tal.")
            continue
        (p1, m1), (p2, m2) = punkter[0], punkter[-1]
        dele.append(f"{s.geografi.navn}: {tal(m1.vaerdi, decimaler)} i {halvaar(p1)} og "
                    f"{tal(m2.vaerdi, decimaler)} i {halvaar(p2)}.")
    dele.append("Alle tal står i tabellen under diagrammet.")
    return " ".join(dele)
