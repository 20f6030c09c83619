"""The editor's allow-list comes from the server's (aftaler/sanitize.py): one list, not a copy in JavaScript."""

from django import template
from django.utils.html import json_script

from aftaler import sanitize

register = template.Library()


@register.simple_tag
def editor_regler() -> str:
    """The tags, attributes and link schemes the server keeps, as a JSON script element the editor reads."""
    return json_script({
        "tags": sorted(t.upper() for t in sanitize.TAGS),
        "attributter": {t.upper(): sorted(a) for t, a in sanitize.ATTRIBUTES.items()},
        "skemaer": sorted(sanitize.URL_SCHEMES),
    }, "editor-regler")
