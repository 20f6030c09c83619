"""The public pages of the structure: organisation diagram, fora, clusters."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation import selectors
from organisation.choices import ForumType, KlyngeArt, Rolle
from tests.factories import ForumFactory, KlyngeFactory, MedlemskabFactory, PartFactory, PersonFactory

FORTID = datetime.date(2023, 12, 31)
FREMTID = datetime.date(2099, 1, 1)


def antal_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        svar = client.get(url)
    assert svar.status_code == 200
    return len(ctx.captured_queries)


def sektion(html: str, overskrift_id: str) -> str:
    """The HTML from the heading with `overskrift_id` to the end of its <section>."""
    start = html.index(f'id="{overskrift_id}"')
    return html[start:html.index("</section>", start)]


@pytest.fixture
def udvalg(struktur):
    return ForumFactory(navn="Sundhedssamarbejdsudvalget", slug="sundhedssamarbejdsudvalget",
                        type=ForumType.SUNDHEDSSAMARBEJDSUDVALG, sortering=1)


def klyngeniveauer(klynge, overordnet=None):
    politisk = ForumFactory(navn=f"{klynge.navn}, politisk niveau", slug=f"{klynge.slug}-politisk",
                            type=ForumType.KLYNGE_POLITISK, klynge=klynge, overordnet=overordnet)
    administrativ = ForumFactory(navn=f"{klynge.navn}, administrativt niveau", slug=f"{klynge.slug}-administrativ",
                                 type=ForumType.KLYNGE_ADMINISTRATIV, klynge=klynge, overordnet=overordnet)
    return politisk, administrativ


def boern(knude) -> list[str]:
    return [k.titel for k in knude.boern]


def find(knuder, titel):
    for k in knuder:
        if k.titel == titel:
            return k
        fundet = find(k.boern, titel)
        if fundet:
            return fundet
    return None


# ---- /organisation/ ----------------------------------------------------------------------------


def test_organisation_page_shows_the_committee_steering_group_clusters_and_councils(client, struktur, udvalg):
    klyngeniveauer(struktur["klynge"], overordnet=udvalg)
    svar = client.get(reverse("organisation"))
    assert svar.status_code == 200
    html = svar.content.decode()
    figur = sektion(html, "figur")
    for navn in ["Sundhedssamarbejdsudvalget", "Sundhedsstyregruppen", "Fælles sekretariat",
                 "Temagruppe Forebyggelse", "Klynge Et", "Politisk niveau", "Administrativt niveau",
                 "Regionsrådet", "Godkender samarbejdsaftaler"]:
        assert navn in figur, navn
    assert reverse("forum-detalje", args=["sundhedssamarbejdsudvalget"]) in figur
    assert reverse("klynge-detalje", args=["klynge-et"]) in figur
    # The councils are named by their authority in the approving bodies' box.
    assert "Kommune A" in figur and reverse("forum-detalje", args=["kb-a"]) in figur
    assert "<figure" in figur and "<figcaption" in figur


def test_diagram_places_bodies_without_overordnet_by_their_kind(struktur, udvalg):
    # No overordnet set anywhere; the cluster's administrative level comes from the fixture.
    ForumFactory(navn="Klynge Et, politisk", type=ForumType.KLYNGE_POLITISK, klynge=struktur["klynge"])
    oversigt = selectors.organisationsoversigt()
    assert [k.titel for k in oversigt.roedder] == ["Sundhedssamarbejdsudvalget"]
    top = oversigt.roedder[0]
    assert boern(top) == ["Sundhedsstyregruppen", "Sundhedsklynger"]
    styregruppe = top.boern[0]
    assert boern(styregruppe) == ["Fælles sekretariat", "Temagrupper"]
    assert boern(styregruppe.boern[1]) == ["Temagruppe Forebyggelse"]
    klynger = top.boern[1]
    assert klynger.er_klyngegruppe
    assert boern(klynger) == ["Klynge Et"]
    assert boern(klynger.boern[0]) == ["Politisk niveau", "Administrativt niveau"]
    # Councils are the approving bodies, not boxes in the tree.
    assert find(oversigt.roedder, "Kommunalbestyrelsen A") is None
    assert [f.slug for f in oversigt.kommunalbestyrelser] == ["kb-a", "kb-b"]
    assert [f.slug for f in oversigt.regionsraad] == ["regionsraadet"]


def test_diagram_follows_overordnet_when_it_is_set(struktur, udvalg):
    temagruppe = struktur["fora"]["temagruppe"]
    temagruppe.overordnet = udvalg
    temagruppe.save()
    arbejdsgruppe = ForumFactory(navn="Arbejdsgruppe Genoptræning", type=ForumType.ARBEJDSGRUPPE,
                                 overordnet=temagruppe)
    oversigt = selectors.organisationsoversigt()
    top = oversigt.roedder[0]
    assert "Temagrupper" in boern(top)
    knude = find(oversigt.roedder, "Temagruppe Forebyggelse")
    assert boern(knude) == ["Arbejdsgrupper"]
    assert knude.boern[0].boern[0].forum == arbejdsgruppe


def test_diagram_survives_a_cycle_in_overordnet(struktur, udvalg):
    a = ForumFactory(navn="A", type=ForumType.ARBEJDSGRUPPE)
    b = ForumFactory(navn="B", type=ForumType.ARBEJDSGRUPPE, overordnet=a)
    a.overordnet = b
    a.save()
    oversigt = selectors.organisationsoversigt()
    assert find(oversigt.roedder, "A") is not None
    assert find(oversigt.roedder, "B") is not None


def test_diagram_without_a_committee_still_shows_every_body(client, struktur):
    svar = client.get(reverse("organisation"))
    assert svar.status_code == 200
    figur = sektion(svar.content.decode(), "figur")
    assert "Sundhedsstyregruppen" in figur and "Temagruppe Forebyggelse" in figur


def test_organisation_page_lists_every_body_with_its_tasks_grouped_by_kind(client, struktur, udvalg):
    udvalg.formaal = "Koordinerer og sætter retning på tværs af klyngerne."
    udvalg.opgaver = "- udarbejder udkast til sundhedsaftale\n\n• indstiller samarbejdsaftaler til godkendelse\n"
    udvalg.save()
    html = client.get(reverse("organisation")).content.decode()
    organer = sektion(html, "organer")
    assert "<h3 class=\"mt-7\">Sundhedssamarbejdsudvalg</h3>" in organer
    assert "<h3 class=\"mt-7\">Temagrupper</h3>" in organer
    assert "<h3 class=\"mt-7\">Kommunalbestyrelser</h3>" in organer
    assert "Koordinerer og sætter retning på tværs af klyngerne." in organer
    assert "<li>udarbejder udkast til sundhedsaftale</li>" in organer
    assert "<li>indstiller samarbejdsaftaler til godkendelse</li>" in organer


def test_archived_bodies_are_shown_separately_labelled_with_their_period(client, struktur, udvalg):
    ForumFactory(navn="Sundhedskoordinationsudvalget", slug="sundhedskoordinationsudvalget",
                 type=ForumType.SUNDHEDSSAMARBEJDSUDVALG, valid_from=datetime.date(2019, 1, 1), valid_to=FORTID)
    html = client.get(reverse("organisation")).content.decode()
    arkiv = sektion(html, "arkiverede")
    assert "Sundhedskoordinationsudvalget" in arkiv
    assert "Arkiveret" in arkiv
    assert "1. januar 2019 – 31. december 2023" in arkiv
    assert "Sundhedskoordinationsudvalget" not in sektion(html, "figur")
    assert "Sundhedskoordinationsudvalget" not in sektion(html, "organer")


def test_coming_bodies_are_listed_with_their_start_date(client, struktur):
    # A sundhedsråd names its area (a Klynge row), as the database requires.
    omraade = KlyngeFactory(navn="Sundhedsråd Vest", slug="sundhedsraad-vest", art=KlyngeArt.SUNDHEDSRAAD,
                            valid_from=FREMTID)
    ForumFactory(navn="Sundhedsråd Vest", type=ForumType.SUNDHEDSRAAD, klynge=omraade, valid_from=FREMTID)
    html = client.get(reverse("organisation")).content.decode()
    kommende = sektion(html, "kommende")
    assert "Sundhedsråd Vest" in kommende and "fra 1. januar 2099" in kommende
    assert "Sundhedsråd Vest" not in sektion(html, "figur")


# ---- /organisation/fora/<slug>/ ---------------------------------------------------------------


def test_forum_page_shows_purpose_tasks_composition_mandate_and_period(client, struktur):
    forum = struktur["fora"]["styregruppe"]
    forum.formaal = "Det øverste administrative organ."
    forum.opgaver = "Træffer strategiske beslutninger\nFølger implementeringen"
    forum.sammensaetning = "7 direktører fra kommunerne\n6 hospitalsledelsesrepræsentanter"
    forum.kommissorium = "Nedsat af udvalget."
    forum.moedefrekvens = "4-5 gange om året"
    forum.save()
    html = client.get(reverse("forum-detalje", args=[forum.slug])).content.decode()
    for tekst in ["<h1>Sundhedsstyregruppen", "Det øverste administrative organ.",
                  "<li>Træffer strategiske beslutninger</li>", "<li>Følger implementeringen</li>",
                  "7 direktører fra kommunerne", "Kommissorium", "Nedsat af udvalget.", "4-5 gange om året",
                  "fra 1. juli 2022", "Sundhedsstyregruppe"]:
        assert tekst in html, tekst
    assert "Arkiveret" not in html


def test_forum_page_lists_active_members_by_role_and_party(client, struktur):
    forum = struktur["fora"]["styregruppe"]
    region, kommune_a = struktur["region"], struktur["kommune_a"]
    MedlemskabFactory(forum=forum, rolle=Rolle.SEKRETAER, person=PersonFactory(navn="Sekretær, Region"),
                      repraesenterer=region)
    MedlemskabFactory(forum=forum, rolle=Rolle.MEDLEM, person=PersonFactory(navn="Direktør, Kommune A"),
                      repraesenterer=kommune_a)
    MedlemskabFactory(forum=forum, rolle=Rolle.NAESTFORMAND, person=PersonFactory(navn="Kommunaldirektør"),
                      repraesenterer=kommune_a)
    MedlemskabFactory(forum=forum, rolle=Rolle.FORMAND, person=PersonFactory(navn="Koncerndirektør"),
                      repraesenterer=region)
    MedlemskabFactory(forum=forum, rolle=Rolle.MEDLEM, person=PersonFactory(navn="Tidligere medlem"),
                      valid_from=datetime.date(2020, 1, 1), valid_to=FORTID)
    html = client.get(reverse("forum-detalje", args=[forum.slug])).content.decode()
    tabel = html[html.index("<table class=\"table table--zebra\">"):html.index("</table>", html.index("table--zebra"))]
    for kolonne in ["Navn/rolle", "Rolle", "Repræsenterer", "Periode"]:
        assert f'<th scope="col">{kolonne}</th>' in tabel
    raekkefoelge = [tabel.index(n) for n in ["Koncerndirektør", "Kommunaldirektør", "Direktør, Kommune A",
                                              "Sekretær, Region"]]
    assert raekkefoelge == sorted(raekkefoelge)
    assert "Formand" in tabel and "Næstformand" in tabel and "Sekretær" in tabel
    assert "Region Midtjylland" in tabel and "Kommune A" in tabel
    assert "Tidligere medlem" not in html


def test_council_page_links_to_the_cluster_of_its_authority(client, struktur):
    html = client.get(reverse("forum-detalje", args=["kb-a"])).content.decode()
    assert "Kommune A" in html
    assert f'href="{reverse("klynge-detalje", args=["klynge-et"])}"' in html


def test_cluster_level_page_links_to_its_cluster(client, struktur):
    html = client.get(reverse("forum-detalje", args=["klynge-et-adm"])).content.decode()
    assert f'<a href="{reverse("klynge-detalje", args=["klynge-et"])}">Klynge Et</a>' in html


def test_forum_page_lists_active_sub_fora_only(client, struktur):
    styregruppe = struktur["fora"]["styregruppe"]
    ForumFactory(navn="Kvalitetsgruppe", type=ForumType.TEMAGRUPPE, overordnet=styregruppe)
    ForumFactory(navn="Nedlagt gruppe", type=ForumType.TEMAGRUPPE, overordnet=styregruppe, valid_to=FORTID)
    html = client.get(reverse("forum-detalje", args=[styregruppe.slug])).content.decode()
    underfora = sektion(html, "underfora")
    assert "Kvalitetsgruppe" in underfora
    assert "Nedlagt gruppe" not in underfora


def test_archived_forum_page_is_labelled_with_its_period(client, struktur):
    ForumFactory(navn="Vestklyngens styregruppe", slug="vest-styregruppe", valid_to=FORTID)
    html = client.get(reverse("forum-detalje", args=["vest-styregruppe"])).content.decode()
    assert '<span class="badge badge-arkiveret">Arkiveret</span>' in html
    assert "1. juli 2022 – 31. december 2023" in html


def test_unknown_forum_is_404(client, struktur):
    assert client.get("/organisation/fora/findes-ikke/").status_code == 404


# ---- /klynger/ ---------------------------------------------------------------------------------


def test_cluster_list_shows_hospital_and_municipalities(client, struktur):
    klynge = struktur["klynge"]
    html = client.get(reverse("klynge-liste")).content.decode()
    assert f'<a href="{reverse("klynge-detalje", args=["klynge-et"])}">Klynge Et</a>' in html
    assert klynge.akuthospital.navn in html
    assert "Kommune A, Kommune B" in html
    assert "Klynge To" in html and "Kommune C" in html
    assert "Arkiverede klynger" not in html


def test_archived_clusters_are_marked(client, struktur):
    KlyngeFactory(navn="Vestklyngen", slug="vestklyngen", valid_from=datetime.date(2019, 1, 1), valid_to=FORTID,
                  kommuner=[PartFactory(navn="Herning Kommune", slug="herning", kortnavn="Herning")])
    html = client.get(reverse("klynge-liste")).content.decode()
    arkiv = sektion(html, "arkiverede")
    assert "Vestklyngen" in arkiv and "Arkiveret" in arkiv and "Herning" in arkiv
    assert "1. januar 2019 – 31. december 2023" in arkiv
    detalje = client.get(reverse("klynge-detalje", args=["vestklyngen"])).content.decode()
    assert '<span class="badge badge-arkiveret">Arkiveret</span>' in detalje


def test_cluster_page_shows_hospital_municipalities_former_name_and_both_levels_with_members(client, struktur):
    klynge = struktur["klynge"]
    klynge.tidligere_navn = "Klynge Nul"
    klynge.save()
    politisk = ForumFactory(navn="Klynge Et, politisk niveau", slug="klynge-et-pol", type=ForumType.KLYNGE_POLITISK,
                            klynge=klynge)
    MedlemskabFactory(forum=politisk, rolle=Rolle.FORMAND, person=PersonFactory(navn="Borgmester, Kommune A"),
                      repraesenterer=struktur["kommune_a"])
    MedlemskabFactory(forum=struktur["fora"]["klynge_adm"], person=PersonFactory(navn="Sundhedschef, Kommune B"),
                      repraesenterer=struktur["kommune_b"])
    html = client.get(reverse("klynge-detalje", args=["klynge-et"])).content.decode()
    for tekst in ["<h1>Klynge Et", klynge.akuthospital.navn, "Kommune A, Kommune B", "Klynge Nul",
                  "Politisk niveau", "Administrativt niveau", "Borgmester, Kommune A", "Sundhedschef, Kommune B"]:
        assert tekst in html, tekst
    assert html.index("Politisk niveau") < html.index("Administrativt niveau")
    assert f'href="{reverse("forum-detalje", args=["klynge-et-pol"])}"' in html


def test_unknown_cluster_is_404(client, struktur):
    assert client.get("/klynger/findes-ikke/").status_code == 404


# ---- Constant number of queries ----------------------------------------------------------------


def _medlemmer(forum, antal: int) -> None:
    for i in range(antal):
        MedlemskabFactory(forum=forum, rolle=[Rolle.FORMAND, Rolle.MEDLEM, Rolle.SEKRETAER][i % 3],
                          repraesenterer=PartFactory())


def test_forum_page_runs_the_same_number_of_queries_for_1_and_30_members(client, struktur):
    lille, stor = struktur["fora"]["kb_a"], struktur["fora"]["kb_b"]
    _medlemmer(lille, 1)
    _medlemmer(stor, 30)
    for i in range(5):
        ForumFactory(navn=f"Under {i}", overordnet=stor)
    ForumFactory(navn="Under lille", overordnet=lille)
    url = "forum-detalje"
    assert antal_queries(client, reverse(url, args=["kb-a"])) == antal_queries(client, reverse(url, args=["kb-b"]))


def test_cluster_page_runs_the_same_number_of_queries_for_1_and_30_members(client, struktur):
    lille, stor = struktur["anden_klynge"], struktur["klynge"]
    p_lille, a_lille = klyngeniveauer(lille)
    p_stor, _a_stor = klyngeniveauer(KlyngeFactory(navn="Klynge Tre", slug="klynge-tre"))
    stor = p_stor.klynge
    _medlemmer(p_lille, 1)
    _medlemmer(p_stor, 30)
    _medlemmer(_a_stor, 30)
    assert antal_queries(client, reverse("klynge-detalje", args=[lille.slug])) == antal_queries(
        client, reverse("klynge-detalje", args=[stor.slug]))


def _klynger(antal: int, udvalg) -> None:
    for i in range(antal):
        kommuner = [PartFactory(), PartFactory()]
        klynge = KlyngeFactory(navn=f"Ekstra klynge {i}", kommuner=kommuner)
        klyngeniveauer(klynge, overordnet=udvalg)
        ForumFactory(navn=f"Kommunalbestyrelse {i}", type=ForumType.KOMMUNALBESTYRELSE, part=kommuner[0])
        ForumFactory(navn=f"Arkiveret {i}", valid_to=FORTID)
        KlyngeFactory(navn=f"Arkiveret klynge {i}", valid_to=FORTID, kommuner=[kommuner[1]])


@pytest.mark.parametrize("side", ["organisation", "klynge-liste", "forside"])
def test_structure_pages_run_the_same_number_of_queries_for_1_and_10_clusters(client, struktur, udvalg, side):
    _klynger(1, udvalg)
    faa = antal_queries(client, reverse(side))
    _klynger(9, udvalg)
    mange = antal_queries(client, reverse(side))
    assert faa == mange
    html = client.get(reverse(side)).content.decode()
    assert len(re.findall(r"Ekstra klynge \d", html)) >= 10
