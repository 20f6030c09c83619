"""Reads the public pages make on every request, compiled once and (on PostgreSQL) prepared once.

On the public pages, building a query with the ORM and compiling it to SQL took longer than the
database took to run it, and PostgreSQL's planning of a join as long again: an agreement's page
made ten such queries. A `Forberedt` read is still written with the ORM (a `values_list`
queryset, so the model's fields and lookups are checked as usual), but on PostgreSQL it is
compiled to SQL once per process and becomes a prepared statement, made once per database
connection, so each call only sends its arguments. On SQLite (the embedded default) it is simply
the ORM query, built and run on each call.

Behind a transaction-pooling proxy such as PgBouncer in transaction mode, prepared statements are
not kept from one transaction to the next; there `FORBERED` would have to be turned off (it
also turns off the prepared change stamps of aftaler.stempler, which use `udfoer` too).
"""

from __future__ import annotations

import datetime
import itertools
import re
import threading
import weakref
from collections import namedtuple
from collections.abc import Callable, Sequence

from django.db import connection
from django.db.models import QuerySet

FORBERED = True  # prepared statements on PostgreSQL (see the module docstring)

_FORBEREDT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # raw connection -> {name: statement}
_NUMRE = itertools.count(1)


def forbered() -> bool:
    """Whether reads are prepared statements here: on PostgreSQL, unless turned off."""
    return FORBERED and connection.vendor == "postgresql"


def udfoer(navn: str, sql: str, typer: Sequence[str], argumenter: Sequence) -> list[tuple]:
    """Run `sql` (PostgreSQL; its parameters $1, $2 … of the `typer`) as a prepared statement made
    once per database connection, and return its rows.

    The first time, PREPARE and EXECUTE go in one round trip (so a page makes as many queries the
    first time as afterwards). A statement is prepared under a name of its own, numbered: one whose
    EXECUTE failed the first time is left behind (PREPARE is not undone with the rest), and the
    next call prepares it again under a new name rather than stumble on the old one."""
    parametre = f"({', '.join(['%s'] * len(argumenter))})" if argumenter else ""
    with connection.cursor() as cursor:
        forberedte = _FORBEREDT.setdefault(connection.connection, {})
        if navn in forberedte:
            cursor.execute(f"EXECUTE {forberedte[navn]}{parametre}", list(argumenter) or None)
            return cursor.fetchall()
        nyt = f"{navn}_{next(_NUMRE)}"
        typeliste = f"({', '.join(typer)})" if typer else ""
        forbered_sql = f"PREPARE {nyt}{typeliste} AS {sql}"
        if argumenter:  # the arguments are written into the query: a % of the statement must stay one
            forbered_sql = forbered_sql.replace("%", "%%")
        cursor.execute(f"{forbered_sql}; EXECUTE {nyt}{parametre}", list(argumenter) or None)
        cursor.nextset()
        forberedte[navn] = nyt
        return cursor.fetchall()


# One placeholder per argument, of its type: a value no real argument has, so the compiled SQL
# shows where each argument goes.
_PLADSHOLDERE: dict[str, Callable[[int], object]] = {
    "bigint": lambda i: 918_273_645_546_372_800 + i,
    "integer": lambda i: 1_987_654_300 + i,
    "text": lambda i: f"forberedt-pladsholder-{i}",
    "date": lambda i: datetime.date(1901, 2, 3 + i),
    "timestamptz": lambda i: datetime.datetime(1901, 2, 3 + i, 4, 5, 6, tzinfo=datetime.UTC),
}


class Forberedt:
    """A `values_list` read compiled once: `Forberedt("navn", ["bigint"], lambda pk: qs...)`, then
    `laes(pk)` gives its rows as named tuples (with the queryset's field names), converted as the
    ORM converts them. `lav` builds the queryset from the arguments; on PostgreSQL it is called
    once, with placeholders of the given PostgreSQL types, so it must use each argument as a value
    in the query (a filter value, a slice's start), not to choose the query's shape.

    `omslut(sql, argumenter) -> (sql, more parameters)`, when given, puts the queryset's SQL inside
    a larger statement (such as a WITH query) whose columns are `navne`; it may add parameters (%s)
    after the queryset's own, taken from `argumenter`.

    `planlaeg=True`: not a prepared statement, but the compiled SQL with the arguments written in,
    so PostgreSQL plans it for the values at hand. For a read whose best plan depends on them: a
    prepared statement's generic plan for a search word guessed the number of hits, and a word
    found in every agreement then took three times as long."""

    def __init__(self, navn: str, typer: Sequence[str], lav: Callable[..., QuerySet], *,
                 omslut: Callable[[str, Sequence], tuple[str, list]] | None = None,
                 navne: Sequence[str] | None = None, planlaeg: bool = False):
        self.navn, self.typer, self.lav, self.omslut = navn, tuple(typer), lav, omslut
        self.navne, self.planlaeg = navne, planlaeg
        self._laas = threading.Lock()
        self._kompileret: tuple | None = None
        self._raekkeklasse = None

    def _sql(self, argumenter: Sequence) -> tuple[str, list, QuerySet]:
        qs = self.lav(*argumenter)
        sql, parametre = qs.query.sql_with_params()
        if self.omslut:
            sql, flere = self.omslut(sql, argumenter)
            parametre = [*parametre, *flere]
        return sql, list(parametre), qs

    def _raekke(self, qs: QuerySet):
        """The named tuple class of the rows (made once: making one costs more than a small read)."""
        if self._raekkeklasse is None:
            navne = self.navne or list(qs._fields) or [*qs.query.extra_select, *qs.query.values_select,
                                                       *qs.query.annotation_select]
            self._raekkeklasse = namedtuple("Raekke", navne)
        return self._raekkeklasse

    def _kompiler(self) -> tuple:
        pladsholdere = [_PLADSHOLDERE[t](i) for i, t in enumerate(self.typer)]
        sql, parametre, qs = self._sql(pladsholdere)
        omformere = {}
        if not self.omslut:  # how the ORM converts each column's value from the database
            compiler = qs.query.get_compiler(using=qs.db)
            compiler.setup_query()
            omformere = compiler.get_converters([s[0] for s in compiler.select[:compiler.col_count]])
        with connection.cursor() as cursor:
            sql = cursor.cursor.mogrify(sql, parametre)  # every other value written out
            bogstavelige = [cursor.cursor.mogrify("%s", [p]) for p in pladsholdere]
        for i, bogstavelig in enumerate(bogstavelige):
            if bogstavelig not in sql:
                raise ValueError(f"{self.navn}: argument {i + 1} er ikke en værdi i forespørgslen")
        # Where each argument goes: $1, $2 … for a prepared statement, else its placeholder's text.
        pladser = re.compile("|".join(re.escape(b) for b in bogstavelige)) if bogstavelige else None
        if not self.planlaeg and pladser:
            nummer = {b: f"${i + 1}" for i, b in enumerate(bogstavelige)}
            sql = pladser.sub(lambda m: nummer[m.group()], sql)
        return sql, omformere, self._raekke(qs), (pladser, {b: i for i, b in enumerate(bogstavelige)})

    def laes(self, *argumenter) -> list:
        if not forbered():
            if self.omslut:
                sql, parametre, qs = self._sql(argumenter)
                with connection.cursor() as cursor:
                    cursor.execute(sql, parametre)
                    raekker = cursor.fetchall()
            else:
                qs = self.lav(*argumenter)
                raekker = list(qs)
            raekke = self._raekke(qs)
            return [tuple.__new__(raekke, r) for r in raekker]
        if self._kompileret is None:
            with self._laas:
                if self._kompileret is None:
                    self._kompileret = self._kompiler()
        sql, omformere, raekke, (pladser, nummer) = self._kompileret
        if self.planlaeg:
            with connection.cursor() as cursor:
                vaerdier = [cursor.cursor.mogrify("%s", [a]) for a in argumenter]
                # One pass, so a value's own text is never taken for a placeholder.
                cursor.execute(pladser.sub(lambda m: vaerdier[nummer[m.group()]], sql) if pladser else sql)
                raekker = cursor.fetchall()
        else:
            raekker = udfoer(f"forberedt_{self.navn}", sql, self.typer, argumenter)
        if omformere:
            raekker = [_omform(r, omformere) for r in raekker]
        ny = tuple.__new__
        return [ny(raekke, r) for r in raekker]


class Forberedte:
    """Reads of one kind whose shape depends on a key (which filters a list has): a `Forberedt` for
    each key, made the first time it is read by `lav(noegle, navn)`."""

    def __init__(self, navn: str, lav: Callable[[tuple, str], Forberedt]):
        self.navn, self.lav = navn, lav
        self._laas = threading.Lock()
        self._pr_noegle: dict[tuple, Forberedt] = {}

    def laes(self, noegle: tuple, *argumenter) -> list:
        forberedt = self._pr_noegle.get(noegle)
        if forberedt is None:
            with self._laas:
                if noegle not in self._pr_noegle:
                    self._pr_noegle[noegle] = self.lav(noegle, f"{self.navn}_{len(self._pr_noegle)}")
                forberedt = self._pr_noegle[noegle]
        return forberedt.laes(*argumenter)


def _omform(raekke: tuple, omformere: dict) -> list:
    vaerdier = list(raekke)
    for i, (funktioner, udtryk) in omformere.items():
        for f in funktioner:
            vaerdier[i] = f(vaerdier[i], udtryk, connection)
    return vaerdier
