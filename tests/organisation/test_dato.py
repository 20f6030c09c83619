"""The structure pages on a chosen day (`?dato=`): before, during and after the change of 1 January 2027,
the date chooser, invalid dates, successor links both ways, and constant query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisation import selectors
from organisation.choices import ForumType
from sundhed import datovalg
from tests.factories import ForumFactory, MedlemskabFactory, PartFactory
from tests.organisation.conftest import EFTER, FOER, FORBEREDELSE, to_epoker

pytestmark = pytest.mark.django_db

SIDER = [
    ("organisation", []),
    ("forum-detalje", ["klynge-et-politisk"]),
    ("klynge-liste", []),
    ("klynge-detalje", ["klynge-et"]),
]


def side(client, navn: str, args=(), dato: datetime.date | str | None = None, status: int = 200) -> str:
    url = reverse(navn, args=args) + (f"?dato={dato}" if dato is not None else "")
    svar = client.get(url)
    assert svar.status_code == status, (url, svar.status_code)
    return svar.content.decode()


def sektion(html: str, overskrift_id: str) -> str:
    """The HTML from the heading with `overskrift_id` to the end of its <section>."""
    start = html.index(f'id="{overskrift_id}"')
    return html[start:html.index("</section>", start)]


def hovedindhold(html: str) -> str:
    return html[html.index('<main'):html.index('</main>')]


def strukturlinks(html: str) -> list[str]:
    """Every link in the page's main content to a forum or cluster page (the menu is not the page's own)."""
    return re.findall(r'href="(/(?:organisation/fora|klynger)/[^"]*)"', hovedindhold(html))


# --- the date helper (sundhed/datovalg.py) -------------------------------------------------------------


@pytest.mark.parametrize(("vaerdi", "forventet"), [
    ("2027-02-01", datetime.date(2027, 2, 1)),
    (" 2027-02-01 ", datetime.date(2027, 2, 1)),
    ("", None),
    (None, None),
])
def test_a_date_is_read_as_yyyy_mm_dd(vaerdi, forventet):
    assert datovalg.laes_dato(vaerdi) == forventet


@pytest.mark.parametrize(("vaerdi", "besked"), [
    ("abc", "Datoen »abc« kunne ikke læses. Skriv datoen som ÅÅÅÅ-MM-DD, fx 2027-02-01."),
    ("20270201", "Datoen »20270201« kunne ikke læses."),
    ("2027-W05-1", "Datoen »2027-W05-1« kunne ikke læses."),
    ("1.2.2027", "Datoen »1.2.2027« kunne ikke læses."),
    ("2027-13-01", "Datoen »2027-13-01« findes ikke. Skriv datoen som ÅÅÅÅ-MM-DD, fx 2027-02-01."),
    ("2027-02-30", "Datoen »2027-02-30« findes ikke."),
])
def test_anything_else_is_refused_with_a_danish_message_naming_the_field(vaerdi, besked):
    with pytest.raises(datovalg.UgyldigDato) as fejl:
        datovalg.laes_dato(vaerdi)
    assert fejl.value.field == "dato"
    assert fejl.value.message.startswith(besked)


def test_without_a_date_the_day_is_today():
    assert datovalg.dato_fra({}) == timezone.localdate()
    assert datovalg.Datovalg.fra({"dato": ""}).er_idag
    assert datovalg.Datovalg.fra({}).query == ""


def test_the_chosen_day_is_named_in_danish_and_kept_in_links():
    valg = datovalg.Datovalg.fra({"dato": "2027-02-01"})
    assert valg.overskrift == "Strukturen pr. 1. februar 2027"
    assert valg.query == "?dato=2027-02-01"


# --- /organisation/ --------------------------------------------------------------------------------------


def test_before_the_change_the_diagram_has_the_clusters_and_the_sundhedsraad_is_preparatory(client, epoker):
    html = side(client, "organisation", dato=FORBEREDELSE)
    figur = sektion(html, "figur")
    assert "Klynge Et" in figur and "Politisk niveau" in figur and "Sundhedssamarbejdsudvalget" in figur
    assert "Sundhedsråd Et" not in figur
    forberedende = sektion(html, "forberedende")
    assert "Forberedende organer" in forberedende
    assert "Sundhedsråd Et" in forberedende
    assert "forberedende fra 1. januar 2026 · træder i kraft 1. januar 2027" in forberedende
    assert 'id="kommende"' not in html
    assert "Sundhedsråd Et" not in sektion(html, "organer")


def test_before_the_preparatory_period_the_sundhedsraad_is_a_coming_body(client, epoker):
    html = side(client, "organisation", dato=FOER)
    assert "Sundhedsråd Et" in sektion(html, "kommende")
    assert 'id="forberedende"' not in html


def test_after_the_change_the_diagram_shows_the_sundhedsraad_and_the_clusters_are_archived(client, epoker):
    html = side(client, "organisation", dato=EFTER)
    figur = sektion(html, "figur")
    assert "Sundhedsråd Et" in figur
    assert f'href="{reverse("forum-detalje", args=["sundhedsraad-klynge-et"])}?dato=2027-02-01"' in figur
    assert "Klynge Et" not in figur and "Sundhedssamarbejdsudvalget" not in figur
    assert "Klynge To" not in figur  # a cluster without levels has no box
    arkiv = sektion(html, "arkiverede")
    for navn in ["Klynge Et, politisk niveau", "Klynge Et, administrativt niveau", "Sundhedssamarbejdsudvalget"]:
        assert navn in arkiv, navn
    assert ('Afløst af <a href="/organisation/fora/sundhedsraad-klynge-et/?dato=2027-02-01">Sundhedsråd Et</a>'
            " pr. 1. januar 2027") in arkiv
    assert "<h3 class=\"mt-7\">Sundhedsråd</h3>" in sektion(html, "organer")
    assert 'id="forberedende"' not in html


def test_the_sundhedsraad_form_one_group_box_in_the_diagram(epoker):
    to_epoker(navn="Klynge Tre", slug="klynge-tre", kommuner=[PartFactory()])
    oversigt = selectors.organisationsoversigt(EFTER)
    gruppe = next(k for k in oversigt.roedder if k.titel == "Sundhedsråd")
    assert gruppe.er_gruppe and gruppe.er_klyngegruppe
    assert [k.titel for k in gruppe.boern] == ["Sundhedsråd Et", "Sundhedsråd Tre"]
    assert all(k.forum.type == ForumType.SUNDHEDSRAAD for k in gruppe.boern)
    assert gruppe.boern[0].beskrivelse == epoker["omraade"].akuthospital.navn
    assert oversigt.har_sundhedsraad
    assert not selectors.organisationsoversigt(FORBEREDELSE).har_sundhedsraad


def test_the_recommending_body_is_read_from_the_data_for_the_day(client, epoker):
    from organisation.models import Indstillingsret

    Indstillingsret.objects.create(forum=epoker["udvalg"], valid_to=epoker["udvalg"].valid_to)
    foer = sektion(side(client, "organisation", dato=FORBEREDELSE), "figur")
    efter = sektion(side(client, "organisation", dato=EFTER), "figur")
    assert "Sundhedssamarbejdsudvalget indstiller samarbejdsaftaler til godkendelse." in foer
    assert ("Der er ikke registreret et organ, der indstiller samarbejdsaftaler til godkendelse pr. 1. februar 2027."
            in efter)
    assert "implementeres den i sundhedsrådenes områder" in efter


# --- the heading, the date chooser and invalid dates ----------------------------------------------------


@pytest.mark.parametrize(("navn", "args"), SIDER)
def test_a_page_on_another_day_says_which_day_it_shows(client, epoker, navn, args):
    html = side(client, navn, args, dato=EFTER)
    assert '<h2 class="alert-heading">Strukturen pr. 1. februar 2027</h2>' in html
    assert re.search(r"<title>[^<]* pr\. 1\. februar 2027", html)
    assert "Strukturen pr." not in side(client, navn, args)
    assert "Strukturen pr." not in side(client, navn, args, dato=timezone.localdate().isoformat())


@pytest.mark.parametrize(("navn", "args"), SIDER)
def test_every_structure_page_has_a_date_chooser_that_works_without_javascript(client, epoker, navn, args):
    html = side(client, navn, args, dato=EFTER)
    form = re.search(r'<form method="get" action="([^"]*)"[^>]*>(.*?)</form>', html, re.S)
    assert form, "ingen GET-formular"
    assert form[1] == reverse(navn, args=args)
    assert '<label class="form-label" for="dato">Vis strukturen pr. dato</label>' in form[2]
    assert re.search(r'<input[^>]* type="date" id="dato" name="dato" value="2027-02-01"', form[2])
    assert '<button type="submit" class="button button-secondary mt-3">Vis</button>' in form[2]


@pytest.mark.parametrize(("navn", "args"), SIDER)
@pytest.mark.parametrize(("vaerdi", "besked"), [
    ("2027-13-01", "Datoen »2027-13-01« findes ikke."),
    ("abc", "Datoen »abc« kunne ikke læses."),
])
def test_an_invalid_date_gives_400_with_a_danish_message_at_the_date_chooser(client, epoker, navn, args, vaerdi,
                                                                            besked):
    html = side(client, navn, args, dato=vaerdi, status=400)
    assert "Datoen kunne ikke bruges" in html
    assert f'<li><a href="#dato">{besked}' in html
    assert f'<span class="form-error-message" id="dato-fejl"><span class="sr-only">Fejl: </span>{besked}' in html
    assert 'aria-describedby="dato-hjaelp dato-fejl" aria-invalid="true"' in html


def test_an_empty_date_from_the_form_means_today(client, epoker):
    assert "Strukturen pr." not in side(client, "organisation", dato="")


def test_an_unknown_slug_is_still_404_on_any_day(client, epoker):
    side(client, "forum-detalje", ["findes-ikke"], dato=EFTER, status=404)
    side(client, "klynge-detalje", ["findes-ikke"], dato=EFTER, status=404)


@pytest.mark.parametrize(("navn", "args"), SIDER)
def test_links_to_other_structure_pages_keep_the_chosen_day(client, epoker, navn, args):
    egen = reverse(navn, args=args)
    links = strukturlinks(side(client, navn, args, dato=EFTER))
    # The one link without the day: "Vis strukturen i dag", to the page itself.
    assert f'<a href="{egen}">Vis strukturen i dag</a>' in side(client, navn, args, dato=EFTER)
    links = [link for link in links if link != egen]
    assert links
    assert all(link.endswith("?dato=2027-02-01") for link in links), links
    assert not any("?dato=" in link for link in strukturlinks(side(client, navn, args)))


# --- successors as data: forward and back ---------------------------------------------------------------


def test_an_ended_cluster_level_links_forward_to_the_sundhedsraad(client, epoker):
    html = side(client, "forum-detalje", ["klynge-et-politisk"], dato=EFTER)
    assert '<span class="badge badge-arkiveret">Arkiveret</span>' in html
    assert ('Afløst af <a href="/organisation/fora/sundhedsraad-klynge-et/?dato=2027-02-01">Sundhedsråd Et</a>'
            " pr. 1. januar 2027") in html
    # Its members are shown as they were on its last day, and the page says so.
    assert "Borgmester i Klynge Et" in sektion(html, "medlemmer")
    assert "pr. 31. december 2026" in sektion(html, "medlemmer")
    assert "som de var den sidste dag, 31. december 2026" in html


def test_the_sundhedsraad_links_back_to_both_levels(client, epoker):
    html = side(client, "forum-detalje", ["sundhedsraad-klynge-et"], dato=EFTER)
    assert '<th scope="row">Afløser</th>' in html
    for slug, navn in [("klynge-et-politisk", "Klynge Et, politisk niveau"),
                       ("klynge-et-administrativ", "Klynge Et, administrativt niveau")]:
        assert f'<a href="/organisation/fora/{slug}/?dato=2027-02-01">{navn}</a>' in html
    assert f'<a href="{reverse("klynge-detalje", args=["sundhedsraad-klynge-et"])}?dato=2027-02-01">' in html
    medlemmer = sektion(html, "medlemmer")
    assert "Formand for Sundhedsråd Et" in medlemmer
    assert "Forberedende medlem" not in medlemmer
    assert "badge" not in html[html.index("<h1"):html.index("</h1>")]


def test_in_its_preparatory_period_the_sundhedsraad_page_says_so_and_shows_that_days_members(client, epoker):
    html = side(client, "forum-detalje", ["sundhedsraad-klynge-et"], dato=FORBEREDELSE)
    assert '<span class="badge badge-arkiveret">Forberedende</span>' in html
    assert ("Sundhedsråd Et mødes som forberedende organ fra 1. januar 2026 og træder i kraft 1. januar 2027."
            in html)
    medlemmer = sektion(html, "medlemmer")
    assert "Forberedende medlem af Sundhedsråd Et" in medlemmer
    assert "Formand for Sundhedsråd Et" not in medlemmer


def test_an_ended_cluster_page_links_forward_and_shows_its_levels_as_on_its_last_day(client, epoker):
    html = side(client, "klynge-detalje", ["klynge-et"], dato=EFTER)
    assert '<span class="badge badge-arkiveret">Arkiveret</span>' in html
    assert ('Afløst af <a href="/klynger/sundhedsraad-klynge-et/?dato=2027-02-01">Sundhedsråd Et</a>'
            " pr. 1. januar 2027") in html
    assert "Siden viser klyngen, som den var den sidste dag, 31. december 2026." in html
    assert "Politisk niveau" in html and "Borgmester i Klynge Et" in html
    assert "Kommune A, Kommune B" in html


def test_the_sundhedsraad_area_links_back_to_the_cluster_and_shows_the_council(client, epoker):
    html = side(client, "klynge-detalje", ["sundhedsraad-klynge-et"], dato=EFTER)
    assert '<th scope="row">Afløser</th><td><a href="/klynger/klynge-et/?dato=2027-02-01">Klynge Et</a>' in html
    assert '<th scope="row">Art</th><td>Sundhedsråd</td>' in html
    assert 'id="forum-sundhedsraad-klynge-et">Sundhedsråd</h2>' in html
    assert "Formand for Sundhedsråd Et" in html
    assert "Kommune A, Kommune B" in html


def test_before_the_change_the_sundhedsraad_area_is_coming(client, epoker):
    html = side(client, "klynge-detalje", ["sundhedsraad-klynge-et"], dato=FORBEREDELSE)
    assert '<span class="badge badge-arkiveret">Kommende</span>' in html
    assert "Sundhedsråd Et træder i kraft 1. januar 2027. Afløser" in html


# --- /klynger/ ------------------------------------------------------------------------------------------


def test_cluster_list_before_the_change_lists_the_clusters_and_the_coming_sundhedsraad(client, epoker):
    html = side(client, "klynge-liste", dato=FORBEREDELSE)
    i_kraft = sektion(html, "i-kraft")
    assert 'id="i-kraft">Sundhedsklynger pr. 1. juni 2026</h2>' in i_kraft
    assert "Klynge Et" in i_kraft and "Klynge To" in i_kraft and "Sundhedsråd Et" not in i_kraft
    kommende = sektion(html, "kommende")
    assert "Kommende sundhedsråd" in kommende
    assert 'Afløser <a href="/klynger/klynge-et/?dato=2026-06-01">Klynge Et</a>' in kommende
    assert 'id="arkiverede"' not in html


def test_cluster_list_after_the_change_has_the_sundhedsraad_as_current_and_the_cluster_archived(client, epoker):
    html = side(client, "klynge-liste", dato=EFTER)
    assert "<h1>Sundhedsklynger og sundhedsråd</h1>" in html
    i_kraft = sektion(html, "i-kraft")
    assert "Sundhedsklynger og sundhedsråd pr. 1. februar 2027" in i_kraft
    assert "Sundhedsråd Et" in i_kraft and "Klynge To" in i_kraft
    assert '<td><a href="/klynger/klynge-et/' not in i_kraft
    assert 'Afløser <a href="/klynger/klynge-et/?dato=2027-02-01">Klynge Et</a>' in i_kraft
    arkiv = sektion(html, "arkiverede")
    assert "Arkiverede sundhedsklynger" in arkiv
    assert "Klynge Et" in arkiv and "1. juli 2022 – 31. december 2026" in arkiv
    assert ('Afløst af <a href="/klynger/sundhedsraad-klynge-et/?dato=2027-02-01">Sundhedsråd Et</a>'
            " pr. 1. januar 2027") in arkiv


def test_everything_of_the_old_structure_stays_readable_at_its_address(client, epoker):
    for dato in (None, FORBEREDELSE, EFTER):
        for navn, args in [("klynge-detalje", ["klynge-et"]), ("forum-detalje", ["klynge-et-politisk"]),
                           ("forum-detalje", ["klynge-et-administrativ"]),
                           ("forum-detalje", ["sundhedssamarbejdsudvalget"])]:
            assert "<h1>" in side(client, navn, args, dato=dato)


def test_members_are_those_of_the_chosen_day(client, epoker):
    kb = epoker["struktur"]["fora"]["kb_a"]
    MedlemskabFactory(forum=kb, person__navn="Sekretær indtil 2026", valid_to=datetime.date(2026, 12, 31))
    MedlemskabFactory(forum=kb, person__navn="Sekretær fra 2027", valid_from=datetime.date(2027, 1, 1))
    foer = sektion(side(client, "forum-detalje", ["kb-a"], dato=FORBEREDELSE), "medlemmer")
    efter = sektion(side(client, "forum-detalje", ["kb-a"], dato=EFTER), "medlemmer")
    assert "Sekretær indtil 2026" in foer and "Sekretær fra 2027" not in foer
    assert "Sekretær fra 2027" in efter and "Sekretær indtil 2026" not in efter


def test_a_council_belongs_to_the_cluster_or_sundhedsraad_of_the_day(client, epoker):
    foer = side(client, "forum-detalje", ["kb-a"], dato=FORBEREDELSE)
    efter = side(client, "forum-detalje", ["kb-a"], dato=EFTER)
    assert 'hører til <a href="/klynger/klynge-et/?dato=2026-06-01">Klynge Et</a>' in foer
    assert 'hører til <a href="/klynger/sundhedsraad-klynge-et/?dato=2027-02-01">Sundhedsråd Et</a>' in efter


# --- constant number of queries -------------------------------------------------------------------------


def antal_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        svar = client.get(url)
    assert svar.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("navn", "args"), SIDER + [("forum-detalje", ["sundhedsraad-klynge-et"]),
                                                   ("klynge-detalje", ["sundhedsraad-klynge-et"])])
def test_a_page_runs_the_same_number_of_queries_on_any_day(client, epoker, navn, args):
    url = reverse(navn, args=args)
    idag = antal_queries(client, url)
    assert antal_queries(client, f"{url}?dato={FOER}") == idag
    assert antal_queries(client, f"{url}?dato={FORBEREDELSE}") == idag
    assert antal_queries(client, f"{url}?dato={EFTER}") == idag


def _flere_epoker(antal: int, start: int) -> None:
    """`antal` more clusters with levels, successors and members in both eras, and councils in them."""
    for i in range(start, start + antal):
        kommuner = [PartFactory(), PartFactory()]
        dele = to_epoker(navn=f"Klynge Ekstra{i}", slug=f"ekstra-{i}", kommuner=kommuner)
        ForumFactory(navn=f"Kommunalbestyrelse {i}", type=ForumType.KOMMUNALBESTYRELSE, part=kommuner[0])
        for forum in (dele["politisk"], dele["raad"]):
            for _ in range(3):
                MedlemskabFactory(forum=forum, repraesenterer=kommuner[1], valid_to=forum.valid_to)
        ForumFactory(navn=f"Underforum {i}", overordnet=dele["raad"], valid_from=dele["raad"].valid_from)


@pytest.mark.parametrize("dato", [FORBEREDELSE, EFTER])
@pytest.mark.parametrize("navn", ["organisation", "klynge-liste"])
def test_overview_pages_do_not_run_more_queries_with_more_bodies(client, epoker, navn, dato):
    _flere_epoker(1, 0)
    faa = antal_queries(client, f"{reverse(navn)}?dato={dato}")
    _flere_epoker(6, 1)
    mange = antal_queries(client, f"{reverse(navn)}?dato={dato}")
    assert faa == mange
    assert len(set(re.findall(r"Klynge Ekstra\d|Sundhedsråd Ekstra\d", side(client, navn, dato=dato)))) >= 7


@pytest.mark.parametrize("dato", [FORBEREDELSE, EFTER])
def test_detail_pages_do_not_run_more_queries_with_more_members_successors_or_sub_fora(client, epoker, dato):
    _flere_epoker(1, 0)
    lille = [antal_queries(client, f"{reverse(n, args=[s])}?dato={dato}")
             for n, s in [("forum-detalje", "sundhedsraad-ekstra-0"), ("klynge-detalje", "ekstra-0"),
                          ("forum-detalje", "ekstra-0-politisk")]]
    for i in range(8):
        MedlemskabFactory(forum=epoker["raad"], repraesenterer=PartFactory(), valid_from=datetime.date(2026, 1, 1))
        MedlemskabFactory(forum=epoker["politisk"], repraesenterer=PartFactory(), valid_to=epoker["politisk"].valid_to)
        ForumFactory(navn=f"Under {i}", overordnet=epoker["raad"], valid_from=datetime.date(2026, 1, 1))
    # More successors on the cluster side too: a second area takes over part of Klynge Et.
    ekstra = to_epoker(navn="Klynge Nabo", slug="nabo", kommuner=[PartFactory()])
    epoker["klynge"].efterfoelgere.add(ekstra["omraade"])
    epoker["politisk"].efterfoelgere.add(ekstra["raad"])
    stor = [antal_queries(client, f"{reverse(n, args=[s])}?dato={dato}")
            for n, s in [("forum-detalje", "sundhedsraad-klynge-et"), ("klynge-detalje", "klynge-et"),
                         ("forum-detalje", "klynge-et-politisk")]]
    assert lille == stor
