"""Staff pages under /arbejde/ of the core: the generated capability table."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from organisation import selectors as organisation_selectors
from sundhed import permissions, policies


@login_required
def rettigheder(request: HttpRequest) -> HttpResponse:
    """The capability table, generated from sundhed/permissions.py, for administrators."""
    if not policies.kan_se_rettigheder(request.user):
        raise PermissionDenied
    perioder = organisation_selectors.indstillingsperioder()
    idag = timezone.localdate()
    # The recommending body after the last period the data names (after the 2027 reform, until an
    # administrator sets one): said on the page, since `indstil` is refused from that day.
    sidste = max((p.valid_to for p in perioder if p.valid_to), default=None)
    aaben = any(p.valid_to is None for p in perioder)
    return render(request, "arbejde/rettigheder.html", {
        "matrix": permissions.matrix(), "indstillingsperioder": perioder, "idag": idag,
        "uden_indstiller_fra": None if aaben or sidste is None else sidste + datetime.timedelta(days=1),
    })
