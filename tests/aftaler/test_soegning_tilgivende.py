"""A forgiving public search (issue 13, item 8): a misspelled word gets "Mente du »…«?" from the
words of the public agreements, and an inflected word finds its stem, on SQLite and PostgreSQL.
Only public text is ever suggested."""

import html as html_lib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftaler import search, services
from aftaler.choices import Status
from aftaler.workflow import Handling
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk

pytestmark = pytest.mark.django_db


@pytest.fixture
def offentlig(personas, udvalg):
    """offentlig(titel, tekst, resume=''): an agreement recommended for approval (public)."""

    def lav(titel, tekst, resume=""):
        sek = personas["sekretariat"]
        aftale = services.aftale_opret(bruger=sek, titel=titel, tekst=tekst, resume=resume)
        services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                                 beslutningsfrist=OM_EN_MAANED)
        return _frisk(aftale)

    return lav


def side(client, q: str, **filtre) -> str:
    svar = client.get("/aftaler/", {"q": q, **filtre})
    assert svar.status_code == 200
    return svar.content.decode()


def titler(html: str) -> list[str]:
    return [re.sub(r"</?mark>", "", t) for t in re.findall(r'class="h4 aftalekort-titel"><a href="[^"]+">(.*?)</a>',
                                                         html)]


def forslag(html: str) -> tuple[str, str] | None:
    """The "Mente du »…«?" suggestion on the page: (the suggested words, the link's URL), or None."""
    m = re.search(r'<p class="soegeforslag"[^>]*>Mente du <a href="([^"]+)"[^>]*>»(.*?)«</a>\?</p>', html, re.S)
    return (m.group(2), html_lib.unescape(m.group(1))) if m else None


# --- "Mente du …?" -------------------------------------------------------------------------------


def test_a_misspelled_word_suggests_the_word_from_the_agreements(client, offentlig):
    offentlig("Aftale om demens", "<p>Borgere med demens og deres pårørende.</p>")
    html = side(client, "demnes")
    assert "0 aftaler matcher »demnes«" in html
    assert "Mente du »demens«?" in re.sub(r"<[^>]+>", "", html)
    ord_, url = forslag(html)
    assert ord_ == "demens"
    # The suggestion is a plain link that runs the suggested search (no JavaScript needed).
    html = client.get(url).content.decode()
    assert titler(html) == ["Aftale om demens"]
    assert forslag(html) is None and "Mente du" not in html  # a search with hits gets no suggestion
    assert "Mente du" not in side(client, "xyzzy")  # nothing close: no suggestion


def test_a_missing_letter_suggests_the_closest_word(client, offentlig):
    offentlig("Aftale om palliativ indsats", "<p>Den palliative indsats for borgere i eget hjem.</p>")
    ord_, _ = forslag(side(client, "palliatv"))
    assert ord_ in ("palliativ", "palliative")


def test_only_the_misspelled_word_is_replaced_and_the_filters_are_kept(client, offentlig):
    offentlig("Aftale om demens", "<p>Borgere med demens i eget hjem.</p>")
    ord_, url = forslag(side(client, "demnes hjem", status="indstillet"))
    assert ord_ == "demens hjem"
    assert "status=indstillet" in url and "q=demens+hjem" in url
    assert titler(client.get(url).content.decode()) == ["Aftale om demens"]


def test_words_of_drafts_are_never_suggested(client, offentlig, personas, lav_aftale):
    sek = personas["sekretariat"]
    offentlig("Aftale om demens", "<p>Borgere med demens.</p>")
    # A draft holds the very word searched for: the search must still not know it.
    services.aftale_opret(bruger=sek, titel="Udkast om demnes", tekst="<p>Demnes giraffer</p>")
    lav_aftale(Status.HOERING, titel="Giraffer i høring")
    # An agreement under revision: its published text is public, the revised draft is not.
    revideret = lav_aftale(Status.I_KRAFT, titel="Aftale om genoptræning")
    services.aftale_overgang(aftale=revideret, bruger=sek, handling=Handling.REVIDER)
    a = _frisk(revideret)
    services.aftale_gem(aftale=a, bruger=sek, revision=a.revision, tekst="<p>Kladdeord okapier</p>")
    search.indeks_genopbyg()
    assert forslag(side(client, "demnes"))[0] == "demens"
    for q in ("girafer", "giraffr", "okapir", "okapie"):
        assert forslag(side(client, q)) is None, q
    from aftaler.models_soeg import Soegeord

    assert not Soegeord.objects.filter(ord__in=["demnes", "giraffer", "kladdeord", "okapier"]).exists()
    assert Soegeord.objects.filter(ord__in=["demens", "genoptræning"]).count() == 2


def test_a_word_that_left_the_public_text_is_no_longer_suggested(client, offentlig, personas):
    aftale = offentlig("Aftale om demens", "<p>Borgere med demens.</p>")
    offentlig("Aftale om kost", "<p>Sund kost.</p>")
    assert forslag(side(client, "demnes"))[0] == "demens"
    services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=Handling.SEND_RETUR)
    assert forslag(side(client, "demnes")) is None


def test_the_suggestion_is_escaped(client, offentlig):
    offentlig("Aftale om demens", "<p>Borgere med demens.</p>")
    html = side(client, 'demnes "<"')
    assert '"<"' not in html
    # Only the misspelled word is replaced; the rest of what was typed is shown escaped.
    assert forslag(html)[0] == "demens &quot;&lt;&quot;"


# --- stemming ---------------------------------------------------------------------------------------


def test_an_inflected_word_finds_its_stem(client, offentlig):
    offentlig("Rehabilitering efter erhvervet hjerneskade", "<p>Genoptræning af borgere.</p>")
    offentlig("Aftale om kost", "<p>Sund kost.</p>")
    for q in ("hjerneskader", "hjerneskaderne", "Hjerneskade", "hjerneskade"):
        assert titler(side(client, q)) == ["Rehabilitering efter erhvervet hjerneskade"], q
    # "demens" stems to "dem", which is also a common Danish word ("them"): it must not match that.
    offentlig("Aftale om hjælpemidler", "<p>Borgerne og dem, der hjælper dem.</p>")
    offentlig("Aftale om demens", "<p>Borgere med demens.</p>")
    assert titler(side(client, "demens")) == ["Aftale om demens"]


def test_the_stem_of_a_word_in_the_text_is_found_and_highlighted(client, offentlig):
    offentlig("Aftale om overgange", "<p>Borgere med erhvervet hjerneskade skal have en plan.</p>")
    html = side(client, "hjerneskader")
    assert titler(html) == ["Aftale om overgange"]
    assert "<mark>hjerneskade</mark>" in html


# --- cost ---------------------------------------------------------------------------------------------


def _forespoergsler(client, q: str) -> tuple[int, tuple[str, str] | None]:
    cache.clear()
    cache.set("soegeindeks-synkroniseret", _stempel(), None)
    with CaptureQueriesContext(connection) as queries:
        html = side(client, q)
    return len(queries), forslag(html)


def _stempel() -> str:
    from aftaler import stempler

    return stempler.global_stempel().noegle


def test_the_page_with_a_suggestion_runs_the_same_queries_for_1_and_30_agreements(client, offentlig, lav_aftale):
    offentlig("Aftale om demens", "<p>Borgere med demens og palliativ pleje i eget hjem.</p>")
    search.indeks_genopbyg()
    en = [_forespoergsler(client, q) for q in ("demnes", "demnes palliatv hjem")]
    for i in range(30):
        offentlig(f"Aftale {i} om palliative forløb", f"<p>Hjemmepleje nummer {i} for demente borgere.</p>")
    search.indeks_genopbyg()
    tredive = [_forespoergsler(client, q) for q in ("demnes", "demnes palliatv hjem")]
    assert en[0][1][0] == "demens" and en[1][1] is not None
    assert [n for n, _ in en] == [n for n, _ in tredive]
    # A suggestion costs at most two queries more than a search without one.
    assert en[0][0] <= _forespoergsler(client, "xyzzy")[0] + 2
