"""'Mine opgaver', the staff start page under /arbejde/: what awaits the user in each of their roles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aftaler import policies, selectors
from organisation import policies as organisation_policies
from organisation import selectors as organisation_selectors


@login_required
def forside(request: HttpRequest) -> HttpResponse:
    """Decisions to record, consultations to answer, implementation to update, drafts, overdue
    agreements; then the user's memberships and capabilities."""
    bruger = request.user
    return render(request, "arbejde/forside.html", {
        "opgaver": selectors.mine_opgaver(bruger),
        "medlemskaber": organisation_selectors.medlemskaber_for_bruger(bruger),
        "kapabiliteter": organisation_selectors.kapabiliteter_for_bruger(bruger),
        "kan_se_implementering": policies.kan_se_implementeringsmatrix(bruger),
        "planlaegger_moeder": organisation_policies.planlaegbare_fora(bruger).exists(),
    })
