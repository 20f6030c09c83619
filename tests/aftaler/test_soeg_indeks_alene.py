"""A search among every public agreement reads the hits from the search index alone, but only when
the index is known to hold exactly the public agreements (search.Udvalg.alle)."""

import pytest
from django.core.cache import cache
from django.db import connection  # noqa: F401 (read by the skipif conditions)

from aftaler import search, stempler, synlighed
from aftaler.choices import Status
from aftaler.models_soeg import Soegeindeks
from aftaler.views.soegning import _filtreret

pytestmark = pytest.mark.django_db

kun_postgres = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="Dansk fuldtekstsøgning er PostgreSQL")

ALLE = ("", False, False, False, False)  # the list's filter shape with no filter


def _udvalg(alle: bool) -> search.Udvalg:
    return search.Udvalg(noegle=ALLE, typer=(), vaerdier=(), lav=_filtreret, alle=alle)


def _fundne(alle: bool, q: str) -> tuple[list[int], int | None]:
    return search.traeffer_side(_udvalg(alle), search.Soegning.fra(q), "relevans", 0, 20)


@kun_postgres
def test_reading_the_index_alone_finds_what_the_public_agreements_find(lav_aftale):
    for i in range(3):
        lav_aftale(Status.I_KRAFT, titel=f"Aftale om zebraer nr. {i}")
    lav_aftale(Status.INDSTILLET, titel="Aftale om giraffer")
    search.indeks_genopbyg()
    for q in ("zebraer", "giraffer", "aftale", "intet-her"):
        assert _fundne(True, q) == _fundne(False, q), q


@kun_postgres
def test_a_row_left_behind_in_the_index_is_counted_only_when_the_index_is_read_alone(lav_aftale):
    offentlig = lav_aftale(Status.I_KRAFT, titel="Aftale om zebraer")
    udkast = lav_aftale(Status.UDKAST, titel="Udkast om zebraer")
    search.indeks_genopbyg()
    # As if a change had been missed: a draft's row in the index.
    raekke = Soegeindeks.objects.get(pk=offentlig.pk)
    raekke.pk, raekke.aftale_id = udkast.pk, udkast.pk
    raekke.save(force_insert=True)
    search._skriv_rang([udkast.pk], erstat=True)  # with the rank rows a one-word search reads
    assert _fundne(False, "zebraer") == ([offentlig.pk], 1)
    assert _fundne(True, "zebraer")[1] == 2  # hence `alle` only for an index known to be current


@kun_postgres
def test_the_catch_up_says_whether_the_index_is_current(lav_aftale, monkeypatch):
    lav_aftale(Status.I_KRAFT, titel="Aftale om zebraer")
    search.indeks_genopbyg()
    cache.clear()
    noegle = stempler.global_stempel().noegle
    assert search.synkroniser_ved_aendring(noegle) is True
    assert search.synkroniser_ved_aendring(noegle) is True  # from the cache's mark
    cache.clear()
    lav_aftale(Status.I_KRAFT, titel="Aftale om giraffer")  # not yet indexed
    monkeypatch.setattr("sundhed.tasks.send_sikkert", lambda *a, **k: None)  # the worker has not run yet
    assert search.synkroniser_ved_aendring(stempler.global_stempel().noegle) is False
    assert not synlighed.offentlige_aftaler().filter(titel="Aftale om giraffer", soegeindeks__isnull=False).exists()
