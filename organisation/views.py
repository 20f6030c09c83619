"""Public pages of the structure."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from organisation import selectors
from organisation.models import Forum, Klynge


def organisation(request: HttpRequest) -> HttpResponse:
    return render(request, "organisation/organisation.html", {"fora": Forum.objects.all()})


def forum_detalje(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_object_or_404(Forum, slug=slug)
    return render(request, "organisation/forum_detalje.html", {"forum": forum})


def klynge_liste(request: HttpRequest) -> HttpResponse:
    return render(request, "organisation/klynge_liste.html", {"klynger": selectors.klynger_oversigt()})


def klynge_detalje(request: HttpRequest, slug: str) -> HttpResponse:
    klynge = get_object_or_404(Klynge, slug=slug)
    return render(request, "organisation/klynge_detalje.html", {"klynge": klynge})
