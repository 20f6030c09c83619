"""Staff pages: agreement list, editor, versions, lifecycle actions, Behandlinger, attachments."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from aftaler import selectors
from sundhed import permissions


@login_required
def aftale(request: HttpRequest, slug: str) -> HttpResponse:
    aftale = permissions.aftale_eller_404(request.user, selectors.aftaler_med_detaljer(), slug=slug)
    return render(request, "aftaler/arbejde/aftale.html", {"aftale": aftale})


urlpatterns = [
    path("aftaler/<slug:slug>/", aftale, name="aftale"),
]
