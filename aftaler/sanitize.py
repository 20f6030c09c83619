"""Rich text is stored as HTML cleaned by nh3 against an allow-list: nothing script-capable survives."""

import nh3

TAGS = {
    "h2", "h3", "h4", "p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "a",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


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
