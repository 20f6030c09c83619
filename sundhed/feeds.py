"""What every Atom feed of the portal shares: summaries as text, Danish, the secretariat as author."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed


class TekstAtomFeed(Atom1Feed):
    """Atom with each item's description as <summary type="text">.

    Django's Atom1Feed writes the description as type="html", escaped once for XML: a reader
    unescapes that once and renders the result as HTML, so plain text such as
    `<img src=x onerror=alert(1)>` in a resumé would become markup that runs script."""

    def add_item_elements(self, handler, item):
        # Let Django write everything but the summary, then write the summary as text (element
        # order inside an Atom entry carries no meaning).
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class PortalFeed(Feed):
    """A feed of the portal; `self.basis` is the site's address, for the absolute ids Atom needs."""

    feed_type = TekstAtomFeed
    language = "da"
    author_name = "Fælles sekretariat for sundhedssamarbejdet"
    basis = ""

    def __call__(self, request, *args, **kwargs):
        self.basis = request.build_absolute_uri("/").rstrip("/")
        return super().__call__(request, *args, **kwargs)
