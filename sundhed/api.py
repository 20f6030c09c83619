"""Shared API pieces: Danish JSON errors for every failure."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.plumbing import get_doc
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler

from sundhed.exceptions import DomainError

# DRF's own wording, even translated, is either English ("JSON parse error - ...") or stiff
# ("Legitimation til autentificering ..."); these replace it, first by exception class, then by status.
_DANSK_PR_KLASSE: dict[type[exceptions.APIException], str] = {
    exceptions.NotAuthenticated: "Du skal logge ind (Authorization: Token <nøgle>).",
    exceptions.AuthenticationFailed: "API-nøglen er ugyldig, eller brugeren er deaktiveret.",
    exceptions.ParseError: "Forespørgslens indhold kunne ikke læses (fx ugyldig JSON).",
}
_DANSK = {
    status.HTTP_401_UNAUTHORIZED: "Du skal logge ind (Authorization: Token <nøgle>).",
    status.HTTP_403_FORBIDDEN: "Du har ikke adgang til at gøre dette.",
    status.HTTP_404_NOT_FOUND: "Findes ikke.",
    status.HTTP_405_METHOD_NOT_ALLOWED: "Metoden er ikke tilladt her.",
    status.HTTP_406_NOT_ACCEPTABLE: "Formatet kan ikke leveres.",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "Indholdstypen understøttes ikke.",
    status.HTTP_429_TOO_MANY_REQUESTS: "For mange forespørgsler; prøv igen senere.",
}
# Statuses only the error handlers outside DRF answer (sundhed.views): in DRF a 400 has its own message.
_DANSK_UDEN_FOR_DRF = {
    **_DANSK,
    status.HTTP_400_BAD_REQUEST: "Forespørgslen er ugyldig.",
    status.HTTP_500_INTERNAL_SERVER_ERROR: "Der opstod en fejl på serveren; prøv igen senere.",
}
# Our own code may raise these with a specific (Danish) message; keep it rather than the generic one.
_EGEN_BESKED_BEVARES = (exceptions.PermissionDenied, exceptions.NotFound)


class FejlSerializer(serializers.Serializer):
    """Fejl: `{"detail": "<besked på dansk>"}`. Valideringsfejl har i stedet feltets navn som nøgle."""

    detail = serializers.CharField()


class FeltFejlSerializer(serializers.Serializer):
    """Valideringsfejl: nøglen er feltets navn, værdien en liste af danske beskeder, fx
    `{"titel": ["Skriv en titel."]}`. En fejl, der ikke hører til ét felt, står under `detail`
    eller `non_field_errors` (også som en liste)."""


class FeltFejlSkema(OpenApiSerializerExtension):
    """{field: [messages]}: the keys are the request's field names, so the schema is a map, not
    fixed properties (a serializer cannot say that by itself)."""

    target_class = FeltFejlSerializer

    def get_name(self, auto_schema, direction) -> str:
        return "FeltFejl"

    def map_serializer(self, auto_schema, direction) -> dict:
        return {"type": "object", "description": get_doc(FeltFejlSerializer),
                "additionalProperties": {"type": "array", "items": {"type": "string"}}}


# A 400 is keyed by field (exception_handler); only a body that cannot be read at all (ParseError)
# and a refused login (sundhed.api_views.ForkertLogin) carry a single `detail` string.
VALIDERINGSFEJL = PolymorphicProxySerializer(
    component_name="Valideringsfejl", serializers=[FeltFejlSerializer, FejlSerializer],
    resource_type_field_name=None, many=False,
)


def valideringsfejl(beskrivelse: str) -> OpenApiResponse:
    """How a 400 is documented: {field: [messages]}, or {"detail": "..."} for an unreadable body."""
    return OpenApiResponse(VALIDERINGSFEJL, description=beskrivelse)


class DanskTokenScheme(OpenApiAuthenticationExtension):
    """drf-spectacular's token scheme, described in Danish (it outranks the built-in one, priority -1)."""

    target_class = "rest_framework.authentication.TokenAuthentication"
    name = "tokenAuth"
    match_subclasses = True

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "API-nøgle fra `POST /api/v1/auth/token/`, sendt som `Authorization: Token <nøgle>`.",
        }


# PostgreSQL text cannot hold NUL (psycopg refuses to send it: a 500), so a value with one is refused with a 400
# before it reaches a query. DRF's CharField already does so; these cover what it does not.
NUL_BESKED = "Tegnet NUL (\\u0000) er ikke tilladt."


class SlugFelt(serializers.SlugRelatedField):
    """SlugRelatedField that refuses a NUL character with the field's own 400 instead of querying with it."""

    default_error_messages = {"nul": NUL_BESKED}

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("nul")
        return super().to_internal_value(data)


def forespoergselsparameter(request, navn: str) -> str:
    """A query parameter read by hand (not through a filter set): "" when absent; 400 under its name with a NUL."""
    vaerdi = request.query_params.get(navn, "")
    if "\x00" in vaerdi:
        raise exceptions.ValidationError({navn: [NUL_BESKED]})
    return vaerdi


def dokumenter_415(result: dict, generator, request, public) -> dict:
    """drf-spectacular hook: an operation that takes a body answers 415 to a body in a format it does not read
    (as DRF does for any parser it lacks); documented once here rather than in every view."""
    for operationer in result.get("paths", {}).values():
        for operation in operationer.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault("415", {
                    "description": "Indholdstypen understøttes ikke: send JSON (eller formulardata, hvor det står).",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Fejl"}}},
                })
    return result


class Sidedeling(pagination.LimitOffsetPagination):
    """LimitOffset (`?limit=&offset=`) with the parameters documented in Danish in the schema."""

    limit_query_description = "Hvor mange resultater der højst returneres (standard 100, højst 1000)."
    offset_query_description = "Hvor mange resultater der springes over, før listen begynder."
    max_limit = 1000


def dansk_besked(status_code: int) -> str:
    """The Danish `detail` of the JSON error handlers in sundhed.views (404, 403, 400, 500 under /api/)."""
    return _DANSK_UDEN_FOR_DRF.get(status_code, "Forespørgslen kunne ikke gennemføres.")


def _besked(exc: exceptions.APIException, status_code: int) -> str | None:
    if getattr(exc, "egen_besked", False):  # already Danish and more precise (e.g. an expired token)
        return None
    for klasse, besked in _DANSK_PR_KLASSE.items():
        if isinstance(exc, klasse):
            return besked
    if isinstance(exc, _EGEN_BESKED_BEVARES) and str(exc.detail) != str(exc.default_detail):
        return None
    return _DANSK.get(status_code)


def exception_handler(exc, context):
    """Every API error is JSON with a Danish `detail`; validation errors name the field."""
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError({exc.field or "detail": [exc.message]})
    if isinstance(exc, Http404):
        # Django's message ("No Part matches the given query.") is English and names the model.
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or isinstance(exc, exceptions.ValidationError):
        return response
    besked = _besked(exc, response.status_code)
    if besked:
        response.data = {"detail": besked}
    return response

