"""The Atom feeds carry plain text as text: nothing a council, the secretariat or a cluster member
writes (resumé, implementation note, title) reaches a feed reader as markup (issue 8, item 4)."""

import xml.etree.ElementTree as ET

import pytest

from aftaler import services
from aftaler.choices import ImplementeringStatus, Status

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"

NYTTELAST = [
    "<img src=x onerror=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<div hx-on:click="alert(1)">klik</div>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",  # already escaped once: must not come out as markup either
]
RESUME = "Resumé: " + " ".join(NYTTELAST)
NOTE = "Note: " + " ".join(NYTTELAST)
FARLIGT = ("<img", "<iframe", "<script", "onerror", "hx-on", "srcdoc")


@pytest.fixture
def feeds(client, lav_aftale, struktur, personas):
    """Both feeds, with the payloads in an agreement's resumé and in the cluster's implementation note."""
    klynge = struktur["klynge"]
    aftale = lav_aftale(Status.I_KRAFT, titel="Aftale med <b>fed</b> titel", resume=RESUME)
    services.implementering_opdater(aftale=aftale, klynge=klynge, bruger=personas["klynge"],
                                    status=ImplementeringStatus.I_GANG, note=NOTE)
    return {url: _atom(client, url) for url in ("/feeds/aftaler/", f"/feeds/klynger/{klynge.slug}/")}


def _atom(client, url: str) -> ET.Element:
    svar = client.get(url)
    assert svar.status_code == 200
    return ET.fromstring(svar.content)


def _tekstelementer(feed: ET.Element) -> list[ET.Element]:
    return [el for entry in feed.findall(f"{ATOM}entry")
            for el in (*entry.findall(f"{ATOM}summary"), *entry.findall(f"{ATOM}content"),
                       *entry.findall(f"{ATOM}title"))]


def test_every_summary_is_text_or_html_without_anything_script_capable(feeds):
    for url, feed in feeds.items():
        elementer = _tekstelementer(feed)
        assert any(el.tag == f"{ATOM}summary" for el in elementer), url
        for el in elementer:
            # Atom's default type is text; for html/xhtml, what the reader gets after the XML parser has
            # unescaped once is parsed as markup, so it must hold nothing that can run script.
            if el.get("type", "text") == "text":
                continue
            indhold = (el.text or "") + "".join(ET.tostring(barn, encoding="unicode") for barn in el)
            fundet = [f for f in FARLIGT if f in indhold.lower()]
            assert not fundet, f"{url}: {el.tag} type={el.get('type')} has {fundet}: {indhold!r}"


def test_the_summaries_are_sent_as_text(feeds):
    for url, feed in feeds.items():
        typer = {el.get("type", "text") for el in feed.iter(f"{ATOM}summary")}
        assert typer == {"text"}, url


def test_the_resume_and_the_note_reach_the_reader_verbatim_as_text(feeds):
    for url, feed in feeds.items():
        tekster = [el.text or "" for el in feed.iter(f"{ATOM}summary")]
        assert any(RESUME in t for t in tekster), url
    klynge_tekster = [el.text or "" for el in feeds["/feeds/klynger/klynge-et/"].iter(f"{ATOM}summary")]
    assert any(t.endswith(NOTE) and t.startswith("Klynge Et har meldt implementeringen: i gang.")
               for t in klynge_tekster)
