"""`?dato=YYYY-MM-DD`: the day a structure page or structure API shows (default today).

One parser for pages and API, so both accept and refuse the same values with the same Danish message:
pages show it next to the date chooser (status 400), the API answers `{"dato": ["..."]}` (400) through
the shared exception handler, which turns a DomainError with a field into a field-keyed error.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils import timezone

from sundhed import dansk
from sundhed.exceptions import DomainError

PARAMETER = "dato"
# Exactly YYYY-MM-DD: date.fromisoformat alone would also take "20270201" and "2027-W05-1".
_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EKSEMPEL = "Skriv datoen som ÅÅÅÅ-MM-DD, fx 2027-02-01."


class UgyldigDato(DomainError):
    """`?dato=` is not a date: the message names the value and the format, the field is `dato`."""

    def __init__(self, vaerdi: str, *, findes_ikke: bool):
        vist = vaerdi if len(vaerdi) <= 40 else vaerdi[:40] + "…"
        grund = "findes ikke" if findes_ikke else "kunne ikke læses"
        super().__init__(f"Datoen »{vist}« {grund}. {_EKSEMPEL}", field=PARAMETER)


def laes_dato(vaerdi: str | None) -> datetime.date | None:
    """The date in `vaerdi`, or None when it is empty (the form sent without a date). Raises UgyldigDato."""
    vaerdi = (vaerdi or "").strip()
    if not vaerdi:
        return None
    if not _FORMAT.match(vaerdi):
        raise UgyldigDato(vaerdi, findes_ikke=False)
    try:
        return datetime.date.fromisoformat(vaerdi)
    except ValueError:  # well-formed, but no such day: 2027-13-01, 2027-02-30
        raise UgyldigDato(vaerdi, findes_ikke=True) from None


def dato_fra(parametre: Mapping[str, str]) -> datetime.date:
    """The day a request asks for (`?dato=`), or today. Raises UgyldigDato for a value that is no date."""
    return laes_dato(parametre.get(PARAMETER)) or timezone.localdate()


@dataclass(frozen=True)
class Datovalg:
    """The day a structure page shows, and what its date chooser and headings say about it."""

    dato: datetime.date
    idag: datetime.date
    vaerdi: str = ""  # what the reader typed, kept in the field when it was refused
    fejl: str = ""

    @classmethod
    def fra(cls, parametre: Mapping[str, str]) -> Datovalg:
        """From the query string; an invalid value gives today with `fejl` set (the page answers 400)."""
        idag = timezone.localdate()
        try:
            dato = laes_dato(parametre.get(PARAMETER)) or idag
        except UgyldigDato as fejl:
            return cls(dato=idag, idag=idag, vaerdi=(parametre.get(PARAMETER) or "").strip()[:40], fejl=fejl.message)
        return cls(dato=dato, idag=idag, vaerdi=dato.isoformat())

    @property
    def er_idag(self) -> bool:
        return self.dato == self.idag

    @property
    def er_fortid(self) -> bool:
        return self.dato < self.idag

    @property
    def tekst(self) -> str:
        """'1. februar 2027'."""
        return dansk.dato(self.dato)

    @property
    def overskrift(self) -> str:
        """'Strukturen pr. 1. februar 2027'."""
        return f"Strukturen pr. {self.tekst}"

    @property
    def query(self) -> str:
        """'?dato=2027-02-01' for links to other structure pages on the same day; '' for today, so
        links from today's pages stay the plain addresses."""
        return "" if self.er_idag else "?" + urlencode({PARAMETER: self.dato.isoformat()})
