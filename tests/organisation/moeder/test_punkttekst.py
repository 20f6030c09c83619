"""Agenda items' account, recommendation and decision are written with the agreements' editor and cleaned
with the same allow-list (sundhed/sanitize.py): nothing script-capable survives, the allowed markup does,
and plain text (older rows, the API, a browser without JavaScript) still reads as paragraphs."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from aftaler import sanitize as aftaler_sanitize
from organisation import moeder_services as services
from organisation.models import Dagsordenpunkt, MoedeStatus
from sundhed import sanitize
from tests.organisation.moeder.hjaelp import lav_moede

pytestmark = pytest.mark.django_db

FARLIG = (
    '<h2>Baggrund</h2><p onclick="stjael()">Første <strong>afsnit</strong> med '
    '<a href="javascript:alert(1)">et farligt link</a> og <a href="https://www.rm.dk/">et godt</a>.</p>'
    '<script>alert("xss")</script><img src="x" onerror="alert(2)"><ul><li>Punkt</li></ul>'
    '<iframe src="https://ondt.example"></iframe><blockquote>Citat</blockquote>'
)


def klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def assert_ren(html: str) -> None:
    for farligt in ("<script", "onerror", "onclick", "javascript:", "<img", "<iframe", 'alert("xss")'):
        assert farligt not in html


def test_the_service_strips_scripts_handlers_and_javascript_links_and_keeps_allowed_markup(moedefora):
    moede = lav_moede(moedefora["styregruppe"], MoedeStatus.PLANLAGT, dage=5)

    punkt = services.punkt_opret(moede=moede, bruger=None, titel="Et punkt", sagsfremstilling=FARLIG,
                                 indstilling=FARLIG, beslutning=FARLIG)

    for tekst in (punkt.sagsfremstilling, punkt.indstilling, punkt.beslutning):
        assert_ren(tekst)
        for bevaret in ("<h2>Baggrund</h2>", "<strong>afsnit</strong>", "<ul><li>Punkt</li></ul>",
                        "<blockquote>Citat</blockquote>", 'href="https://www.rm.dk/"'):
            assert bevaret in tekst
    assert Dagsordenpunkt.objects.get(pk=punkt.pk).sagsfremstilling == punkt.sagsfremstilling


def test_editing_an_item_cleans_it_too(moedefora, personas):
    moede = lav_moede(moedefora["styregruppe"], MoedeStatus.PLANLAGT, dage=5)
    punkt = moede.punkter.get(nummer=1)

    svar = klient(personas["sekretariat"]).post(reverse("arbejde:punkt", args=[moede.pk, punkt.pk]), {
        "titel": punkt.titel, "aaben": "on", "sagsfremstilling": FARLIG, "indstilling": "<p>Godkendes</p>",
        "beslutning": "", "fravaerende": "", "bilag": "", "sagsnummer": "",
    })

    assert svar.status_code == 302
    punkt.refresh_from_db()
    assert_ren(punkt.sagsfremstilling)
    assert "<h2>Baggrund</h2>" in punkt.sagsfremstilling
    assert punkt.indstilling == "<p>Godkendes</p>"


def test_plain_text_is_kept_as_typed(moedefora):
    moede = lav_moede(moedefora["styregruppe"], MoedeStatus.PLANLAGT, dage=5)

    punkt = services.punkt_opret(moede=moede, bruger=None, titel="Tekst", sagsfremstilling="Linje et\nLinje to & mere")

    assert punkt.sagsfremstilling == "Linje et\nLinje to & mere"


def test_the_public_page_shows_the_cleaned_html_and_plain_text_as_paragraphs(moedefora):
    moede = lav_moede(moedefora["styregruppe"], MoedeStatus.REFERAT, dage=-2)
    services.punkt_opret(moede=moede, bruger=None, titel="Rig tekst", sagsfremstilling=FARLIG,
                         indstilling="Første afsnit.\n\nAndet afsnit <3 & tredje",
                         beslutning="<p><em>Godkendt</em></p>")

    side = Client().get(reverse("moede-detalje", args=[moede.pk])).content.decode()

    assert_ren(side.split('id="dagsorden"', 1)[1].split("</main>")[0])
    assert "<h2>Baggrund</h2>" in side and "<strong>afsnit</strong>" in side
    assert "<p>Første afsnit.</p>" in side and "<p>Andet afsnit &lt;3 &amp; tredje</p>" in side
    assert "<p><em>Godkendt</em></p>" in side


def test_a_row_written_around_the_service_is_cleaned_on_the_page_too(moedefora):
    moede = lav_moede(moedefora["styregruppe"], MoedeStatus.DAGSORDEN, dage=2)
    Dagsordenpunkt.objects.filter(moede=moede, nummer=1).update(sagsfremstilling=FARLIG)

    side = Client().get(reverse("moede-detalje", args=[moede.pk])).content.decode()

    assert_ren(side.split('id="dagsorden"', 1)[1].split("</main>")[0])
    assert "<h2>Baggrund</h2>" in side


def test_the_item_form_offers_the_agreements_editor_with_the_servers_allow_list(moedefora, personas):
    moede = lav_moede(moedefora["styregruppe"], MoedeStatus.PLANLAGT, dage=5)

    side = klient(personas["sekretariat"]).get(reverse("arbejde:punkt-ny", args=[moede.pk])).content.decode()

    for felt in ("sagsfremstilling", "indstilling", "beslutning"):
        assert re.search(rf'<textarea[^>]*name="{felt}"[^>]*data-editor="squire"|<textarea[^>]*data-editor="squire"'
                         rf'[^>]*name="{felt}"', side), felt
    assert "js/editor.js" in side and "vendor/squire/squire.js" in side
    regler = json.loads(re.search(r'<script id="editor-regler" type="application/json">(.*?)</script>', side,
                                  re.S)[1])
    assert set(regler["tags"]) == {t.upper() for t in sanitize.TAGS}


def test_agreements_and_meetings_share_one_allow_list():
    assert aftaler_sanitize.rens_html is sanitize.rens_html
    assert aftaler_sanitize.TAGS is sanitize.TAGS
