"""Change stamps for ETag/Last-Modified (sundhed.betinget): what a public page depends on.

A stamp is read on every public request, also when the answer is a 304 or a cached page, so it
is one precompiled SQL statement (building the same query with the ORM costs more than running
it); on PostgreSQL a prepared statement (aftaler.forberedt). Public agreements are never deleted
(their recommended version is PROTECTed by the decisions and records pointing at it), so the
newest `opdateret` notices every agreement that becomes public or leaves the public set: every
transition bumps it.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from aftaler import forberedt
from aftaler.choices import OFFENTLIGE_STATUS
from aftaler.models import AftaleVersion, Behandling, Bilag, Godkendelse, Implementering, Samarbejdsaftale
from sundhed.cachesikker import cache_get

_TABELLER = {
    "aftale": Samarbejdsaftale._meta.db_table,
    "version": AftaleVersion._meta.db_table,
    "godkendelse": Godkendelse._meta.db_table,
    "behandling": Behandling._meta.db_table,
    "implementering": Implementering._meta.db_table,
    "bilag": Bilag._meta.db_table,
    "ekstra": Samarbejdsaftale.ekstra_parter.through._meta.db_table,
}
_OFFENTLIG_SQL = "({status} OR a.offentliggjort_version_id IS NOT NULL)".format(
    status="a.status IN ({})".format(", ".join(f"'{s}'" for s in OFFENTLIGE_STATUS)))
# Everything an agreement's public page shows that may change without `opdateret` being bumped:
# decisions, the fora's handling, implementation, attachments, extra approving parties; and the
# newest change to any agreement (the page lists related agreements).
_AFTALE_STEMPEL_SQL = """
SELECT a.id, a.status, a.aktuel_version_id, a.offentliggjort_version_id, a.opdateret,
  (SELECT MAX(g.registreret) FROM {godkendelse} g INNER JOIN {version} v ON v.id = g.version_id
    WHERE v.aftale_id = a.id),
  (SELECT COUNT(*) FROM {godkendelse} g INNER JOIN {version} v ON v.id = g.version_id WHERE v.aftale_id = a.id),
  (SELECT MAX(b.registreret) FROM {behandling} b WHERE b.aftale_id = a.id),
  (SELECT MAX(i.opdateret) FROM {implementering} i WHERE i.aftale_id = a.id),
  (SELECT MAX(f.uploadet) FROM {bilag} f WHERE f.aftale_id = a.id),
  (SELECT COUNT(*) FROM {bilag} f WHERE f.aftale_id = a.id),
  (SELECT COUNT(*) FROM {ekstra} e WHERE e.samarbejdsaftale_id = a.id),
  (SELECT MAX(s.opdateret) FROM {aftale} s)
FROM {aftale} a
WHERE a.{noegle} = %s AND {offentlig}
"""


def _foerste_raekke(navn: str, sql: str, type_: str, vaerdi) -> tuple | None:
    """The first row of `sql` (every %s is the one parameter, of `type_`). On PostgreSQL a prepared
    statement (aftaler.forberedt), made once per database connection: planning this statement
    takes several times longer than running it."""
    if forberedt.forbered():
        raekker = forberedt.udfoer(navn, sql.replace("%s", "$1"), [type_], [vaerdi])
        return raekker[0] if raekker else None
    with connection.cursor() as cursor:
        cursor.execute(sql, [vaerdi] * sql.count("%s"))
        return cursor.fetchone()


def _tid(vaerdi) -> datetime.datetime | None:
    """A timestamp from a raw cursor: SQLite gives naive UTC (as text from an aggregate),
    PostgreSQL an aware datetime."""
    if vaerdi is None:
        return None
    tid = vaerdi if isinstance(vaerdi, datetime.datetime) else parse_datetime(str(vaerdi))
    return tid if tid is None or timezone.is_aware(tid) else timezone.make_aware(tid, datetime.UTC)


def _noegle(dele) -> str:
    # Today's date is part of every stamp: what a page says can change with the date alone (an
    # agreement published earlier enters into force on its day), so a cached page lives one day at most.
    dele = (timezone.localdate().isoformat(), dele)
    return hashlib.sha1(repr(dele).encode(), usedforsecurity=False).hexdigest()[:24]


@dataclass(frozen=True)
class Stempel:
    """What a public page depends on: a tag for the ETag and the time of the last change."""

    noegle: str
    sidst_aendret: datetime.datetime | None


def aftale_stempel(*, slug: str | None = None, pk: int | None = None, relaterede: bool = True
                   ) -> tuple[int, Stempel] | None:
    """(id, stamp) of the public agreement with this slug (or id), or None when there is none. The
    stamp combines the agreement's rows with the cache key "aftale-aendret:<id>", which
    tasks.aftale_aendret sets after every change made through a service. Without `relaterede` it
    leaves out changes to other agreements (the PDF does not list them)."""
    felt, vaerdi = ("slug", slug) if slug is not None else ("id", pk)
    raekke = _foerste_raekke(f"offentlig_aftale_stempel_{felt}",
                            _AFTALE_STEMPEL_SQL.format(noegle=felt, offentlig=_OFFENTLIG_SQL, **_TABELLER),
                            "text" if felt == "slug" else "bigint", vaerdi)
    if raekke is None:
        return None
    if not relaterede:
        raekke = raekke[:-1]
    cache_stempel = cache_get(cache, f"aftale-aendret:{raekke[0]}")  # a cache outage: the rows' stamp
    tider = [_tid(raekke[i]) for i in (4, 5, 7, 8, 9, 12) if i < len(raekke)]
    if cache_stempel:
        tider.append(_tid(cache_stempel))
    return raekke[0], Stempel(noegle=_noegle((raekke, cache_stempel)),
                              sidst_aendret=max((t for t in tider if t is not None), default=None))


def global_stempel() -> Stempel:
    """The newest change to any agreement: the lists, the feed and the sitemap depend on this."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(opdateret) FROM {_TABELLER['aftale']}")
        sidst = cursor.fetchone()[0]
    return Stempel(noegle=_noegle(sidst), sidst_aendret=_tid(sidst))


# The list's filter choices: the areas of effort (in the health agreements' order), the clusters
# active today and the fora owning a public agreement. The list is read far more often than these

def aaben_data_stempel() -> Stempel:
    """The global stamp and the newest decision (decisions are only ever added, never changed)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(opdateret) FROM {_TABELLER['aftale']}")
        sidst = cursor.fetchone()[0]
        cursor.execute(f"SELECT id, registreret FROM {_TABELLER['godkendelse']} ORDER BY id DESC LIMIT 1")
        beslutning = cursor.fetchone() or (None, None)
    tider = [t for t in (_tid(sidst), _tid(beslutning[1])) if t is not None]
    return Stempel(noegle=_noegle((sidst, beslutning)), sidst_aendret=max(tider, default=None))
