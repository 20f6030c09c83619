"""Shared API pieces: Danish JSON errors for every failure."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sundhed.exceptions import DomainError

_DANSK = {
    status.HTTP_401_UNAUTHORIZED: "Du skal logge ind (Authorization: Token <nøgle>).",
    status.HTTP_403_FORBIDDEN: "Du har ikke adgang til at gøre dette.",
    status.HTTP_404_NOT_FOUND: "Findes ikke.",
    status.HTTP_405_METHOD_NOT_ALLOWED: "Metoden er ikke tilladt her.",
    status.HTTP_406_NOT_ACCEPTABLE: "Formatet kan ikke leveres.",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "Indholdstypen understøttes ikke.",
    status.HTTP_429_TOO_MANY_REQUESTS: "For mange forespørgsler; prøv igen senere.",
}


def exception_handler(exc, context):
    """Every API error is JSON with a Danish `detail`; validation errors name the field."""
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError({exc.field or "detail": [exc.message]})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return response
    besked = _DANSK.get(response.status_code)
    if besked:
        response.data = {"detail": besked}
    return Response(response.data, status=response.status_code, headers=dict(response.items()))
