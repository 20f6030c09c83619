"""`{{ tekst|rig_tekst }}`: an agenda item's text as safe HTML, whether it was written with the editor (HTML,
cleaned again here with the allow-list of sundhed/sanitize.py) or as plain text (paragraphs and line breaks)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from sundhed.sanitize import som_html

register = template.Library()


@register.filter
def rig_tekst(tekst: str) -> SafeString:
    # Cleaned when it is shown too, not only when saved: rows written before the editor, or by the demo
    # loader, never reach the page uncleaned.
    return mark_safe(som_html(tekst))
