"""The one way a staff page runs a form through a service: form -> service -> message -> redirect.

A refusal (IkkeTilladt) is a 404, as for an object the user may not see; a domain error is shown at
the field it names (or above the form) with the user's input kept; success gives a message and a
redirect (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from sundhed.exceptions import DomainError, IkkeTilladt

T = TypeVar("T")


def dkfds_klasse(widget: forms.Widget) -> str:
    """The class Det Fælles Designsystem gives a widget ('' for radio buttons, hidden and file inputs)."""
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "form-checkbox"
    if isinstance(widget, forms.RadioSelect | forms.HiddenInput | forms.FileInput):
        return ""
    return "form-select" if isinstance(widget, forms.Select) else "form-input"


class DkfdsForm(forms.Form):
    """Puts Det Fælles Designsystem's classes on the widgets; the templates render the rest
    (one field: templates/includes/felt.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for felt in self.fields.values():
            widget = felt.widget
            klasse = dkfds_klasse(widget)
            if klasse and klasse not in widget.attrs.get("class", "").split():
                widget.attrs["class"] = f"{klasse} {widget.attrs.get('class', '')}".strip()


def vis_fejl(form: forms.Form, fejl: DomainError) -> None:
    """Show a service's refusal at the field it names (or above the form), keeping the input."""
    form.add_error(fejl.field if fejl.field in form.fields else None, fejl.message)


def koer(request: HttpRequest, form: forms.Form, service: Callable[[], T], *,
         besked: str | Callable[[T], str], videre: str | Callable[[T], str]) -> HttpResponse | None:
    """Run `service` for a valid `form`: the redirect on success, None when the form now carries the
    service's error (render the page again)."""
    try:
        resultat = service()
    except IkkeTilladt as fejl:
        raise Http404 from fejl
    except DomainError as fejl:
        vis_fejl(form, fejl)
        return None
    messages.success(request, besked(resultat) if callable(besked) else besked)
    return redirect(videre(resultat) if callable(videre) else videre)
