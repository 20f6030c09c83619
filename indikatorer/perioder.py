"""Periods: "2024H1"/"2024H2" for half years, "2024" for a year (yearly and four-yearly indicators).

A period's sortable key is its end: year * 10 + 1 for the first half, + 2 for the second half or the
whole year. "The latest value up to 2024H1" then means key <= 20241, which leaves out the 2024 annual
figure (it ends in December) but keeps 2023.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from django.utils import timezone

from indikatorer.choices import Frekvens
from sundhed import dansk

PERIODE_RE = re.compile(r"^(?P<aar>\d{4})(?:H(?P<halvaar>[12]))?$")
_TIDLIGSTE_AAR = 2000


@dataclass(frozen=True, order=True)
class Periode:
    aar: int
    halvaar: int = 0  # 0: the whole year

    @classmethod
    def fra_kode(cls, kode: str) -> Periode | None:
        return _fra_kode(kode or "")

    @classmethod
    def fra_dato(cls, dato: datetime.date, frekvens: str) -> Periode:
        if frekvens == Frekvens.HALVAAR:
            return cls(dato.year, 1 if dato.month <= 6 else 2)
        return cls(dato.year)

    @property
    def kode(self) -> str:
        return f"{self.aar}H{self.halvaar}" if self.halvaar else str(self.aar)

    @property
    def noegle(self) -> int:
        return self.aar * 10 + (self.halvaar or 2)

    @property
    def navn(self) -> str:
        """For people: "1. halvår 2026", or the year (the code stays in files, URLs and the API)."""
        return dansk.halvaar(self.kode)

    @property
    def er_halvaar(self) -> bool:
        return bool(self.halvaar)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.aar, 7 if self.halvaar == 2 else 1, 1)

    def passer_til(self, frekvens: str) -> bool:
        return self.er_halvaar == (frekvens == Frekvens.HALVAAR)

    def forrige(self) -> Periode:
        """The calendar period before (half year before a half year, year before a year)."""
        if self.halvaar == 2:
            return Periode(self.aar, 1)
        if self.halvaar == 1:
            return Periode(self.aar - 1, 2)
        return Periode(self.aar - 1)

    def naeste(self) -> Periode:
        if self.halvaar == 1:
            return Periode(self.aar, 2)
        if self.halvaar == 2:
            return Periode(self.aar + 1, 1)
        return Periode(self.aar + 1)

    def __str__(self) -> str:
        return self.kode


@functools.lru_cache(maxsize=1024)
def _fra_kode(kode: str) -> Periode | None:
    m = PERIODE_RE.match(kode)
    if not m:
        return None
    return Periode(int(m["aar"]), int(m["halvaar"] or 0))


def tidligste_aar() -> int:
    return _TIDLIGSTE_AAR


def er_begyndt(periode: Periode, idag: datetime.date | None = None) -> bool:
    """Data can exist only for a period that has started."""
    return periode.start <= (idag or timezone.localdate())


def halvaar_mellem(fra: Periode, til: Periode) -> list[Periode]:
    res, p = [], fra
    while p <= til:
        res.append(p)
        p = p.naeste()
    return res
