"""An agreement's versions: one version's text and a word-level comparison of two, on the public site
(public versions only) and on the staff site (the versions the user may read).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from aftaler import policies, sidekontekst, synlighed
from aftaler.diff import sammenlign
from aftaler.forms import SammenlignForm
from aftaler.models import Samarbejdsaftale
from aftaler.views.faelles import (
    SIDEPARAMETRE,
    aftale_til_arbejde,
    er_htmx,
    hent_offentlig_aftale,
    offentlig_aftale_med_stempel,
)
from sundhed.betinget import betinget_svar

# --- public -----------------------------------------------------------------------------------


def _versioner(aftale: Samarbejdsaftale) -> list:
    versioner = list(synlighed.offentlige_versioner(aftale).defer("tekst").order_by("-nummer"))
    return sidekontekst.versionsliste(aftale, versioner)


def _offentlig_version(aftale: Samarbejdsaftale, nummer: int):
    version = synlighed.offentlige_versioner(aftale).filter(nummer=nummer).first()
    if version is None:
        raise Http404("Versionen findes ikke.")
    return version


@require_safe
def aftale_version(request: HttpRequest, slug: str, nummer: int) -> HttpResponse:
    """One public version's text, with its place in the history."""
    pk, stempel = offentlig_aftale_med_stempel(slug)

    def side() -> HttpResponse:
        a = hent_offentlig_aftale(pk)
        version = _offentlig_version(a, nummer)
        versioner = _versioner(a)
        vist = synlighed.vist_version(a)
        return render(request, "aftaler/offentlig/version.html", {
            "aftale": a, "version": version, "versioner": versioner, "vist_version": vist,
            "ny_version": synlighed.ny_version(a), "offentlig_status": synlighed.offentlig_status(a),
            "revision": synlighed.revisionstilstand(a), "aktuel_nummer": version.nummer,
            "forrige": next((v for v in versioner if v.nummer < version.nummer), None),
        })

    return betinget_svar(request, stempel=f"{stempel.noegle}-v{nummer}", sidst_aendret=stempel.sidst_aendret,
                         lav_svar=side, parametre=SIDEPARAMETRE)


@require_safe
def aftale_sammenlign(request: HttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    """A word-level comparison of two public versions."""
    pk, stempel = offentlig_aftale_med_stempel(slug)

    def side() -> HttpResponse:
        obj = hent_offentlig_aftale(pk)
        gammel, ny = _offentlig_version(obj, a), _offentlig_version(obj, b)
        return render(request, "aftaler/offentlig/sammenlign.html", {
            "aftale": obj, "gammel": gammel, "ny": ny, "sammenligning": sammenlign(gammel.tekst, ny.tekst),
            "versioner": _versioner(obj), "fra_nummer": a, "til_nummer": b,
            "vist_version": synlighed.vist_version(obj), "ny_version": synlighed.ny_version(obj),
            "revision": synlighed.revisionstilstand(obj),
        })

    return betinget_svar(request, stempel=f"{stempel.noegle}-s{a}-{b}", sidst_aendret=stempel.sidst_aendret,
                         lav_svar=side, parametre=SIDEPARAMETRE)


class VersionsvalgForm(forms.Form):
    """The version picker: two version numbers (positive, and within what the column holds)."""

    a = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    b = forms.IntegerField(min_value=1, max_value=2**31 - 1)


@require_safe
def aftale_sammenlign_valg(request: HttpRequest, slug: str) -> HttpResponse:
    """The version picker's GET form lands here and is sent on to the comparison's own URL.

    Anything but two version numbers (one missing, negative or absurd: /sammenlign/-1/3/ is no
    URL, which was a 500) goes back to the picker on the agreement's page with a Danish error."""
    form = VersionsvalgForm(request.GET)
    if not form.is_valid():
        messages.error(request, "Vælg to versioner at sammenligne.")
        return redirect(reverse("aftale-detalje", kwargs={"slug": slug}) + "#versioner-titel")
    return redirect("aftale-sammenlign", slug=slug, a=form.cleaned_data["a"], b=form.cleaned_data["b"])


# --- staff ------------------------------------------------------------------------------------


@login_required
def arbejde_versioner(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version with its note; a GET form picks two to compare (inline for htmx, else a redirect)."""
    aftale = aftale_til_arbejde(request, slug)
    versioner = list(policies.synlige_versioner(request.user, aftale).order_by("-nummer"))
    numre = sorted(v.nummer for v in versioner)
    bundet = "a" in request.GET or "b" in request.GET
    form = SammenlignForm(request.GET if bundet else None, numre=numre)
    if bundet and form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        if not er_htmx(request):
            return redirect("arbejde:aftale-sammenlign", slug=aftale.slug, a=a, b=b)
        efter_nummer = {v.nummer: v for v in versioner}
        svar = render(request, "aftaler/arbejde/_sammenligning.html", {
            "aftale": aftale, "a": efter_nummer[a], "b": efter_nummer[b],
            "forskel": sammenlign(efter_nummer[a].tekst, efter_nummer[b].tekst), "overskriftniveau": 3,
        })
    else:
        svar = render(request, "aftaler/arbejde/aftale_versioner.html",
                      {"aftale": aftale, "versioner": versioner, "form": form})
    patch_vary_headers(svar, ["HX-Request"])
    return svar


@login_required
def arbejde_version(request: HttpRequest, slug: str, nummer: int) -> HttpResponse:
    aftale = aftale_til_arbejde(request, slug)
    synlige = policies.synlige_versioner(request.user, aftale)
    version = get_object_or_404(synlige, nummer=nummer)
    naboer = dict(synlige.filter(nummer__in=[nummer - 1, nummer + 1]).values_list("nummer", "pk"))
    return render(request, "aftaler/arbejde/aftale_version.html", {
        "aftale": aftale, "version": version,
        "forrige": nummer - 1 if nummer - 1 in naboer else None,
        "naeste": nummer + 1 if nummer + 1 in naboer else None,
    })


@login_required
def arbejde_sammenlign(request: HttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    """Word-level differences between two versions, with what was removed and what was added."""
    aftale = aftale_til_arbejde(request, slug)
    versioner = {v.nummer: v for v in policies.synlige_versioner(request.user, aftale).filter(nummer__in=[a, b])}
    if a not in versioner or b not in versioner:
        raise Http404
    return render(request, "aftaler/arbejde/aftale_sammenlign.html", {
        "aftale": aftale, "a": versioner[a], "b": versioner[b],
        "forskel": sammenlign(versioner[a].tekst, versioner[b].tekst), "overskriftniveau": 2,
    })
