"""Comments on drafts, on the staff site: the section under the agreement's text (also on its overview
page, through the `kommentarsektion` template tag), the page of the comments with the current version's
text, writing a comment, and the secretariat marking one as handled.

Only the drafting audience with the `kommentere` capability sees any of it (aftaler.policies
.kan_se_kommentarer); for everyone else these pages do not exist (404). Everything works without
JavaScript; static/js/kommentar.js only fills the quote from a selection in the text.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from aftaler import kommentarer, policies, selectors, sidekontekst
from aftaler.forms import KommentarForm
from aftaler.models import Samarbejdsaftale
from sundhed import formularer
from sundhed.exceptions import DomainError, IkkeTilladt


def _aftale(request: HttpRequest, slug: str) -> Samarbejdsaftale:
    """The agreement, for a reader of its comments; 404 for everyone else (as if it did not exist)."""
    aftale = policies.aftale_eller_404(request.user, selectors.aftaler_med_detaljer(), slug=slug)
    if not policies.kan_se_kommentarer(request.user, aftale):
        raise Http404
    return policies.som_laest_af(request.user, aftale)


@login_required
@require_http_methods(["GET", "POST"])
def kommentarer_side(request: HttpRequest, slug: str) -> HttpResponse:
    """The current version's text with its comments; a POST writes a comment (PRG), or shows the page again
    with the service's message at its field and the input kept."""
    aftale = _aftale(request, slug)
    bruger = request.user
    form = None
    if request.method == "POST":
        if not policies.kan_kommentere(bruger, aftale):
            raise Http404  # closed for comments: the form is not there, so neither is its action
        form = KommentarForm(request.POST)
        if form.is_valid():
            svar = formularer.koer(
                request, form, lambda: kommentarer.kommentar_opret(
                    bruger=bruger, aftale=aftale, tekst=form.cleaned_data["tekst"], citat=form.cleaned_data["citat"]),
                besked=lambda k: f"Din kommentar til version {k.version.nummer} er gemt.",
                videre=lambda k: reverse("arbejde:aftale-kommentarer", kwargs={"slug": aftale.slug})
                + f"#kommentar-{k.pk}")
            if svar:
                return svar
    return render(request, "aftaler/arbejde/_kommentarer_side.html", {
        "aftale": aftale, **sidekontekst.kommentarsektion(bruger, aftale, form),
    })


@login_required
@require_POST
def kommentar_behandl(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The secretariat marks one comment as handled; back to the comments with a message."""
    aftale = _aftale(request, slug)
    bruger = request.user
    if not policies.kan_behandle_kommentar(bruger, aftale):
        raise Http404
    kommentar = get_object_or_404(kommentarer.kommentarer_for(bruger, aftale), pk=pk)
    try:
        kommentarer.kommentar_behandl(bruger=bruger, kommentar=kommentar)
    except IkkeTilladt as fejl:
        raise Http404 from fejl
    except DomainError as fejl:
        messages.error(request, fejl.message)
    else:
        messages.success(request, f"Kommentaren fra {kommentar.forfatter_navn or 'en tidligere bruger'} er markeret "
                                  "som behandlet.")
    return redirect(reverse("arbejde:aftale-kommentarer", kwargs={"slug": aftale.slug}) + f"#kommentar-{kommentar.pk}")
