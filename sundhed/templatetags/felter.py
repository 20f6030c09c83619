"""`{% load felter %}`: the widget of one form field, for templates/includes/felt.html."""

from django import template
from django.forms import BoundField

from sundhed.formularer import dkfds_klasse

register = template.Library()


@register.simple_tag
def felt_widget(felt: BoundField, bredde: str = "") -> str:
    """The field's widget with Det Fælles Designsystem's class (a DkfdsForm has already put it on) and
    `bredde` (e.g. input-width-s). Django ties the hint and the error to it (aria-describedby with
    the ids `<id>_helptext` and `<id>_error`, aria-invalid)."""
    widget = felt.field.widget
    klasse = widget.attrs.get("class") or dkfds_klasse(widget)
    klasse = f"{klasse} {bredde}".strip()
    return felt.as_widget(attrs={"class": klasse} if klasse else None)
