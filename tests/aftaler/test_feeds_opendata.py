"""Feeds (Atom, per cluster), sitemap and the open data files: public agreements only."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftaler import services
from aftaler.choices import Beslutning, ImplementeringStatus, Omfang, Status
from aftaler.workflow import Handling
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _atom(client, url):
    svar = client.get(url)
    assert svar.status_code == 200
    assert svar["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(svar.content)


def _indgange(feed) -> list[dict]:
    return [{"titel": e.findtext(f"{ATOM}title"), "id": e.findtext(f"{ATOM}id"),
             "link": e.find(f"{ATOM}link").get("href"), "tekst": e.findtext(f"{ATOM}summary")}
            for e in feed.findall(f"{ATOM}entry")]


def _stroem(svar) -> str:
    return b"".join(svar.streaming_content).decode("utf-8")


# --- the Atom feed --------------------------------------------------------------------------------


def test_the_feed_has_an_entry_per_public_status_change_newest_first(client, lav_aftale):
    aftale = lav_aftale(Status.I_KRAFT, titel="Aftale om akutfunktioner")
    feed = _atom(client, "/feeds/aftaler/")
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "da"
    indgange = _indgange(feed)
    assert [i["titel"] for i in indgange] == [
        "Aftale om akutfunktioner: offentliggjort",
        "Aftale om akutfunktioner: godkendt",
        "Aftale om akutfunktioner: indstillet til godkendelse",
    ]
    assert all(i["link"] == f"http://testserver/aftaler/{aftale.slug}/" for i in indgange)
    assert len({i["id"] for i in indgange}) == 3
    assert all(i["id"].startswith("http://testserver/aftaler/") for i in indgange)
    assert "træder i kraft" in indgange[0]["tekst"]


def test_the_feed_never_shows_drafts_consultations_or_a_revision_sent_back(client, lav_aftale, personas, udvalg):
    sek = personas["sekretariat"]
    lav_aftale(Status.UDKAST, titel="Hemmeligt udkast")
    lav_aftale(Status.HOERING, titel="Aftale i høring")
    retur = lav_aftale(Status.INDSTILLET, titel="Sendt retur")
    services.aftale_overgang(aftale=retur, bruger=sek, handling=Handling.SEND_RETUR)
    revideret = lav_aftale(Status.I_KRAFT, titel="Revideret")
    services.aftale_overgang(aftale=revideret, bruger=sek, handling=Handling.REVIDER)
    a = _frisk(revideret)
    services.aftale_gem(aftale=a, bruger=sek, revision=a.revision, tekst="<p>Ny kladde</p>")
    services.aftale_overgang(aftale=_frisk(a), bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                             beslutningsfrist=OM_EN_MAANED)
    services.aftale_overgang(aftale=_frisk(a), bruger=sek, handling=Handling.SEND_RETUR)
    titler = [i["titel"] for i in _indgange(_atom(client, "/feeds/aftaler/"))]
    assert not any(t.startswith(("Hemmeligt", "Aftale i høring", "Sendt retur")) for t in titler)
    # The revision's version 2 went back to draft: only version 1's history is in the feed.
    assert titler.count("Revideret: indstillet til godkendelse") == 1


def test_the_cluster_feed_has_regional_and_own_local_agreements_and_implementation(
        client, lav_aftale, struktur, personas):
    klynge = struktur["klynge"]
    regional = lav_aftale(Status.I_KRAFT, titel="Regional")
    lav_aftale(Status.INDSTILLET, titel="Egen lokal", omfang=Omfang.LOKAL, klynge=klynge)
    lav_aftale(Status.INDSTILLET, titel="Andens lokal", omfang=Omfang.LOKAL, klynge=struktur["anden_klynge"])
    services.implementering_opdater(aftale=regional, klynge=klynge, bruger=personas["klynge"],
                                    status=ImplementeringStatus.IMPLEMENTERET, note="Alle er undervist")
    feed = _atom(client, f"/feeds/klynger/{klynge.slug}/")
    assert feed.findtext(f"{ATOM}title") == "Samarbejdsaftaler i Klynge Et"
    titler = [i["titel"] for i in _indgange(feed)]
    assert titler[0] == "Regional: implementeret i Klynge Et"
    assert "Egen lokal: indstillet til godkendelse" in titler
    assert not any(t.startswith("Andens lokal") for t in titler)
    assert client.get("/feeds/klynger/findes-ikke/").status_code == 404


def test_the_feed_runs_the_same_queries_for_1_and_10_agreements(client, lav_aftale, struktur):
    def antal():
        cache.clear()
        with CaptureQueriesContext(connection) as q:
            assert client.get("/feeds/aftaler/").status_code == 200
            assert client.get(f"/feeds/klynger/{struktur['klynge'].slug}/").status_code == 200
        return len(q)

    lav_aftale(Status.I_KRAFT)
    foer = antal()
    for i in range(9):
        lav_aftale(Status.I_KRAFT, titel=f"Aftale {i}")
    assert antal() == foer


# --- sitemap ------------------------------------------------------------------------------------------


def test_the_sitemap_lists_public_agreements_and_pages_but_no_drafts(client, lav_aftale):
    offentlig = lav_aftale(Status.INDSTILLET, titel="Offentlig")
    udkast = lav_aftale(Status.UDKAST, titel="Udkast")
    svar = client.get("/sitemap.xml")
    assert svar.status_code == 200
    urls = [e.text for e in ET.fromstring(svar.content).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"http://testserver/aftaler/{offentlig.slug}/" in urls
    assert f"http://testserver/aftaler/{udkast.slug}/" not in urls
    assert "http://testserver/aftaler/" in urls and "http://testserver/klynger/klynge-et/" in urls


# --- CSV and JSON -------------------------------------------------------------------------------------


def test_the_csv_has_a_row_per_decision_and_no_drafts(client, lav_aftale, struktur, personas):
    ikraft = lav_aftale(Status.I_KRAFT, titel="I kraft")
    indstillet = lav_aftale(Status.INDSTILLET, titel="Afventer")
    lav_aftale(Status.UDKAST, titel="Udkast")
    services.godkendelse_registrer(aftale=indstillet, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.UDSAT, dato=I_DAG, sagsnummer="24/99")
    svar = client.get("/aftaler.csv")
    assert svar["Content-Type"] == "text/csv; charset=utf-8"
    tekst = _stroem(svar)
    assert tekst.startswith("\ufeff")
    raekker = list(csv.DictReader(io.StringIO(tekst.lstrip("\ufeff"))))
    assert {r["slug"] for r in raekker} == {ikraft.slug, indstillet.slug}
    ikraft_raekker = [r for r in raekker if r["slug"] == ikraft.slug]
    assert len(ikraft_raekker) == 4  # three municipalities and the region approved
    assert {r["beslutning"] for r in ikraft_raekker} == {"godkendt"}
    assert ikraft_raekker[0]["status"] == "i_kraft" and ikraft_raekker[0]["url"].endswith(f"/aftaler/{ikraft.slug}/")
    udsat = [r for r in raekker if r["slug"] == indstillet.slug]
    assert len(udsat) == 1 and udsat[0]["beslutning"] == "udsat" and udsat[0]["sagsnummer"] == "24/99"


def test_an_agreement_without_decisions_has_one_csv_row(client, lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)
    raekker = list(csv.DictReader(io.StringIO(_stroem(client.get("/aftaler.csv")).lstrip("\ufeff"))))
    assert len(raekker) == 1 and raekker[0]["slug"] == aftale.slug and raekker[0]["beslutning"] == ""


def test_the_json_has_every_public_agreement_with_its_decisions(client, lav_aftale, personas, udvalg, struktur):
    sek = personas["sekretariat"]
    aftale = lav_aftale(Status.I_KRAFT, titel="Med revision")
    lav_aftale(Status.HOERING, titel="I høring")
    # A revision recommended, rejected by one council and sent back: those decisions are not public.
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.REVIDER)
    a = _frisk(aftale)
    services.aftale_gem(aftale=a, bruger=sek, revision=a.revision, tekst="<p>Ny</p>")
    services.aftale_overgang(aftale=_frisk(a), bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                             beslutningsfrist=OM_EN_MAANED)
    services.godkendelse_registrer(aftale=_frisk(a), part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.AFVIST, dato=I_DAG)
    services.aftale_overgang(aftale=_frisk(a), bruger=sek, handling=Handling.SEND_RETUR)
    svar = client.get("/aftaler.json")
    assert svar["Content-Type"] == "application/json"
    data = json.loads(_stroem(svar))
    assert [a["titel"] for a in data["aftaler"]] == ["Med revision"]
    post = data["aftaler"][0]
    assert post["status"] == "i_kraft" and post["version"] == 1
    assert {b["beslutning"] for b in post["beslutninger"]} == {"godkendt"}
    assert {b["version"] for b in post["beslutninger"]} == {1}
    assert {"part", "part_navn", "dato", "sagsnummer", "referat_url"} <= set(post["beslutninger"][0])


def test_the_open_data_runs_the_same_queries_for_1_and_10_agreements(client, lav_aftale):
    def antal():
        with CaptureQueriesContext(connection) as q:
            _stroem(client.get("/aftaler.csv"))
            _stroem(client.get("/aftaler.json"))
        return len(q)

    lav_aftale(Status.I_KRAFT)
    foer = antal()
    for i in range(9):
        lav_aftale(Status.I_KRAFT, titel=f"Aftale {i}")
    assert antal() == foer


def test_the_stamp_sql_and_the_orm_agree_on_what_is_public(lav_aftale, personas):
    """What is public is defined once (aftaler.models.offentlig_q); the precompiled stamp SQL repeats it
    for speed and must find exactly the same agreements, in every state and during a revision."""
    from aftaler import stempler
    from aftaler.models import Samarbejdsaftale, offentlig_q
    from aftaler.workflow import Handling

    for status in Status.values:
        lav_aftale(status, titel=f"Offentlighed {status}")
    revideret = lav_aftale(Status.I_KRAFT, titel="Offentlighed under revision")
    services.aftale_overgang(aftale=revideret, bruger=personas["sekretariat"], handling=Handling.REVIDER)
    efter_orm = set(Samarbejdsaftale.objects.filter(offentlig_q()).values_list("pk", flat=True))
    efter_sql = {a.pk for a in Samarbejdsaftale.objects.all() if stempler.aftale_stempel(pk=a.pk) is not None}
    assert efter_orm == efter_sql
    assert {a.pk for a in Samarbejdsaftale.objects.all() if a.er_offentlig} == efter_orm
    assert revideret.pk in efter_orm and len(efter_orm) == 5
