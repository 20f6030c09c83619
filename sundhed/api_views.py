"""API views that belong to no app: the token endpoint."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response

from sundhed import konti
from sundhed.api import FejlSerializer


class ForkertLogin(exceptions.APIException):
    # 400, not 401: the request itself carries wrong credentials; there is no scheme to challenge.
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Brugernavn eller adgangskode er forkert."
    default_code = "forkert_login"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="Brugernavn")
    password = serializers.CharField(label="Adgangskode", trim_whitespace=False, style={"input_type": "password"})


class TokenView(ObtainAuthToken):
    """POST {username, password} -> {token}; then send `Authorization: Token <key>`."""

    # The credentials are in the body; no session (and so no CSRF check) is involved.
    authentication_classes = ()
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(
                FejlSerializer,
                description="Forkert brugernavn eller adgangskode (`detail`), eller et manglende felt "
                "(feltets navn med en liste af beskeder).",
            ),
            429: OpenApiResponse(
                FejlSerializer,
                description="For mange mislykkede forsøg for denne bruger fra denne adresse: brugeren er spærret "
                "fra adressen et stykke tid (`Retry-After` siger hvor mange sekunder).",
            ),
        },
        summary="Hent en API-nøgle",
        description="Byt brugernavn og adgangskode til en API-nøgle. Send den derefter i headeren "
        "`Authorization: Token <nøgle>`. Den samme bruger får den samme nøgle, indtil den udløber "
        "(efter 30 dage, indstillingen API_TOKEN_DAGE), trækkes tilbage under /arbejde/tokens/, eller "
        "adgangskoden ændres; derefter udstedes en ny. Gentagne forkerte adgangskoder spærrer brugeren fra "
        "afsenderens adresse et stykke tid (429).",
        tags=["auth"],
        auth=[],
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            # The Django request, not DRF's wrapper: the lockout (sundhed.sikkerhed) marks it when the
            # account and address are locked out, and AxesMiddleware answers 429 from that mark.
            request=request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:  # also for inactive users: the backend refuses them the same way
            raise ForkertLogin()
        return Response({"token": konti.api_noegle_udsted(bruger=user).key})

