"""Staff pages under /arbejde/ of the core: the generated capability table."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sundhed import permissions


@login_required
def rettigheder(request: HttpRequest) -> HttpResponse:
    """The capability table, generated from sundhed/permissions.py, for administrators."""
    if not permissions.er_administrator(request.user):
        raise PermissionDenied
    return render(request, "arbejde/rettigheder.html", {"matrix": permissions.matrix()})
