"""The agreement API: thin views that parse with serializers, call aftaler.services and answer JSON.

Who may do what is decided by the services (and sundhed.permissions behind them); these views only
translate the outcome:

- an agreement the user may not read: 404 {"detail": "Findes ikke."} (as if it did not exist);
- anonymous writes: 401, before anything is looked up;
- services.IkkeTilladt: 403 with the service's Danish message; nothing was changed;
- services.ForaeldetGem (someone saved in between): 409 {"detail": ...};
- any other DomainError: 400 {field: [message]} (sundhed.api.exception_handler).

The services check the lifecycle before the role: an action the agreement's state does not allow
(a transition, a decision, a consultation answer) is 400 for anyone who can read the agreement,
naming the field; editing a closed agreement and implementation outside `i_kraft` are 403.
"""


from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from aftaler import policies, selectors, services, synlighed
from aftaler.api import filters, serializers
from aftaler.choices import OFFENTLIGE_STATUS, Status
from aftaler.models import Godkendelse, Hoeringssvar, Implementering, Samarbejdsaftale
from aftaler.workflow import OVERGANGE
from organisation.models import Klynge, Part
from sundhed.api import FejlSerializer, Sidedeling, valideringsfejl

# --- errors ---------------------------------------------------------------------------------------


class Konflikt(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Aftalen er ændret af en anden i mellemtiden. Hent den igen, og prøv så igen."
    default_code = "konflikt"


def _fejl(beskrivelse: str) -> OpenApiResponse:
    return OpenApiResponse(FejlSerializer, description=beskrivelse)


_400 = valideringsfejl("Ugyldige data: nøglen er feltets navn, værdien en liste af danske beskeder (en fejl, der "
                       "ikke hører til ét felt, under `detail`). Kan forespørgslens indhold slet ikke læses, er "
                       "svaret `{\"detail\": \"<besked>\"}`. Intet er gemt.")
_401 = _fejl("Du skal logge ind (kun ved ændringer).")
_403 = _fejl("Du har ikke adgang til at gøre dette med aftalen; intet er ændret.")
_404 = _fejl("Findes ikke (eller du har ikke adgang til at se aftalen).")
_409 = _fejl("Aftalen er gemt af en anden, efter du læste den; intet er ændret.")
_SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="Aftalens slug.")
_NUMMER = OpenApiParameter("nummer", int, OpenApiParameter.PATH, description="Versionens nummer (1, 2, ...).")
_KLYNGE = OpenApiParameter("klynge", str, OpenApiParameter.PATH, description="Klyngens slug.")
_TAGS = ["aftaler"]


# --- bulk reads for the serializers ---------------------------------------------------------------


def berig(aftaler: list[Samarbejdsaftale]) -> None:
    """Attach the decisions on each agreement's current version (`api_godkendelser`) and the progress
    per required party (`api_fremdrift`) in a constant number of queries, whatever the number of agreements."""
    fremdrift_pr_aftale = selectors.fremdrift_for_mange(aftaler)
    for aftale in aftaler:
        aftale.api_statustekst = synlighed.statustekst(aftale, aftale.status)
        aftale.api_gaeldende = aftale.status == Status.I_KRAFT and not synlighed.traeder_i_kraft_senere(aftale)
        fremdrift = aftale.api_fremdrift = fremdrift_pr_aftale[aftale.pk]
        aftale.api_godkendelser = sorted((g for ps in fremdrift.parter for g in ps.historik),
                                         key=lambda g: (g.registreret, g.id))


def tilladelser(bruger, aftale: Samarbejdsaftale) -> dict:
    if not bruger.is_authenticated:
        return {"redigere": False, "handlinger": [], "beslutning_for": [], "hoeringssvar_parter": [],
                "hoeringssvar_klynger": []}
    afsendere = policies.hoeringsafsendere(bruger, aftale)
    return {
        "redigere": policies.kan_redigere_aftale(bruger, aftale),
        "handlinger": [h for h in OVERGANGE if policies.kan_udfoere(bruger, aftale, h)],
        "beslutning_for": [p.slug for p in policies.beslutningsparter(bruger, aftale)],
        "hoeringssvar_parter": [a.slug for a in afsendere if isinstance(a, Part)],
        "hoeringssvar_klynger": [a.slug for a in afsendere if isinstance(a, Klynge)],
    }


# --- base view ------------------------------------------------------------------------------------


class AftaleAPIView(generics.GenericAPIView):
    """Reads for anyone who may see the agreement; writes for logged-in users, decided by the services."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = None
    filter_backends = []

    def handle_exception(self, exc):
        if isinstance(exc, services.ForaeldetGem):
            exc = Konflikt(exc.message)
        elif isinstance(exc, services.IkkeTilladt):
            exc = exceptions.PermissionDenied(exc.message)
        return super().handle_exception(exc)

    def get_aftale(self) -> Samarbejdsaftale:
        """The agreement in the URL, or 404 for a user who may not read it."""
        if not hasattr(self, "_aftale"):
            self._aftale = policies.aftale_eller_404(
                self.request.user, selectors.aftaler_med_detaljer(), slug=self.kwargs["slug"]
            )
        return self._aftale

    def detalje(self, aftale: Samarbejdsaftale, status_kode: int = status.HTTP_200_OK, *,
                efter_skrivning: bool = True) -> Response:
        """The agreement as the detail endpoint shows it. After a write it is read again through the
        user's scope: a user who edited themselves out of it (e.g. handed it to another group) gets 404."""
        user = self.request.user
        if efter_skrivning:
            aftale = policies.aftale_eller_404(user, selectors.aftaler_med_detaljer(), pk=aftale.pk)
        berig([aftale])
        # The text, title, summary and target group the user may read (a revision's draft only for its readers).
        aftale = policies.som_laest_af(user, aftale)
        aftale.api_vist_version = aftale.vist_version
        aftale.api_version = aftale.vist_version.nummer if aftale.vist_version else None
        aftale.api_tilladelser = tilladelser(user, aftale)
        data = serializers.AftaleDetaljeSerializer(aftale, context=self.get_serializer_context()).data
        return Response(data, status=status_kode)

    def parse(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


# --- agreements -----------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="Samarbejdsaftaler",
        description="De aftaler, du kan se: anonyme ser aftaler fra `indstillet` og frem (og aftaler under "
        "revision med en offentliggjort version). Filtrér med `?status=`, `?omfang=`, `?klynge=<slug>`, "
        "`?indsatsomraade=<slug>` og `?ejer=<forum-slug>`. `godkendelser` er beslutningerne om den aktuelle "
        "version; `godkendelser_status` tæller de påkrævede parter op.",
        tags=_TAGS,
        responses={200: serializers.AftaleSerializer(many=True), 400: _400, 401: _fejl("Ugyldig API-nøgle.")},
    ),
    post=extend_schema(
        summary="Opret en samarbejdsaftale",
        description="Kun `titel` er påkrævet. `omfang` er `regional`, medmindre andet angives; `lokal` kræver "
        "`klynge`. `tekst` bliver første versions tekst. Kræver ret til at skrive aftaler (sekretariatet, en "
        "temagruppe for sine egne aftaler, en klynges politiske niveau for klyngens lokale aftaler).",
        tags=_TAGS,
        request=serializers.AftaleOpretSerializer,
        responses={201: serializers.AftaleDetaljeSerializer, 400: _400, 401: _401, 403: _403},
    ),
)
class AftaleListeView(AftaleAPIView, generics.ListCreateAPIView):
    serializer_class = serializers.AftaleSerializer
    filterset_class = filters.AftaleFilter
    pagination_class = Sidedeling
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self) -> QuerySet[Samarbejdsaftale]:
        # Whose drafts the user reads: the others see the number of the public version (api_version).
        ser_udkast = Case(When(policies.udkastlaeser_q(self.request.user), then=Value(True)),
                          default=Value(False), output_field=BooleanField())
        return (policies.synlige_aftaler(self.request.user, selectors.aftaler_med_detaljer())
                .annotate(ser_udkast=ser_udkast).order_by("titel", "pk"))

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        side = self.paginate_queryset(queryset)
        aftaler = list(side if side is not None else queryset)
        berig(aftaler)
        for aftale in aftaler:
            vist = (aftale.aktuel_version if aftale.ser_udkast or aftale.status in OFFENTLIGE_STATUS
                    else aftale.offentliggjort_version or aftale.aktuel_version)
            aftale.api_version = vist.nummer if vist else None
        data = self.get_serializer(aftaler, many=True).data
        return self.get_paginated_response(data) if side is not None else Response(data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        # Before parsing: a user without any drafting right learns nothing from validation messages.
        if not policies.kan_oprette_aftale(request.user):
            raise exceptions.PermissionDenied("Du har ikke ret til at oprette samarbejdsaftaler.")
        data = dict(self.parse(serializers.AftaleOpretSerializer))
        aftale = services.aftale_opret(bruger=request.user, **data)
        return self.detalje(aftale, status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="Én samarbejdsaftale",
        description="Aftalen med den aktuelle versions tekst, beslutningerne om den aktuelle version "
        "(`godkendelser`), opgørelsen (`godkendelser_status`) og hvad du selv kan gøre (`tilladelser`).",
        parameters=[_SLUG], tags=_TAGS,
        responses={200: serializers.AftaleDetaljeSerializer, 404: _404},
    ),
    patch=extend_schema(
        summary="Ret en samarbejdsaftale",
        description="Ret detaljer og evt. tekst (`tekst` + `aendringsnote` giver en ny version, hvis teksten "
        "er ændret). Kun i `udkast`, af sekretariatet eller den ejende gruppe. Send `revision`, som du læste "
        "den: er aftalen gemt af en anden siden, svares 409, og intet gemmes.",
        parameters=[_SLUG], tags=_TAGS,
        request=serializers.AftaleRetSerializer,
        responses={200: serializers.AftaleDetaljeSerializer, 400: _400, 401: _401, 403: _403, 404: _404,
                   409: _409},
    ),
)
class AftaleDetaljeView(AftaleAPIView):
    serializer_class = serializers.AftaleDetaljeSerializer

    def get(self, request: Request, slug: str) -> Response:
        return self.detalje(self.get_aftale(), efter_skrivning=False)

    def patch(self, request: Request, slug: str) -> Response:
        aftale = self.get_aftale()
        data = dict(self.parse(serializers.AftaleRetSerializer, partial=False))
        revision = data.pop("revision")
        tekst = data.pop("tekst", None)
        aendringsnote = data.pop("aendringsnote", "")
        aftale = services.aftale_gem(aftale=aftale, bruger=request.user, revision=revision, felter=data,
                                     tekst=tekst, aendringsnote=aendringsnote)
        return self.detalje(aftale)


# --- versions -------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="Aftalens versioner",
        description="Alle versioner, ældste først. Under en revision ser læsere uden adgang til udkastet kun "
        "versionerne til og med den offentliggjorte.",
        parameters=[_SLUG], tags=_TAGS,
        responses={200: serializers.VersionSerializer(many=True), 404: _404},
    ),
    post=extend_schema(
        summary="Ny version af teksten",
        description="Kun i `udkast`, af sekretariatet eller den ejende gruppe. `grundlag` er påkrævet: nummeret "
        "på den version, teksten bygger på (aftalens `version`, som du læste den). Mangler det, svares 400 under "
        "`grundlag`; er der kommet en nyere version imellemtiden, afvises teksten med 409, og intet gemmes. Hent "
        "så aftalen igen, og byg videre på den nyeste tekst.",
        parameters=[_SLUG], tags=_TAGS,
        request=serializers.VersionOpretSerializer,
        responses={201: serializers.VersionSerializer, 400: _400, 401: _401, 403: _403, 404: _404, 409: _409},
    ),
)
class VersionListeView(AftaleAPIView):
    serializer_class = serializers.VersionSerializer

    def get(self, request: Request, slug: str) -> Response:
        versioner = policies.synlige_versioner(request.user, self.get_aftale())
        return Response(self.get_serializer(versioner, many=True).data)

    def post(self, request: Request, slug: str) -> Response:
        data = self.parse(serializers.VersionOpretSerializer)
        version = services.version_opret(aftale=self.get_aftale(), bruger=request.user, tekst=data["tekst"],
                                         aendringsnote=data.get("aendringsnote", ""), grundlag=data["grundlag"])
        return Response(self.get_serializer(version).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Én version",
    parameters=[_SLUG, _NUMMER], tags=_TAGS,
    responses={200: serializers.VersionSerializer, 404: _404},
)
class VersionDetaljeView(AftaleAPIView):
    serializer_class = serializers.VersionSerializer

    def get(self, request: Request, slug: str, nummer: int) -> Response:
        version = get_object_or_404(policies.synlige_versioner(request.user, self.get_aftale()), nummer=nummer)
        return Response(self.get_serializer(version).data)


# --- lifecycle ------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="Aftalens forløb",
        description="Alle overgange, ældste først: hvem, hvornår, fra og til hvilken status.",
        parameters=[_SLUG], tags=_TAGS,
        responses={200: serializers.OvergangSerializer(many=True), 404: _404},
    ),
    post=extend_schema(
        summary="Udfør en handling i aftalens forløb",
        description="`send_i_hoering` (udkast -> hoering; `hoeringsfrist`), `afslut_hoering` (hoering -> udkast), "
        "`indstil` (udkast -> indstillet; `forum`, `dato`, `beslutningsfrist`), `send_retur` (indstillet/hoering "
        "-> udkast), `offentliggoer` (godkendt -> i_kraft; `ikrafttraedelse`, `revisionsdato`), `ophaev` "
        "(i_kraft -> ophaevet), `revider` (i_kraft -> udkast). En handling, som status ikke tillader, giver "
        "400 under `handling`. Godkendt-status sættes automatisk, når alle påkrævede parter har godkendt.",
        parameters=[_SLUG], tags=_TAGS,
        request=serializers.OvergangOpretSerializer,
        responses={201: serializers.OvergangSvarSerializer, 400: _400, 401: _401, 403: _403, 404: _404},
    ),
)
class OvergangView(AftaleAPIView):
    serializer_class = serializers.OvergangSerializer

    def get(self, request: Request, slug: str) -> Response:
        aftale = self.get_aftale()
        overgange = policies.synlige_registreringer(
            request.user, aftale, aftale.overgange.select_related("version", "bruger").order_by("tidspunkt", "id"))
        return Response(self.get_serializer(overgange, many=True).data)

    def post(self, request: Request, slug: str) -> Response:
        data = {k: v for k, v in self.parse(serializers.OvergangOpretSerializer).items() if v is not None}
        overgang = services.aftale_overgang(aftale=self.get_aftale(), bruger=request.user, **data)
        svar = serializers.OvergangSvarSerializer(overgang, context=self.get_serializer_context())
        return Response(svar.data, status=status.HTTP_201_CREATED)


# --- decisions ------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="Myndighedernes beslutninger",
        description="Alle beslutninger om alle versioner (`version` siger hvilken), ældste først.",
        parameters=[_SLUG], tags=_TAGS,
        responses={200: serializers.GodkendelseSerializer(many=True), 404: _404},
    ),
    post=extend_schema(
        summary="Registrér en myndigheds beslutning",
        description="Kun mens aftalen er `indstillet`, og kun for din egen myndighed (kommunalbestyrelsens eller "
        "regionsrådets sekretariat). Beslutningen gælder den indstillede version. Når den sidste påkrævede part "
        "godkender, bliver aftalen `godkendt` (se `aftale_status`).",
        parameters=[_SLUG], tags=_TAGS,
        request=serializers.GodkendelseOpretSerializer,
        responses={201: serializers.GodkendelseSvarSerializer, 400: _400, 401: _401, 403: _403, 404: _404},
    ),
)
class GodkendelseView(AftaleAPIView):
    serializer_class = serializers.GodkendelseSerializer

    def get(self, request: Request, slug: str) -> Response:
        beslutninger = (
            Godkendelse.objects.filter(version__aftale=self.get_aftale())
            .select_related("part", "version", "registreret_af")
            .order_by("version__nummer", "registreret", "id")
        )
        return Response(self.get_serializer(beslutninger, many=True).data)

    def post(self, request: Request, slug: str) -> Response:
        aftale = self.get_aftale()
        godkendelse = services.godkendelse_registrer(aftale=aftale, bruger=request.user,
                                                     **self.parse(serializers.GodkendelseOpretSerializer))
        godkendelse.api_aftale_status = Samarbejdsaftale.objects.values_list("status", flat=True).get(pk=aftale.pk)
        svar = serializers.GodkendelseSvarSerializer(godkendelse, context=self.get_serializer_context())
        return Response(svar.data, status=status.HTTP_201_CREATED)


# --- implementation -------------------------------------------------------------------------------


@extend_schema(
    summary="Implementering i klyngerne",
    description="Én række pr. klynge, der skal implementere aftalen (oprettes ved offentliggørelsen).",
    parameters=[_SLUG], tags=_TAGS,
    responses={200: serializers.ImplementeringSerializer(many=True), 404: _404},
)
class ImplementeringListeView(AftaleAPIView):
    serializer_class = serializers.ImplementeringSerializer

    def get(self, request: Request, slug: str) -> Response:
        raekker = (self.get_aftale().implementeringer.select_related("klynge", "opdateret_af", "forgaenger__klynge")
                   .order_by("klynge__navn"))
        return Response(self.get_serializer(raekker, many=True).data)


@extend_schema_view(
    get=extend_schema(
        summary="Én klynges implementering",
        parameters=[_SLUG, _KLYNGE], tags=_TAGS,
        responses={200: serializers.ImplementeringSerializer, 404: _404},
    ),
    put=extend_schema(
        summary="Opdatér en klynges implementering",
        description="For klyngens egne medlemmer (og sekretariatet), mens aftalen er i kraft.",
        parameters=[_SLUG, _KLYNGE], tags=_TAGS,
        request=serializers.ImplementeringOpdaterSerializer,
        responses={200: serializers.ImplementeringSerializer, 400: _400, 401: _401, 403: _403, 404: _404},
    ),
)
class ImplementeringView(AftaleAPIView):
    serializer_class = serializers.ImplementeringSerializer

    def get(self, request: Request, slug: str, klynge: str) -> Response:
        raekke = get_object_or_404(
            Implementering.objects.select_related("klynge", "opdateret_af", "forgaenger__klynge"),
            aftale=self.get_aftale(),
            klynge__slug=klynge,
        )
        return Response(self.get_serializer(raekke).data)

    def put(self, request: Request, slug: str, klynge: str) -> Response:
        aftale = self.get_aftale()
        data = self.parse(serializers.ImplementeringOpdaterSerializer)
        raekke = services.implementering_opdater(aftale=aftale, klynge=get_object_or_404(Klynge, slug=klynge),
                                                 bruger=request.user, status=data["status"],
                                                 note=data.get("note", ""))
        return Response(self.get_serializer(raekke).data)


# --- forum dealings and consultation ----------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="Foras behandlinger af aftalen",
        parameters=[_SLUG], tags=_TAGS,
        responses={200: serializers.BehandlingSerializer(many=True), 404: _404},
    ),
    post=extend_schema(
        summary="Registrér et forums behandling",
        description="Sekretariatet registrerer, at et forum har drøftet, tiltrådt eller sendt aftalen retur. "
        "Udvalgets anbefaling registreres med handlingen `indstil`.",
        parameters=[_SLUG], tags=_TAGS,
        request=serializers.BehandlingOpretSerializer,
        responses={201: serializers.BehandlingSerializer, 400: _400, 401: _401, 403: _403, 404: _404},
    ),
)
class BehandlingView(AftaleAPIView):
    serializer_class = serializers.BehandlingSerializer

    def get(self, request: Request, slug: str) -> Response:
        aftale = self.get_aftale()
        behandlinger = policies.synlige_registreringer(
            request.user, aftale,
            aftale.behandlinger.select_related("forum", "version", "registreret_af").order_by("dato", "id"))
        return Response(self.get_serializer(behandlinger, many=True).data)

    def post(self, request: Request, slug: str) -> Response:
        behandling = services.behandling_registrer(aftale=self.get_aftale(), bruger=request.user,
                                                   **self.parse(serializers.BehandlingOpretSerializer))
        return Response(self.get_serializer(behandling).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="Høringssvar",
        description="Sekretariatet, interne læsere og den ejende gruppe ser alle svar; en myndighed eller en "
        "klynge ser sine egne; andre får en tom liste.",
        parameters=[_SLUG], tags=_TAGS,
        responses={200: serializers.HoeringssvarSerializer(many=True), 404: _404},
    ),
    post=extend_schema(
        summary="Afgiv høringssvar",
        description="Mens aftalen er i høring, for din egen myndighed (`part`) eller klynge (`klynge`). Et nyt "
        "svar fra samme afsender på samme version erstatter det forrige.",
        parameters=[_SLUG], tags=_TAGS,
        request=serializers.HoeringssvarOpretSerializer,
        responses={201: serializers.HoeringssvarSerializer, 400: _400, 401: _401, 403: _403, 404: _404},
    ),
)
class HoeringssvarView(AftaleAPIView):
    serializer_class = serializers.HoeringssvarSerializer

    def get(self, request: Request, slug: str) -> Response:
        aftale = self.get_aftale()
        svar = Hoeringssvar.objects.filter(version__aftale=aftale).select_related(
            "version", "part", "klynge", "afgivet_af"
        ).order_by("version__nummer", "afgivet", "id")
        svar = policies.synlige_hoeringssvar(request.user, aftale, svar)
        return Response(self.get_serializer(svar, many=True).data)

    def post(self, request: Request, slug: str) -> Response:
        data = self.parse(serializers.HoeringssvarOpretSerializer)
        svar = services.hoeringssvar_afgiv(aftale=self.get_aftale(), bruger=request.user,
                                           afsender=data.get("part") or data["klynge"], tekst=data["tekst"])
        return Response(self.get_serializer(svar).data, status=status.HTTP_201_CREATED)
