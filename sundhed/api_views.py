"""API views that belong to no app: the token endpoint."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response

from sundhed import konti, mfa
from sundhed.api import FejlSerializer, valideringsfejl


class ForkertLogin(exceptions.APIException):
    # 400, not 401: the request itself carries wrong credentials; there is no scheme to challenge.
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Brugernavn eller adgangskode er forkert."
    default_code = "forkert_login"


class ForkertKode(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Engangskoden er forkert eller allerede brugt."
    default_code = "forkert_kode"
    egen_besked = True  # the exact reason (a wrong code, or wait so many seconds) is kept


class AndenFaktorMangler(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = ("Brugeren skal have totrinsbekræftelse, før der udstedes en API-nøgle. Log ind på portalen "
                      "med adgangskode, og slå totrinsbekræftelse til; send derefter engangskoden i feltet kode.")
    default_code = "anden_faktor_mangler"
    egen_besked = True


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="Brugernavn")
    password = serializers.CharField(label="Adgangskode", trim_whitespace=False, style={"input_type": "password"})
    kode = serializers.CharField(
        label="Engangskode", required=False, allow_blank=True,
        help_text="Den 6-cifrede kode fra godkendelsesappen (eller en gendannelseskode). Kræves for brugere med "
        "totrinsbekræftelse: det fælles sekretariat, administratorer og brugere, der selv har slået den til.",
    )


class TokenView(ObtainAuthToken):
    """POST {username, password} -> {token}; then send `Authorization: Token <key>`."""

    # The credentials are in the body; no session (and so no CSRF check) is involved.
    authentication_classes = ()
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: valideringsfejl(
                "Forkert brugernavn eller adgangskode, forkert engangskode, eller en bruger, der "
                "mangler totrinsbekræftelse (`detail`); eller et manglende felt, også `kode` for en bruger med "
                "totrinsbekræftelse (feltets navn med en liste af beskeder)."
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
        "adgangskoden ændres; derefter udstedes en ny. Brugere med totrinsbekræftelse (det fælles sekretariat, "
        "administratorer og brugere, der selv har slået den til) sender også engangskoden i feltet `kode`. "
        "Gentagne forkerte adgangskoder og engangskoder spærrer brugeren fra afsenderens adresse et stykke "
        "tid (429).",
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
        if mfa.kraever_kode(user):
            self._anden_faktor(request, user, serializer.validated_data.get("kode", ""))
        return Response({"token": konti.api_noegle_udsted(bruger=user).key})

    @staticmethod
    def _anden_faktor(request: Request, user, kode: str) -> None:
        """A token outlives any session: a user with (or required to have) a second factor gives a code too."""
        if mfa.totp_enhed(user) is None:
            raise AndenFaktorMangler()
        if not kode.strip():
            raise serializers.ValidationError({"kode": [
                "Brugeren bruger totrinsbekræftelse: send også den 6-cifrede kode fra godkendelsesappen."]})
        kontrol = mfa.kode_kontroller(bruger=user, kode=kode)
        if not kontrol.godkendt:
            if not kontrol.vent_sekunder:
                # A wrong code is a failed sign-in: it counts toward the lockout as a wrong password does.
                user_login_failed.send(sender=__name__, credentials={"username": user.get_username()},
                                       request=request._request)
            raise ForkertKode(kontrol.fejl)

