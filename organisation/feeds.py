"""Atom feed of published agendas and minutes: /feeds/moeder/.

An entry is an agenda or minutes of a public meeting. Its summary is plain text written here (forum,
time, place), never an item's text, and goes out as <summary type="text">: a reader shows it as written
and never parses it as markup (as aftaler/feeds.py does for agreements).
"""

from __future__ import annotations

from django.urls import reverse

from organisation import moeder_selectors as selectors
from organisation.models import MoedeStatus
from sundhed import dansk
from sundhed.feeds import PortalFeed

ANTAL = 50


class MoedeFeed(PortalFeed):
    """Published agendas and minutes of every forum, newest first."""

    title = "Møder – Sundhedssamarbejdet i Region Midtjylland"
    subtitle = "Offentliggjorte dagsordener og referater fra sundhedssamarbejdets fora."

    def link(self) -> str:
        return reverse("moede-liste")

    def feed_url(self) -> str:
        return reverse("feed-moeder")

    def items(self):
        return selectors.feed_poster(ANTAL)

    def item_title(self, item) -> str:
        art, moede, _ = item
        return f"{'Dagsorden' if art == 'dagsorden' else 'Referat'}: {moede.visningstitel}, " \
               f"{moede.forum.navn} {dansk.dato(moede.start, kort=True)}"

    def item_description(self, item) -> str:
        art, moede, _ = item
        sted = f", {moede.sted}" if moede.sted else ""
        tekst = (f"Dagsordenen til mødet i {moede.forum.navn} {dansk.tidspunkt(moede.start)}{sted} er offentliggjort."
                 if art == "dagsorden" else
                 f"Referatet af mødet i {moede.forum.navn} {dansk.tidspunkt(moede.start)}{sted} er offentliggjort.")
        if moede.status == MoedeStatus.AFLYST:
            tekst += " Mødet er siden aflyst."
        return tekst

    def item_link(self, item) -> str:
        return reverse("moede-detalje", args=[item[1].pk])

    def item_guid(self, item) -> str:
        art, moede, _ = item
        return f"{self.basis}{self.item_link(item)}#{art}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item[2]

    def item_updateddate(self, item):
        return item[2]

    def item_categories(self, item):
        return ["Dagsorden" if item[0] == "dagsorden" else "Referat"]
