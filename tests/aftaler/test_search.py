"""Public search: folding and word prefixes (SQLite), Danish stemming and ranking (PostgreSQL),
safe highlighting, and that only public text is ever indexed."""

import re

import pytest
from django.core.management import call_command
from django.db import connection

from aftaler import search, services
from aftaler.choices import Status
from aftaler.models_soeg import Soegeindeks
from aftaler.tasks_offentlig import offentlig_opdater
from aftaler.workflow import Handling
from tests.aftaler.conftest import _frisk

pytestmark = pytest.mark.django_db

kun_postgres = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="Dansk fuldtekstsøgning er PostgreSQL")
kun_sqlite = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite-søgningen")


@pytest.fixture
def aftale_med(lav_aftale, personas):
    """aftale_med(titel, tekst, status=indstillet, resume=''): a public agreement with this text."""

    def lav(titel, tekst, status=Status.INDSTILLET, resume=""):
        sek = personas["sekretariat"]
        aftale = services.aftale_opret(bruger=sek, titel=titel, tekst=tekst, resume=resume)
        if status == Status.UDKAST:
            return aftale
        from tests.aftaler.conftest import I_DAG, OM_EN_MAANED

        services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, dato=I_DAG,
                                 beslutningsfrist=OM_EN_MAANED)
        return _frisk(aftale)

    return lav


def fundne(client, q: str) -> list[str]:
    """The titles found for `q`, in the order shown."""
    html = client.get("/aftaler/", {"q": q}).content.decode()
    return [re.sub(r"</?mark>", "", t) for t in re.findall(r'class="h4 aftalekort-titel"><a href="[^"]+">(.*?)</a>',
                                                         html)]


# --- folding (both databases) ------------------------------------------------------------------


def test_folding_writes_danish_letters_as_two_and_ignores_case():
    assert search.fold("ÆLDRE Øvrige Århus") == "aeldre oevrige aarhus"
    assert search.fold("Café") == "cafe"
    assert search.foldede_ord("Ringkøbing-Skjern, 2024!") == ["ringkoebing", "skjern", "2024"]


def test_a_query_keeps_at_most_eight_distinct_words():
    s = search.Soegning.fra("a b c d e f g h i j a")
    assert len(s.ord) == 8
    assert not search.Soegning.fra("  !!  ")


# --- what is indexed ---------------------------------------------------------------------------


def test_drafts_and_consultations_are_never_indexed_or_found(client, aftale_med, lav_aftale):
    udkast = aftale_med("Hemmeligt udkast", "<p>Zebraforløb</p>", status=Status.UDKAST)
    hoering = lav_aftale(Status.HOERING, titel="Zebra i høring")
    search.indeks_genopbyg()
    assert not Soegeindeks.objects.filter(aftale__in=[udkast, hoering]).exists()
    assert fundne(client, "zebra") == []
    assert fundne(client, "hemmeligt") == []


def test_under_revision_only_the_published_text_is_indexed(client, lav_aftale, personas):
    sek = personas["sekretariat"]
    aftale = lav_aftale(Status.I_KRAFT, titel="Aftale om genoptræning")
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.REVIDER)
    a = _frisk(aftale)
    services.aftale_gem(aftale=a, bruger=sek, revision=a.revision, tekst="<p>Kladdeord giraffen</p>")
    search.indeks_genopbyg()
    assert fundne(client, "giraffen") == []
    assert fundne(client, "borgeren") == ["Aftale om genoptræning"]


def test_the_task_updates_one_agreement_and_drops_it_when_it_is_no_longer_public(aftale_med, personas):
    aftale = aftale_med("Aftale om kaniner", "<p>Kaniner</p>")
    assert offentlig_opdater(aftale.pk) is True
    assert Soegeindeks.objects.get(pk=aftale.pk).version_nummer == 1
    services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=Handling.SEND_RETUR)
    assert offentlig_opdater(aftale.pk) is False
    assert not Soegeindeks.objects.filter(pk=aftale.pk).exists()


def test_the_list_catches_up_with_changes_the_task_did_not_see(client, aftale_med, personas):
    # No task and no rebuild: the search brings the index up to date on the first query after a change.
    aftale_med("Aftale om hjemmepleje", "<p>Plejen af borgeren</p>")
    assert fundne(client, "hjemmepleje") == ["Aftale om hjemmepleje"]
    anden = aftale_med("Aftale om rehabilitering", "<p>Genoptræning</p>")
    assert fundne(client, "rehabilitering") == ["Aftale om rehabilitering"]
    services.aftale_overgang(aftale=anden, bruger=personas["sekretariat"], handling=Handling.SEND_RETUR)
    assert fundne(client, "rehabilitering") == []


def test_the_management_command_rebuilds_the_index(aftale_med, capsys):
    aftale_med("Aftale om tandpleje", "<p>Tænder</p>")
    Soegeindeks.objects.all().delete()
    call_command("soegeindeks")
    assert Soegeindeks.objects.count() == 1
    assert "1 aftale indekseret" in capsys.readouterr().out


# --- matching (SQLite) -------------------------------------------------------------------------


@kun_sqlite
def test_sqlite_matches_danish_letters_in_any_case_and_spelling(client, aftale_med):
    aftale_med("Udskrivning af ældre medicinske patienter", "<p>Den ældre borger</p>")
    for q in ("ældre", "ÆLDRE", "Ældre", "aeldre", "AELDRE"):
        assert fundne(client, q) == ["Udskrivning af ældre medicinske patienter"], q


@kun_sqlite
def test_sqlite_matches_word_prefixes_not_the_middle_of_words(client, aftale_med):
    aftale_med("Aftale om sundhedsvisitationer", "<p>Borgerens forløb</p>")
    assert fundne(client, "borg") == ["Aftale om sundhedsvisitationer"]
    assert fundne(client, "sundhedsvisit") == ["Aftale om sundhedsvisitationer"]
    assert fundne(client, "orgerens") == []


@kun_sqlite
def test_every_word_of_the_query_must_match(client, aftale_med):
    aftale_med("Aftale om rygestop", "<p>Tilbud til gravide</p>")
    aftale_med("Aftale om kost", "<p>Tilbud til ældre</p>")
    assert fundne(client, "tilbud gravide") == ["Aftale om rygestop"]
    assert sorted(fundne(client, "tilbud")) == ["Aftale om kost", "Aftale om rygestop"]


@kun_sqlite
def test_sqlite_ranks_hits_in_the_title_first(client, aftale_med):
    aftale_med("Aftale om akutfunktioner", "<p>Noget om demens.</p>")
    aftale_med("Aftale om demens", "<p>Om hukommelse.</p>")
    assert fundne(client, "demens") == ["Aftale om demens", "Aftale om akutfunktioner"]


# --- highlighting -----------------------------------------------------------------------------------


def test_hits_are_highlighted_in_the_title_and_an_excerpt(client, aftale_med):
    aftale_med("Aftale om borgerens overgange", "<p>" + "fyld " * 40 + "Borgeren skal have en god overgang.</p>")
    html = client.get("/aftaler/", {"q": "borgeren"}).content.decode()
    assert re.search(r"<mark>[Bb]orgerens?</mark>", html)
    uddrag = re.search(r'<p class="aftalekort-uddrag">(.*?)</p>', html, re.S).group(1)
    assert "<mark>Borgeren</mark>" in uddrag


def test_highlighting_escapes_the_text_before_marking(client, aftale_med):
    aftale_med("Aftale <script>alert(1)</script> om borgere", "<p>Tekst &lt;b&gt;borgere&lt;/b&gt;</p>")
    html = client.get("/aftaler/", {"q": "borgere"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>" not in html


def test_marking_a_text_in_python_is_safe():
    html, antal = search.fremhaev_tekst("<i>Ældre</i> & ældres", search.Soegning.fra("aeldre"))
    assert html == "&lt;i&gt;<mark>Ældre</mark>&lt;/i&gt; &amp; <mark>ældres</mark>"
    assert antal == 2


# --- Danish full-text search (PostgreSQL) -----------------------------------------------------------


@kun_postgres
def test_postgres_stems_danish_inflections(client, aftale_med):
    aftale_med("Aftale om udskrivning", "<p>Borgerens overgang fra hospital til hjem.</p>")
    aftale_med("Samarbejdsaftale om rygestop", "<p>Tilbud til gravide.</p>")
    assert fundne(client, "borgere") == ["Aftale om udskrivning"]
    assert fundne(client, "borger") == ["Aftale om udskrivning"]
    assert fundne(client, "aftalerne") == ["Aftale om udskrivning"]  # a compound is not split
    assert fundne(client, "samarbejdsaftaler") == ["Samarbejdsaftale om rygestop"]
    assert fundne(client, "hospitalerne") == ["Aftale om udskrivning"]
    assert fundne(client, "overgangene") == ["Aftale om udskrivning"]


@kun_postgres
def test_postgres_finds_a_word_in_any_inflection(client, aftale_med):
    aftale_med("Aftale om genoptræning", "<p>Kommunen tilbyder genoptræningsplaner og aftalen gælder alle.</p>")
    for q in ("aftale", "aftalen", "aftaler", "aftalerne", "kommunerne", "kommune"):
        assert fundne(client, q) == ["Aftale om genoptræning"], q


@kun_postgres
def test_postgres_ranks_a_title_hit_above_a_text_hit(client, aftale_med):
    aftale_med("Aftale om akutfunktioner", "<p>Der står lidt om demens her.</p>")
    aftale_med("Aftale om demens", "<p>Om hukommelse.</p>")
    assert fundne(client, "demens") == ["Aftale om demens", "Aftale om akutfunktioner"]


@kun_postgres
def test_postgres_highlights_the_stemmed_hits(client, aftale_med):
    aftale_med("Aftale om udskrivning", "<p>Borgerens overgang fra hospital til hjem.</p>")
    html = client.get("/aftaler/", {"q": "borgere"}).content.decode()
    assert "<mark>Borgerens</mark>" in html


@kun_postgres
def test_postgres_has_a_gin_index_on_the_vector():
    with connection.cursor() as c:
        c.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'aftaler_soegeindeks'")
        definitioner = " ".join(r[0] for r in c.fetchall())
    assert "USING gin (vektor)" in definitioner


@kun_postgres
def test_postgres_understands_phrases_and_exclusions(client, aftale_med):
    aftale_med("Aftale om kost", "<p>Sund kost til ældre.</p>")
    aftale_med("Aftale om motion", "<p>Motion til ældre og sund kost.</p>")
    assert fundne(client, "ældre -motion") == ["Aftale om kost"]
    assert sorted(fundne(client, '"sund kost"')) == ["Aftale om kost", "Aftale om motion"]
    assert fundne(client, '"kost til ældre"') == ["Aftale om kost"]


# --- paging and sorting of hits -----------------------------------------------------------------


def test_hits_are_counted_paged_and_a_page_past_the_end_shows_the_last(client, lav_aftale, aftale_med):
    for i in range(23):
        lav_aftale(Status.INDSTILLET, titel=f"Aftale {i:02d} om borgerne")
    aftale_med("Uden det ord", "<p>Intet her.</p>")
    html = client.get("/aftaler/", {"q": "borgerne", "sortering": "titel"}).content.decode()
    assert "23 aftaler matcher »borgerne«" in html and "side 1 af 2" in html
    assert len(re.findall(r'class="aftalekort"', html)) == 20
    side2 = client.get("/aftaler/", {"q": "borgerne", "sortering": "titel", "side": "2"}).content.decode()
    assert len(re.findall(r'class="aftalekort"', side2)) == 3 and "Aftale 22 om" in side2
    langt = client.get("/aftaler/", {"q": "borgerne", "sortering": "titel", "side": "9"}).content.decode()
    assert "side 2 af 2" in langt
    assert "0 aftaler matcher" in client.get("/aftaler/", {"q": "xyzzy"}).content.decode()


def test_hits_can_be_sorted_and_filtered(client, aftale_med, lav_aftale):
    aftale_med("B-aftale om tandpleje", "<p>Tænder</p>")
    aftale_med("A-aftale om tandpleje", "<p>Tænder</p>")
    lav_aftale(Status.I_KRAFT, titel="C-aftale om tandpleje")
    assert fundne(client, "tandpleje")  # any order
    html = client.get("/aftaler/", {"q": "tandpleje", "sortering": "titel"}).content.decode()
    assert html.index("A-aftale") < html.index("B-aftale") < html.index("C-aftale")
    html = client.get("/aftaler/", {"q": "tandpleje", "status": "i_kraft"}).content.decode()
    assert "C-aftale" in html and "A-aftale" not in html
