"""Staff pages of the structure under /arbejde/struktur/: the structure changes, run without code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from organisation import policies, strukturaendring
from organisation.forms import DatoForm, StrukturaendringForm
from organisation.models import Strukturaendring
from sundhed.exceptions import DomainError
from sundhed.formularer import vis_fejl


def _kraev_administrator(request: HttpRequest) -> None:
    if not policies.kan_aendre_struktur(request.user):
        raise Http404


@login_required
def aendringer(request: HttpRequest) -> HttpResponse:
    """The structure changes that have been run, newest first."""
    _kraev_administrator(request)
    liste = Strukturaendring.objects.prefetch_related("ophoer__forum", "ophoer__klynge")
    return render(request, "organisation/arbejde/aendringer.html", {"aendringer": liste})


@login_required
def aendring(request: HttpRequest, pk: int) -> HttpResponse:
    _kraev_administrator(request)
    obj = get_object_or_404(Strukturaendring, pk=pk)
    return render(request, "organisation/arbejde/aendring.html", {"aendring": obj})


@login_required
def ny(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET): the date. Steps 2-4 (POST, `handling`): choose the ending bodies (`videre`), their
    successors and preview what will happen (`forhaandsvis`), run it (`udfoer`)."""
    _kraev_administrator(request)
    datoform = DatoForm(request.GET or request.POST or None)
    if not datoform.is_bound or not datoform.is_valid():
        return render(request, "organisation/arbejde/ny.html", {"datoform": datoform},
                      status=400 if datoform.is_bound else 200)
    dato = datoform.cleaned_data["dato"]
    form = StrukturaendringForm(request.POST if request.method == "POST" else None, dato=dato,
                                initial={"dato": dato})
    plan = None
    handling = request.POST.get("handling", "")
    if request.method == "POST" and form.is_valid() and handling in {"forhaandsvis", "udfoer"}:
        kwargs = {"dato": dato, "afloesninger": form.afloesninger(),
                  "beskrivelse": form.cleaned_data["beskrivelse"]}
        try:
            if handling == "udfoer":
                resultat = strukturaendring.strukturaendring_udfoer(bruger=request.user, **kwargs)
                messages.success(request, f"Strukturændringen «{resultat.beskrivelse}» er gennemført.")
                return redirect(reverse("arbejde:strukturaendring", args=[resultat.pk]))
            plan = strukturaendring.strukturaendring_planlaeg(**kwargs)
        except DomainError as fejl:
            vis_fejl(form, fejl)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "organisation/arbejde/ny.html",
                  {"datoform": datoform, "form": form, "plan": plan, "dato": dato}, status=status)
