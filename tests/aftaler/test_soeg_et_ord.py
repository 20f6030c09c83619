"""PostgreSQL: a search for one word among every public agreement reads the word's rank rows
(aftaler.models_soeg.Soegerang) and finds what matching and ranking the search vectors finds, in the same
order; the rows follow the index. The excerpt is looked for in the beginning of a text first, and still
found further in."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from aftaler import search, services
from aftaler.models_soeg import Soegeindeks, Soegerang
from aftaler.views.soegning import _filtreret
from aftaler.workflow import Handling
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="Dansk fuldtekstsøgning er PostgreSQL")]

ALLE = ("", False, False, False, False)  # the list's filter shape with no filter


@pytest.fixture
def offentlig(personas, udvalg):
    """offentlig(titel, tekst, resume=''): an agreement recommended (public) with this text."""
    sek = personas["sekretariat"]

    def lav(titel: str, tekst: str, resume: str = ""):
        aftale = services.aftale_opret(bruger=sek, titel=titel, tekst=tekst, resume=resume)
        services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                                 beslutningsfrist=OM_EN_MAANED)
        return _frisk(aftale)

    return lav


def _side(q: str, start: int = 0, antal: int = 20, *, alle: bool) -> tuple[list[int], int | None]:
    udvalg = search.Udvalg(noegle=ALLE, typer=(), vaerdier=(), lav=_filtreret, alle=alle)
    return search.traeffer_side(udvalg, search.Soegning.fra(q), "relevans", start, antal)


def _raekker_fra_vektorerne() -> set[tuple[int, str]]:
    with connection.cursor() as c:
        c.execute("SELECT s.aftale_id, u.lexeme FROM aftaler_soegeindeks s, unnest(s.vektor) u")
        return set(c.fetchall())


@pytest.fixture
def mange(offentlig):
    """Agreements holding "zebra" in the title, the summary or the text, once or often, with tied
    ranks broken by title, and one without it."""
    for i in range(6):
        offentlig(f"Aftale {i} om zebraer", "<p>Om dyr.</p>")
    for i in range(5):
        offentlig(f"Aftale B{i}", "<p>Om dyr.</p>", resume="Zebraen i resuméet.")
    for i in range(7):
        offentlig(f"Aftale C{i}", "<p>" + " ".join(["En zebra her."] * (i % 3 + 1)) + "</p>")
    offentlig("Aftale uden", "<p>Om giraffer.</p>")
    search.indeks_genopbyg()


def test_one_word_gives_the_same_pages_as_ranking_the_vectors(mange):
    for q in ("zebra", "Zebraerne", '"zebraer"', "aftale", "giraffer", "ukendtord"):
        for start, antal in ((0, 20), (0, 5), (5, 5), (15, 5), (40, 20)):
            hurtig = search._et_ord_side(search.Soegning.fra(q), start, antal)
            assert hurtig is not None, q
            assert hurtig == _side(q, start, antal, alle=False), (q, start, antal)
    ider, antal = _side("zebra", alle=True)
    assert antal == 18
    titler = list(Soegeindeks.objects.filter(pk__in=ider).values_list("pk", "titel"))
    raekkefoelge = [dict(titler)[pk] for pk in ider]
    # Title hits first, then summary hits, then text hits (more often first); ties by title.
    assert raekkefoelge[:6] == [f"Aftale {i} om zebraer" for i in range(6)]
    assert raekkefoelge[6:11] == [f"Aftale B{i}" for i in range(5)]
    assert raekkefoelge[11:13] == ["Aftale C2", "Aftale C5"]


@pytest.mark.parametrize("q", ["zebra giraf", "zebra -giraf", "zebra OR giraf", '"zebra dyr"', "og", "!!"])
def test_anything_but_one_word_ranks_the_vectors_as_before(mange, q):
    assert search._et_ord_side(search.Soegning.fra(q), 0, 20) is None
    assert _side(q, alle=True) == _side(q, alle=False)


def test_the_list_page_reads_the_rank_rows_for_one_word(client, mange):
    with CaptureQueriesContext(connection) as sql:
        svar = client.get("/aftaler/", {"q": "zebra"})
    assert svar.status_code == 200
    assert "18 aftaler" in svar.content.decode()
    # (Prepared once per connection: later searches EXECUTE it by name.)
    assert any("aftaler_soegerang" in q["sql"] or "EXECUTE soeg_et_ord" in q["sql"] for q in sql.captured_queries)
    assert not any("ts_rank" in q["sql"] for q in sql.captured_queries)


def test_the_rank_rows_follow_the_index(mange, offentlig, personas):
    assert set(Soegerang.objects.values_list("aftale_id", "leksem")) == _raekker_fra_vektorerne()
    # A new public agreement is indexed by the task: its rows come with it, first in the order.
    ny = offentlig("Zebraer og atter zebraer", "<p>Om dyr.</p>")  # two title hits: ranked first
    assert search.indeks_opdater(ny.pk)
    assert set(Soegerang.objects.values_list("aftale_id", "leksem")) == _raekker_fra_vektorerne()
    ider, antal = _side("zebra", alle=True)
    assert (ider[0], antal) == (ny.pk, 19)
    assert Soegerang.objects.get(aftale_id=ny.pk, leksem="zebra").titel == "Zebraer og atter zebraer"
    # Indexed again (a change): its rows are replaced, not doubled.
    assert search.indeks_opdater(ny.pk)
    assert set(Soegerang.objects.values_list("aftale_id", "leksem")) == _raekker_fra_vektorerne()
    # No longer public: its rows go with its index row.
    services.aftale_overgang(aftale=_frisk(ny), bruger=personas["sekretariat"], handling=Handling.SEND_RETUR)
    assert search.indeks_opdater(ny.pk) is False
    assert not Soegerang.objects.filter(aftale_id=ny.pk).exists()
    assert _side("zebra", alle=True)[1] == 18
    search.indeks_genopbyg()
    assert set(Soegerang.objects.values_list("aftale_id", "leksem")) == _raekker_fra_vektorerne()


def test_the_rank_is_the_rank_the_search_computes(mange):
    # Compared in the database: ts_rank is a real, held exactly in the double precision column.
    with connection.cursor() as c:
        c.execute("SELECT count(*), count(*) FILTER (WHERE r.rang = ts_rank(s.vektor, "
                  "websearch_to_tsquery('danish', 'zebraerne'))::double precision) "
                  "FROM aftaler_soegerang r JOIN aftaler_soegeindeks s USING (aftale_id) WHERE r.leksem = 'zebra'")
        assert c.fetchone() == (18, 18)


# --- the excerpt ---------------------------------------------------------------------------------


def _uddrag(aftale, q: str) -> str:
    return search.fremhaev([aftale.pk], search.Soegning.fra(q))[aftale.pk].uddrag


def test_the_excerpt_comes_from_the_summary_then_the_beginning_then_the_whole_text(offentlig):
    fyld = " ".join(f"ord{i}" for i in range(200))  # about 1,300 characters without the word
    i_resume = offentlig("Aftale et", f"<p>Okapi i begyndelsen. {fyld}</p>", resume="Et okapi i resuméet.")
    tidligt = offentlig("Aftale to", f"<p>Okapi i begyndelsen. {fyld}</p>")
    sent = offentlig("Aftale tre", f"<p>{fyld} Til sidst et okapi.</p>")
    kun_titel = offentlig("Aftale om okapi", f"<p>{fyld}</p>")
    search.indeks_genopbyg()
    assert "<mark>okapi</mark> i resuméet" in _uddrag(i_resume, "okapi")
    assert _uddrag(tidligt, "okapi").startswith("<mark>Okapi</mark> i begyndelsen.")
    assert "Til sidst et <mark>okapi</mark>" in _uddrag(sent, "okapi")
    assert _uddrag(kun_titel, "okapi") == ""


def test_the_beginning_is_cut_after_a_whole_word(offentlig):
    # The word crosses the cut: the beginning ends before it, and the excerpt comes from the whole text.
    tekst = "a" * (search.UDDRAG_TEGN - 3) + " okapierne og mere"
    aftale = offentlig("Aftale fire", f"<p>{tekst}</p>")
    search.indeks_genopbyg()
    begyndelse = Soegeindeks.objects.filter(pk=aftale.pk).annotate(b=search._Begyndelse(F("tekst"))).get().b
    assert begyndelse == "a" * (search.UDDRAG_TEGN - 3)
    assert "<mark>okapierne</mark>" in _uddrag(aftale, "okapierne")
    kort = offentlig("Aftale fem", "<p>Kort tekst med okapi</p>")
    search.indeks_genopbyg()
    assert Soegeindeks.objects.filter(pk=kort.pk).annotate(b=search._Begyndelse(F("tekst"))).get().b == (
        "Kort tekst med okapi")
