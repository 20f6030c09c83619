"""Rich text is stored as HTML cleaned by nh3 against one allow-list: nothing script-capable survives.

The core holds it so every app cleans with the same list (agreements' texts, consultation answers, meeting
items' account, recommendation and decision) and the editor (static/js/editor.js) offers the same formats.
"""

import re

import nh3
from django.utils.html import escape, linebreaks

TAGS = {
    "h2", "h3", "h4", "p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "a",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}

_HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z]")


def rens_html(html: str) -> str:
    """Return `html` with only the allowed tags, attributes and link schemes."""
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def er_html(tekst: str) -> bool:
    """Does `tekst` hold markup (the editor's output, or HTML typed by hand), or is it plain text?"""
    return bool(_HTML_TAG.search(tekst or ""))


def som_html(tekst: str) -> str:
    """Safe HTML for a text that may be plain (older rows, the API, a browser without JavaScript) or HTML:
    plain text becomes paragraphs and line breaks, HTML is cleaned against the allow-list."""
    tekst = (tekst or "").strip()
    if not tekst:
        return ""
    return rens_html(tekst) if er_html(tekst) else linebreaks(escape(tekst))
