"""Template helpers for the site layout (kept here until the project has a shared templatetags app)."""

from django import template

register = template.Library()


@register.filter
def nav_tilstand(sti: str, href: str) -> str:
    """'page' when `sti` is the menu item's own page, 'true' when it lies below it, else ''.

    Used for aria-current in the main navigation: the front page is current only on itself.
    """
    if not href or not sti:
        return ""
    if sti == href:
        return "page"
    if href != "/" and sti.startswith(href):
        return "true"
    return ""
