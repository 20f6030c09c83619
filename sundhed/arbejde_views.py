"""Staff pages under /arbejde/ that belong to no single app."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sundhed import permissions


@login_required
def forside(request: HttpRequest) -> HttpResponse:
    """'Mine opgaver': what awaits the user in each of their roles (decisions to record, consultations
    to answer, implementation to update, drafts, overdue agreements), then memberships and capabilities."""
    from aftaler.selectors import mine_opgaver
    from organisation import selectors

    return render(
        request,
        "arbejde/forside.html",
        {
            "opgaver": mine_opgaver(request.user),
            "medlemskaber": selectors.medlemskaber_for_bruger(request.user),
            "kapabiliteter": selectors.kapabiliteter_for_bruger(request.user),
            "kan_se_implementering": permissions.kan_se_implementeringsmatrix(request.user),
        },
    )


@login_required
def rettigheder(request: HttpRequest) -> HttpResponse:
    """The capability table, generated from sundhed/permissions.py, for administrators."""
    if not permissions.er_administrator(request.user):
        raise PermissionDenied
    return render(request, "arbejde/rettigheder.html", {"matrix": permissions.matrix()})
