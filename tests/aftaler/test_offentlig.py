"""The public site of the agreements: list, filters, the agreement page, versions and comparison,
caching with ETag/304, constant query counts, and the lists on cluster and forum pages."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from aftaler import services
from aftaler.choices import Beslutning, ImplementeringStatus, Omfang, Status, Udfald
from aftaler.models import Samarbejdsaftale
from aftaler.workflow import Handling
from organisation.choices import ForumType
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk, godkend_alle
from tests.factories import ForumFactory, PartFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sek(personas):
    return personas["sekretariat"]


@pytest.fixture
def frem(sek, udvalg):
    """frem(aftale, status): carry an existing draft on to `status` through the services."""

    def frem(aftale, status):
        services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                                 beslutningsfrist=OM_EN_MAANED)
        if status == Status.INDSTILLET:
            return _frisk(aftale)
        godkend_alle(_frisk(aftale))
        if status == Status.GODKENDT:
            return _frisk(aftale)
        services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.OFFENTLIGGOER,
                                 ikrafttraedelse=I_DAG)
        if status == Status.I_KRAFT:
            return _frisk(aftale)
        services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.OPHAEV)
        return _frisk(aftale)

    return frem


@pytest.fixture
def revision(lav_aftale, sek):
    """An agreement in force (version 1) whose revision has a draft version 2."""

    def lav(titel="Aftale om genoptræning"):
        aftale = lav_aftale(Status.I_KRAFT, titel=titel)
        services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.REVIDER)
        aftale = _frisk(aftale)
        services.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision,
                            tekst="<p>Hemmelig kladde om borgeren og nye regler.</p>", aendringsnote="Kladde")
        return _frisk(aftale)

    return lav


def _tekst(svar) -> str:
    return svar.content.decode()


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_every_public_agreement_and_no_draft_or_consultation(client, lav_aftale):
    for status in Status.values:
        lav_aftale(status, titel=f"Aftale med status {status}")
    svar = client.get("/aftaler/")
    assert svar.status_code == 200
    html = _tekst(svar)
    for status in ("indstillet", "godkendt", "i_kraft", "ophaevet"):
        assert f"Aftale med status {status}" in html
    assert "Aftale med status udkast" not in html
    assert "Aftale med status hoering" not in html
    assert "4 aftaler" in html


def test_the_list_shows_state_area_scope_and_dates(client, lav_aftale, struktur):
    lav_aftale(Status.I_KRAFT, titel="Lokal aftale", omfang=Omfang.LOKAL, klynge=struktur["klynge"])
    html = _tekst(client.get("/aftaler/"))
    assert "I kraft" in html
    assert "Lokal: Klynge Et" in html
    assert "I kraft fra" in html and "Indstillet" in html and "Godkendt" in html


def test_the_main_menu_links_the_public_list(client):
    assert 'href="/aftaler/"' in _tekst(client.get("/"))


def test_the_list_filters_by_state_scope_cluster_and_owner(client, lav_aftale, struktur):
    temagruppe = struktur["fora"]["temagruppe"]
    lav_aftale(Status.INDSTILLET, titel="Regional indstillet", ejer_forum=temagruppe)
    lav_aftale(Status.I_KRAFT, titel="Lokal i Klynge Et", omfang=Omfang.LOKAL, klynge=struktur["klynge"])
    lav_aftale(Status.I_KRAFT, titel="Lokal i Klynge To", omfang=Omfang.LOKAL, klynge=struktur["anden_klynge"])

    def titler(**params):
        html = _tekst(client.get("/aftaler/", params))
        return {t for t in ("Regional indstillet", "Lokal i Klynge Et", "Lokal i Klynge To") if t in html}

    assert titler(status="indstillet") == {"Regional indstillet"}
    assert titler(status="i_kraft") == {"Lokal i Klynge Et", "Lokal i Klynge To"}
    assert titler(omfang="regional") == {"Regional indstillet"}
    # A regional agreement applies in every cluster, a local one in its own.
    assert titler(klynge="klynge-et") == {"Regional indstillet", "Lokal i Klynge Et"}
    assert titler(klynge="klynge-et", omfang="lokal") == {"Lokal i Klynge Et"}
    assert titler(ejer=temagruppe.slug) == {"Regional indstillet"}
    # An unknown value is ignored rather than an error, and does not void the other filters.
    assert client.get("/aftaler/", {"status": "udkast"}).status_code == 200
    assert titler(status="udkast", omfang="regional") == {"Regional indstillet"}


def test_the_list_filters_by_area_of_effort(client, lav_aftale):
    from aftaler.models import Indsatsomraade, Sundhedsaftale

    sa = Sundhedsaftale.objects.create(titel="Sundhedsaftalen", slug="sa", periode_fra=2019, periode_til=2023)
    aeldre = Indsatsomraade.objects.create(sundhedsaftale=sa, navn="Sammen om ældre borgere", slug="aeldre")
    lav_aftale(Status.I_KRAFT, titel="Om ældre", indsatsomraade=aeldre)
    lav_aftale(Status.I_KRAFT, titel="Om noget andet")
    html = _tekst(client.get("/aftaler/", {"omraade": "aeldre"}))
    assert "Om ældre" in html and "Om noget andet" not in html


def test_an_agreement_under_revision_is_listed_as_in_force(client, revision):
    revision(titel="Revideret aftale")
    html = _tekst(client.get("/aftaler/", {"status": "i_kraft"}))
    assert "Revideret aftale" in html
    assert "en ny version er under behandling" in html


def test_the_list_sorts_by_title_or_by_entry_into_force(client, lav_aftale, sek):
    b = lav_aftale(Status.I_KRAFT, titel="B-aftale")
    lav_aftale(Status.I_KRAFT, titel="A-aftale")
    Samarbejdsaftale.objects.filter(pk=b.pk).update(ikrafttraedelse=OM_EN_MAANED)
    html = _tekst(client.get("/aftaler/"))
    assert html.index("A-aftale") < html.index("B-aftale")
    html = _tekst(client.get("/aftaler/", {"sortering": "ikraft"}))
    assert html.index("B-aftale") < html.index("A-aftale")


def test_the_list_paginates_with_plain_links_that_keep_the_filters(client, lav_aftale):
    for i in range(23):
        lav_aftale(Status.INDSTILLET, titel=f"Aftale nummer {i:02d}")
    html = _tekst(client.get("/aftaler/", {"status": "indstillet"}))
    assert "Aftale nummer 19" in html and "Aftale nummer 20" not in html
    assert 'href="?status=indstillet&amp;side=2"' in html
    html = _tekst(client.get("/aftaler/", {"status": "indstillet", "side": "2"}))
    assert "Aftale nummer 20" in html and "Aftale nummer 19" not in html
    assert 'aria-current="page"' in html


def test_the_search_and_filters_are_a_plain_get_form(client):
    html = _tekst(client.get("/aftaler/"))
    form = re.search(r'<form method="get" action="/aftaler/"[^>]*role="search"', html)
    assert form
    for navn in ("q", "status", "omraade", "omfang", "klynge", "ejer", "sortering"):
        assert f'name="{navn}"' in html
    assert '<button type="submit" class="button button-primary">Vis aftaler</button>' in html


def test_public_pages_load_the_print_stylesheet_and_offer_the_feed(client, lav_aftale):
    aftale = lav_aftale(Status.I_KRAFT)
    for url in ("/aftaler/", f"/aftaler/{aftale.slug}/"):
        html = _tekst(client.get(url))
        assert "/static/css/aftaler.css" in html
        assert 'type="application/atom+xml"' in html


# --- one agreement ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.UDKAST, Status.HOERING])
def test_a_drafts_public_urls_are_404(client, lav_aftale, status):
    aftale = lav_aftale(status)
    for url in (f"/aftaler/{aftale.slug}/", f"/aftaler/{aftale.slug}/versioner/1/",
                f"/aftaler/{aftale.slug}/sammenlign/1/1/", f"/aftaler/{aftale.slug}.pdf"):
        assert client.get(url).status_code == 404, url


def test_a_drafts_page_is_404_even_for_the_secretariat(client, lav_aftale, sek):
    # Staff read drafts under /arbejde/; the public URL is for public agreements only.
    aftale = lav_aftale()
    client.force_login(sek)
    assert client.get(f"/aftaler/{aftale.slug}/").status_code == 404


def test_a_recommended_agreement_is_labelled_as_awaiting_decisions(client, lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    assert "Indstillet tekst – afventer beslutninger" in html
    assert "Indstillet aftaletekst" in html
    assert "Første tekst om borgeren." in html


def test_the_page_shows_the_step_indicator_and_the_key_dates(client, lav_aftale):
    aftale = lav_aftale(Status.I_KRAFT)
    Samarbejdsaftale.objects.filter(pk=aftale.pk).update(revisionsdato=OM_EN_MAANED)
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    trin = re.search(r'<ol class="step-indicator statusforloeb".*?</ol>', html, re.S).group(0)
    assert trin.count('class="completed"') == 4
    assert 'aria-current="step"' in trin and "Nu: </span>I kraft" in trin
    for etiket in ("Indstillet", "Godkendt af alle parter", "I kraft fra", "Næste revision"):
        assert f'<th scope="row">{etiket}</th>' in html
    assert f"{OM_EN_MAANED.day}. " in html


def test_the_decisions_table_names_every_authority_with_date_case_number_and_minutes(
        client, lav_aftale, struktur, personas):
    aftale = lav_aftale(Status.INDSTILLET)
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.GODKENDT, dato=I_DAG, sagsnummer="24/1234",
                                   referat_url="https://kommune-a.dk/referat/1")
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_b"], bruger=personas["kommune_b"],
                                   beslutning=Beslutning.UDSAT, dato=I_DAG, bemaerkning="Til næste møde")
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    tabel = re.search(r'<table class="table table--zebra beslutningstabel">.*?</table>', html, re.S).group(0)
    for navn in ("Kommune A", "Kommune B", "Kommune C", "Region Midtjylland"):
        assert f'<th scope="row">{navn}</th>' in tabel
    assert "24/1234" in tabel and 'href="https://kommune-a.dk/referat/1"' in tabel
    assert "Udsat" in tabel and "Til næste møde" in tabel
    assert "Afventer" in tabel
    assert "<strong>1 af 4</strong> myndigheder har godkendt version 1" in html


def test_the_map_has_a_labelled_tile_per_municipality_with_a_letter_and_a_text_legend(
        client, lav_aftale, struktur, personas):
    aftale = lav_aftale(Status.INDSTILLET)
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.AFVIST, dato=I_DAG)
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    svg = re.search(r"<svg class=\"kommunekort-svg\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="kort-titel kort-beskrivelse"' in svg
    assert svg.count("<g transform") == 3  # three municipalities in the test structure
    assert "<title>Kommune A: Afvist</title>" in svg
    assert "<title>Kommune B: Afventer beslutning</title>" in svg
    assert 'url(#moenster-afvist)' in svg  # a pattern as well as a colour
    assert ">A</text>" in svg and ">?</text>" in svg
    assert "A = Afvist (1)" in html and "? = Afventer beslutning (2)" in html


def test_a_local_agreements_map_shows_other_municipalities_as_not_party(client, lav_aftale, struktur):
    aftale = lav_aftale(Status.INDSTILLET, omfang=Omfang.LOKAL, klynge=struktur["klynge"])
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    assert "<title>Kommune C: Ikke part i aftalen</title>" in html
    assert "<title>Kommune A: Afventer beslutning</title>" in html
    assert "– = Ikke part i aftalen (1)" in html


def test_the_page_shows_implementation_per_cluster(client, lav_aftale, struktur, personas):
    aftale = lav_aftale(Status.I_KRAFT)
    services.implementering_opdater(aftale=aftale, klynge=struktur["klynge"], bruger=personas["klynge"],
                                    status=ImplementeringStatus.I_GANG, note="Undervisning planlagt")
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    sektion = re.search(r'id="implementering-titel".*?</table>', html, re.S).group(0)
    assert "Klynge Et" in sektion and "I gang" in sektion and "Undervisning planlagt" in sektion
    assert "Klynge To" in sektion and "Ikke startet" in sektion


def test_the_page_shows_the_fora_that_dealt_with_it(client, lav_aftale, struktur, sek):
    aftale = lav_aftale(Status.INDSTILLET)
    services.behandling_registrer(aftale=aftale, bruger=sek, forum=struktur["fora"]["styregruppe"], dato=I_DAG,
                                  udfald=Udfald.DROEFTET, note="Godt forarbejde")
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    assert "Sundhedsstyregruppen" in html and "Drøftet" in html and "Godt forarbejde" in html
    assert "Sundhedssamarbejdsudvalget" in html and "Anbefalet" in html


def test_attachments_are_listed_and_can_be_downloaded(client, lav_aftale, frem, sek):
    aftale = lav_aftale()
    bilag = services.bilag_tilfoej(aftale=aftale, bruger=sek, fil=SimpleUploadedFile("flow.pdf", PDF),
                                   titel="Flowdiagram")
    aftale = frem(aftale, Status.I_KRAFT)
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    assert "Flowdiagram" in html and f"/aftaler/{aftale.slug}/bilag/{bilag.pk}/" in html
    svar = client.get(f"/aftaler/{aftale.slug}/bilag/{bilag.pk}/")
    assert svar.status_code == 200 and b"".join(svar.streaming_content).startswith(b"%PDF")


def test_a_drafts_attachment_is_404(client, lav_aftale, sek):
    aftale = lav_aftale()
    bilag = services.bilag_tilfoej(aftale=aftale, bruger=sek, fil=SimpleUploadedFile("x.pdf", PDF))
    assert client.get(f"/aftaler/{aftale.slug}/bilag/{bilag.pk}/").status_code == 404


def test_an_attachment_added_to_a_revision_draft_is_not_public(client, revision, sek):
    aftale = revision()
    bilag = services.bilag_tilfoej(aftale=aftale, bruger=sek, fil=SimpleUploadedFile("kladde.pdf", PDF),
                                   titel="Kladdebilag")
    assert "Kladdebilag" not in _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    assert client.get(f"/aftaler/{aftale.slug}/bilag/{bilag.pk}/").status_code == 404


def test_the_page_shows_an_origin_in_a_pilot(client, struktur, sek, personas, frem):
    ph = services.proevehandling_gem(bruger=sek, klynge=struktur["klynge"], titel="Fremskudt visitation")
    services.proevehandling_praesenteret(proevehandling=ph, bruger=sek, dato=I_DAG)
    aftale = services.aftale_fra_proevehandling(proevehandling=ph, bruger=sek)
    services.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision, tekst="<p>Tekst</p>")
    aftale = frem(_frisk(aftale), Status.INDSTILLET)
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    assert "Prøvehandling »Fremskudt visitation« i" in html and "/klynger/klynge-et/" in html


def test_related_agreements_share_the_area_or_the_owner(client, lav_aftale, struktur):
    gruppe = struktur["fora"]["temagruppe"]
    aftale = lav_aftale(Status.I_KRAFT, titel="Hovedaftale", ejer_forum=gruppe)
    lav_aftale(Status.INDSTILLET, titel="Søsteraftale", ejer_forum=gruppe)
    lav_aftale(Status.UDKAST, titel="Hemmelig søster", ejer_forum=gruppe)
    lav_aftale(Status.I_KRAFT, titel="Fremmed aftale")
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    relaterede = re.search(r'id="relaterede-titel".*?</ul>', html, re.S).group(0)
    assert "Søsteraftale" in relaterede
    assert "Hemmelig søster" not in relaterede and "Fremmed aftale" not in relaterede


# --- revisions: the public sees the published version only --------------------------------------------


def test_under_revision_the_page_shows_the_published_text_never_the_draft(client, revision):
    aftale = revision()
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    assert "Første tekst om borgeren." in html
    assert "Hemmelig kladde" not in html
    assert "Aftalen er under revision" in html
    assert f"/aftaler/{aftale.slug}/versioner/2/" not in html
    assert client.get(f"/aftaler/{aftale.slug}/versioner/2/").status_code == 404
    assert client.get(f"/aftaler/{aftale.slug}/sammenlign/1/2/").status_code == 404


def test_a_revision_in_consultation_stays_hidden(client, revision, sek):
    aftale = revision()
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.SEND_I_HOERING,
                             hoeringsfrist=OM_EN_MAANED)
    assert client.get(f"/aftaler/{aftale.slug}/versioner/2/").status_code == 404
    assert "Hemmelig kladde" not in _tekst(client.get(f"/aftaler/{aftale.slug}/"))


def test_a_recommended_revision_keeps_the_text_in_force_and_links_the_new_version(client, revision, sek, udvalg):
    aftale = revision()
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                             beslutningsfrist=OM_EN_MAANED)
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    assert "Gældende aftaletekst" in html and "Første tekst om borgeren." in html
    assert "En ny version er indstillet til godkendelse" in html
    assert f'href="/aftaler/{aftale.slug}/versioner/2/"' in html
    assert f'href="/aftaler/{aftale.slug}/sammenlign/1/2/"' in html
    assert "Beslutninger om version 2" in html
    assert "Hemmelig kladde" in _tekst(client.get(f"/aftaler/{aftale.slug}/versioner/2/"))


def test_decisions_on_a_revision_sent_back_are_not_shown(client, revision, sek, udvalg, struktur, personas):
    aftale = revision()
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                             beslutningsfrist=OM_EN_MAANED)
    services.godkendelse_registrer(aftale=_frisk(aftale), part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.AFVIST, dato=I_DAG, sagsnummer="AFVIST-V2")
    services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.SEND_RETUR)
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    assert "AFVIST-V2" not in html
    assert "Beslutninger om version 1" in html
    assert client.get(f"/aftaler/{aftale.slug}/versioner/2/").status_code == 404


# --- versions and comparison ------------------------------------------------------------------------


@pytest.fixture
def tre_versioner(lav_aftale, sek, frem):
    """An agreement in force at version 3; versions 1 and 2 were frozen for consultation."""
    aftale = lav_aftale()
    for nummer, tekst in ((2, "<p>Borgeren skal have en god overgang.</p>"),
                          (3, "<p>Borgeren skal have en sikker overgang.</p>")):
        services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.SEND_I_HOERING,
                                 hoeringsfrist=OM_EN_MAANED)
        services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.AFSLUT_HOERING)
        a = _frisk(aftale)
        services.aftale_gem(aftale=a, bruger=sek, revision=a.revision, tekst=tekst, aendringsnote=f"Ændring {nummer}")
    return frem(_frisk(aftale), Status.I_KRAFT)


def test_the_version_history_lists_every_public_version_with_links(client, tre_versioner):
    aftale = tre_versioner
    html = _tekst(client.get(f"/aftaler/{aftale.slug}/"))
    for n in (1, 2, 3):
        assert f'href="/aftaler/{aftale.slug}/versioner/{n}/"' in html
    assert f'href="/aftaler/{aftale.slug}/sammenlign/2/3/"' in html
    assert "Ændring 3" in html


def test_an_earlier_version_is_readable_and_marked_as_not_in_force(client, tre_versioner):
    html = _tekst(client.get(f"/aftaler/{tre_versioner.slug}/versioner/2/"))
    assert "Borgeren skal have en god overgang." in html
    assert "Tidligere version" in html
    assert f'href="/aftaler/{tre_versioner.slug}/sammenlign/1/2/"' in html
    assert client.get(f"/aftaler/{tre_versioner.slug}/versioner/9/").status_code == 404


def test_the_comparison_marks_words_for_eyes_and_screen_readers(client, tre_versioner):
    html = _tekst(client.get(f"/aftaler/{tre_versioner.slug}/sammenlign/2/3/"))
    assert '<del><span class="sr-only">slettet: </span>god</del>' in html
    assert '<ins><span class="sr-only">tilføjet: </span>sikker</ins>' in html
    assert "1 ord tilføjet og 1 ord slettet." in html


def test_the_version_picker_sends_on_to_the_comparison(client, tre_versioner):
    svar = client.get(f"/aftaler/{tre_versioner.slug}/sammenlign/", {"a": "1", "b": "3"})
    assert svar.status_code == 302 and svar["Location"] == f"/aftaler/{tre_versioner.slug}/sammenlign/1/3/"
    assert client.get(f"/aftaler/{tre_versioner.slug}/sammenlign/", {"a": "x"}).status_code == 302


def test_an_unfrozen_version_between_public_ones_is_hidden(client, lav_aftale, sek, frem):
    aftale = lav_aftale()  # version 1, never frozen
    services.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision, tekst="<p>Version to</p>",
                        ny_version=True)
    aftale = frem(_frisk(aftale), Status.INDSTILLET)  # version 2 frozen
    assert client.get(f"/aftaler/{aftale.slug}/versioner/1/").status_code == 404
    assert client.get(f"/aftaler/{aftale.slug}/versioner/2/").status_code == 200


# --- caching --------------------------------------------------------------------------------------


def test_a_conditional_get_is_answered_304_without_rendering(client, lav_aftale):
    aftale = lav_aftale(Status.I_KRAFT)
    url = f"/aftaler/{aftale.slug}/"
    foerste = client.get(url)
    assert foerste["ETag"] and foerste["Last-Modified"]
    assert "no-cache" in foerste["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        svar = client.get(url, HTTP_IF_NONE_MATCH=foerste["ETag"])
    assert svar.status_code == 304 and not svar.content
    assert len(queries) == 1
    svar = client.get(url, HTTP_IF_MODIFIED_SINCE=foerste["Last-Modified"])
    assert svar.status_code == 304


@pytest.mark.parametrize("url", ["/aftaler/", "/aftaler/?q=borger", "/feeds/aftaler/", "/sitemap.xml",
                                 "/aftaler.csv", "/aftaler.json"])
def test_every_public_list_answers_304(client, lav_aftale, url):
    lav_aftale(Status.I_KRAFT)
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_cached_page_is_served_without_rendering_it_again(client, lav_aftale):
    aftale = lav_aftale(Status.I_KRAFT)
    url = f"/aftaler/{aftale.slug}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        svar = client.get(url)
    assert svar.status_code == 200 and b"Aftale om sundhedsvisitationer" in svar.content
    assert len(queries) == 1  # the change stamp only


def test_logged_in_users_get_their_own_etag_and_no_shared_cache(client, lav_aftale, sek):
    aftale = lav_aftale(Status.I_KRAFT)
    url = f"/aftaler/{aftale.slug}/"
    anonym = client.get(url)
    client.force_login(sek)
    svar = client.get(url)
    assert svar["ETag"] != anonym["ETag"]
    assert "private" in svar["Cache-Control"] and "Cookie" in svar["Vary"]
    assert "Log ud" in _tekst(svar)


def _etag(client, url):
    return client.get(url)["ETag"]


AENDRINGER = {
    # name: (state the agreement must be in, the change through a service)
    "beslutning": (Status.INDSTILLET, lambda a, s, p: services.godkendelse_registrer(
        aftale=a, part=s["kommune_a"], bruger=p["kommune_a"], beslutning=Beslutning.UDSAT, dato=I_DAG)),
    "behandling": (Status.INDSTILLET, lambda a, s, p: services.behandling_registrer(
        aftale=a, bruger=p["sekretariat"], forum=s["fora"]["styregruppe"], dato=I_DAG, udfald=Udfald.DROEFTET)),
    "overgang": (Status.I_KRAFT, lambda a, s, p: services.aftale_overgang(
        aftale=a, bruger=p["sekretariat"], handling=Handling.OPHAEV)),
    "implementering": (Status.I_KRAFT, lambda a, s, p: services.implementering_opdater(
        aftale=a, klynge=s["klynge"], bruger=p["klynge"], status=ImplementeringStatus.IMPLEMENTERET)),
    "revision": (Status.I_KRAFT, lambda a, s, p: services.aftale_overgang(
        aftale=a, bruger=p["sekretariat"], handling=Handling.REVIDER)),
}


@pytest.mark.parametrize("navn", AENDRINGER)
def test_any_change_through_a_service_changes_the_etag_even_if_the_cache_is_lost(
        client, lav_aftale, struktur, personas, navn):
    status, aendring = AENDRINGER[navn]
    aftale = lav_aftale(status)
    url = f"/aftaler/{aftale.slug}/"
    foer = _etag(client, url)
    aendring(_frisk(aftale), struktur, personas)
    cache.clear()  # the stamp must not depend on the "aftale-aendret" key surviving
    assert _etag(client, url) != foer


def test_the_aftale_aendret_stamp_alone_changes_the_etag(client, lav_aftale):
    from aftaler.tasks import aftale_aendret

    aftale = lav_aftale(Status.I_KRAFT)
    url = f"/aftaler/{aftale.slug}/"
    foer = _etag(client, url)
    aftale_aendret(aftale.pk)
    assert _etag(client, url) != foer


def test_a_change_to_another_agreement_refreshes_the_related_list(client, lav_aftale, struktur, sek):
    gruppe = struktur["fora"]["temagruppe"]
    aftale = lav_aftale(Status.I_KRAFT, ejer_forum=gruppe)
    anden = lav_aftale(Status.I_KRAFT, titel="Søster", ejer_forum=gruppe)
    url = f"/aftaler/{aftale.slug}/"
    assert "Søster" in _tekst(client.get(url))
    services.aftale_overgang(aftale=anden, bruger=sek, handling=Handling.OPHAEV)
    relaterede = re.search(r'id="relaterede-titel".*?</ul>', _tekst(client.get(url)), re.S).group(0)
    assert "Ophævet" in relaterede


# --- constant query counts ------------------------------------------------------------------------


def _queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        svar = client.get(url)
    assert svar.status_code == 200, url
    return len(queries)


def test_the_list_runs_the_same_queries_for_1_and_30_agreements(client, lav_aftale):
    from aftaler import search

    lav_aftale(Status.I_KRAFT, titel="Borgerens aftale 0")
    search.indeks_genopbyg()
    en = [_queries(client, u) for u in ("/aftaler/", "/aftaler/?q=borger", "/aftaler/?status=i_kraft&klynge=klynge-et")]
    for i in range(1, 30):
        lav_aftale(Status.INDSTILLET, titel=f"Borgerens aftale {i}")
    search.indeks_genopbyg()
    tredive = [_queries(client, u) for u in ("/aftaler/", "/aftaler/?q=borger",
                                              "/aftaler/?status=i_kraft&klynge=klynge-et")]
    assert en == tredive


def test_the_agreement_pages_run_the_same_queries_for_1_and_20_decisions(client, lav_aftale, personas, struktur):
    lille = lav_aftale(Status.INDSTILLET, titel="Lille")
    services.godkendelse_registrer(aftale=lille, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.GODKENDT, dato=I_DAG)
    for i in range(16):
        PartFactory(navn=f"Ekstra kommune {i}", slug=f"ekstra-{i}")
    stor = lav_aftale(Status.I_KRAFT, titel="Stor")  # 20 parties approve
    services.implementering_opdater(aftale=stor, klynge=struktur["klynge"], bruger=personas["klynge"],
                                    status=ImplementeringStatus.I_GANG)

    def alle(a):
        return [_queries(client, f"/aftaler/{a.slug}/"), _queries(client, f"/aftaler/{a.slug}/versioner/1/"),
                _queries(client, f"/aftaler/{a.slug}/sammenlign/1/1/")]

    assert len(_frisk(stor).aktuel_version.godkendelser.all()) == 20
    assert alle(lille) == alle(stor)


def test_the_agreement_page_runs_the_same_queries_for_1_and_3_versions(client, lav_aftale, tre_versioner):
    en = lav_aftale(Status.I_KRAFT, titel="En version")
    assert _queries(client, f"/aftaler/{en.slug}/") == _queries(client, f"/aftaler/{tre_versioner.slug}/")


# --- cluster and forum pages ------------------------------------------------------------------------


def _render(kode: str, **kontekst) -> str:
    return Template("{% load offentlig %}" + kode).render(Context(kontekst))


def test_the_cluster_tag_lists_what_the_cluster_implements_and_its_local_agreements(lav_aftale, struktur, personas):
    klynge = struktur["klynge"]
    regional = lav_aftale(Status.I_KRAFT, titel="Regional i kraft")
    services.implementering_opdater(aftale=regional, klynge=klynge, bruger=personas["klynge"],
                                    status=ImplementeringStatus.I_GANG)
    lav_aftale(Status.INDSTILLET, titel="Lokal indstillet", omfang=Omfang.LOKAL, klynge=klynge)
    lav_aftale(Status.UDKAST, titel="Lokalt udkast", omfang=Omfang.LOKAL, klynge=klynge)
    lav_aftale(Status.I_KRAFT, titel="Anden klynges", omfang=Omfang.LOKAL, klynge=struktur["anden_klynge"])
    html = _render("{% aftaler_for_klynge klynge %}", klynge=klynge)
    assert "Regional i kraft" in html and "I gang" in html
    assert "Lokal indstillet" in html
    assert "Lokalt udkast" not in html and "Anden klynges" not in html
    assert "/feeds/klynger/klynge-et/" in html


def test_the_forum_tag_lists_the_public_agreements_it_owns(lav_aftale, struktur):
    gruppe = struktur["fora"]["temagruppe"]
    lav_aftale(Status.GODKENDT, titel="Gruppens godkendte", ejer_forum=gruppe)
    lav_aftale(Status.UDKAST, titel="Gruppens udkast", ejer_forum=gruppe)
    html = _render("{% aftaler_for_forum forum %}", forum=gruppe)
    assert "Gruppens godkendte" in html and "Godkendt" in html
    assert "Gruppens udkast" not in html
    assert _render("{% aftaler_for_forum forum %}", forum=ForumFactory(type=ForumType.TEMAGRUPPE)).strip() == ""


def test_the_cluster_and_forum_tags_run_the_same_queries_for_1_and_10_agreements(lav_aftale, struktur):
    klynge, gruppe = struktur["klynge"], struktur["fora"]["temagruppe"]

    def antal(kode, **kontekst):
        with CaptureQueriesContext(connection) as queries:
            _render(kode, **kontekst)
        return len(queries)

    lav_aftale(Status.I_KRAFT, ejer_forum=gruppe)
    lav_aftale(Status.I_KRAFT, omfang=Omfang.LOKAL, klynge=klynge)
    foer = (antal("{% aftaler_for_klynge k %}", k=klynge), antal("{% aftaler_for_forum f %}", f=gruppe))
    for _ in range(9):
        lav_aftale(Status.I_KRAFT, ejer_forum=gruppe)
        lav_aftale(Status.I_KRAFT, omfang=Omfang.LOKAL, klynge=klynge)
    assert (antal("{% aftaler_for_klynge k %}", k=klynge), antal("{% aftaler_for_forum f %}", f=gruppe)) == foer
