"""/api/v1/moeder/...: meetings and their agenda items (DESIGN.md, "Contract added for meetings").

Reads show what the public pages show: the public sees a meeting once its agenda is published (or it is
cancelled), a closed item only as its number and "Lukket punkt", decisions only once the minutes are
published; whoever may plan the forum's meetings sees everything. Writes go through
organisation.moeder_services:

- a meeting the user may not read: 404 {"detail": "Findes ikke."};
- anonymous writes: 401;
- a user who may read the meeting but not plan it: 403 with a Danish message; nothing changed;
- any other refusal: 400 {field: [message]}.

Items' `aftale` and `udfald` (the agreement an item concerns and its outcome) are added by aftaler/api/moeder.py,
which serves `/api/v1/moeder/<id>/punkter/` (organisation may not know agreements).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from organisation import moeder_selectors as selectors
from organisation import moeder_services as services
from organisation import policies
from organisation.models import Forum, Klynge, Moede
from organisation.moedeforloeb import Handling, mulige_handlinger
from sundhed.api import FejlSerializer, Sidedeling, SlugFelt, forespoergselsparameter, valideringsfejl
from sundhed.exceptions import IkkeTilladt

_TAGS = ["møder"]
_400 = valideringsfejl("Ugyldige data: nøglen er feltets navn, værdien en liste af danske beskeder. Intet er gemt.")
_401 = OpenApiResponse(FejlSerializer, description="Du skal logge ind (kun ved ændringer).")
_403 = OpenApiResponse(FejlSerializer, description="Du må ikke planlægge møder i forummet; intet er ændret.")
_404 = OpenApiResponse(FejlSerializer, description="Findes ikke (eller du har ikke adgang til at se mødet).")
# `id`, as drf-spectacular names the URL's `pk` in the path (`{id}`): a second name would be a parameter the
# path does not have.
_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Mødets id.")


# --- serializers ------------------------------------------------------------------------------------------


class PunktbilagSerializer(serializers.Serializer):
    navn = serializers.CharField()
    filnavn = serializers.CharField()
    stoerrelse = serializers.IntegerField(help_text="Størrelse i bytes.")
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj) -> str:
        return reverse("moede-bilag", args=[obj.punkt.moede_id, obj.pk])


class PunktSerializer(serializers.Serializer):
    """Et dagsordenpunkt. Et lukket punkt viser offentligheden kun `nummer`, `titel` «Lukket punkt» og
    `aaben` false; de øvrige felter er tomme."""

    nummer = serializers.IntegerField()
    titel = serializers.CharField()
    aaben = serializers.BooleanField()
    sagsnummer = serializers.CharField()
    sagsfremstilling = serializers.CharField()
    indstilling = serializers.CharField()
    beslutning = serializers.CharField(help_text="Tom for offentligheden, før referatet er offentliggjort.")
    fravaerende = serializers.CharField()
    bilagsbetegnelser = serializers.ListField(child=serializers.CharField())
    bilag = PunktbilagSerializer(many=True)

    def to_representation(self, punkt) -> dict:
        if getattr(punkt, "lukket_for_laeser", False):
            return {"nummer": punkt.nummer, "titel": selectors.LUKKET, "aaben": False, "sagsnummer": "",
                    "sagsfremstilling": "", "indstilling": "", "beslutning": "", "fravaerende": "",
                    "bilagsbetegnelser": [], "bilag": []}
        data = {navn: getattr(punkt, navn) for navn in ("nummer", "titel", "aaben", "sagsnummer", "sagsfremstilling",
                                                        "indstilling", "beslutning", "fravaerende")}
        data["bilagsbetegnelser"] = punkt.bilagsbetegnelser
        vist = getattr(punkt, "vist_bilag", None)
        data["bilag"] = PunktbilagSerializer(vist if vist is not None else punkt.bilagsfiler.all(), many=True).data
        return data


class PunktOpretSerializer(serializers.Serializer):
    titel = serializers.CharField(max_length=300)
    aaben = serializers.BooleanField(default=True, help_text="false: et lukket punkt.")
    sagsnummer = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    sagsfremstilling = serializers.CharField(required=False, allow_blank=True, default="")
    indstilling = serializers.CharField(required=False, allow_blank=True, default="")
    beslutning = serializers.CharField(required=False, allow_blank=True, default="")
    fravaerende = serializers.CharField(required=False, allow_blank=True, default="")


class MoedeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    forum = serializers.CharField(source="forum.slug", help_text="Forummets slug.")
    forum_navn = serializers.CharField(source="forum.navn")
    start = serializers.DateTimeField()
    slut = serializers.DateTimeField()
    sted = serializers.CharField()
    titel = serializers.CharField()
    status = serializers.CharField(help_text="`planlagt`, `dagsorden`, `referat` eller `aflyst`.")
    sekvens = serializers.IntegerField(help_text="iCal SEQUENCE: hæves ved hver ændring.")
    dagsorden_offentliggjort = serializers.DateTimeField(allow_null=True)
    referat_offentliggjort = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()
    ical = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj) -> str:
        return reverse("moede-detalje", args=[obj.pk])

    @extend_schema_field(serializers.CharField())
    def get_ical(self, obj) -> str:
        return reverse("moede-ical", args=[obj.pk])


class MoedeDetaljeSerializer(MoedeSerializer):
    punkter = PunktSerializer(many=True, source="vist_punkter")
    handlinger = serializers.ListField(child=serializers.CharField(),
                                       help_text="De overgange (`handling`), du kan udføre nu.")


# A meeting's time within these years: anything else is a typing error, and before 1894 Danish time was local
# mean time, whose offset (+00:50:20) no client reads as a time zone in the answer.
FOERSTE_AAR, SIDSTE_AAR = 2000, 2100


def _rimeligt_aar(vaerdi) -> None:
    if not FOERSTE_AAR <= vaerdi.year <= SIDSTE_AAR:
        raise serializers.ValidationError(f"Angiv et tidspunkt mellem år {FOERSTE_AAR} og {SIDSTE_AAR}.")


class MoedeOpretSerializer(serializers.Serializer):
    forum = SlugFelt(slug_field="slug", queryset=Forum.objects.all(),
                                         error_messages={"does_not_exist": "Forummet «{value}» findes ikke.",
                                                         "invalid": "Angiv forummets slug."})
    start = serializers.DateTimeField(help_text="Fx 2026-12-15T10:00 (dansk tid) eller med tidszone.",
                                      validators=[_rimeligt_aar])
    slut = serializers.DateTimeField(validators=[_rimeligt_aar])
    sted = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    titel = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MoedeRedigerSerializer(serializers.Serializer):
    start = serializers.DateTimeField(required=False, validators=[_rimeligt_aar])
    slut = serializers.DateTimeField(required=False, validators=[_rimeligt_aar])
    sted = serializers.CharField(max_length=200, required=False, allow_blank=True)
    titel = serializers.CharField(max_length=200, required=False, allow_blank=True)


class MoedeOvergangSerializer(serializers.Serializer):
    handling = serializers.ChoiceField(choices=Handling.choices)


# --- views ------------------------------------------------------------------------------------------------


class _MoedeAPIView(generics.GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = None
    filter_backends = []

    def handle_exception(self, exc):
        if isinstance(exc, IkkeTilladt):
            exc = exceptions.PermissionDenied(exc.message)
        return super().handle_exception(exc)

    def parse(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def detalje(self, pk: int, status_kode: int = status.HTTP_200_OK) -> Response:
        user = self.request.user
        moede, planlaegger = selectors.moede_til_visning(user, pk)
        moede.handlinger = [r.handling for r in mulige_handlinger(moede.status)] if planlaegger else []
        return Response(MoedeDetaljeSerializer(moede).data, status=status_kode)


class MoedeListeView(_MoedeAPIView):
    serializer_class = MoedeSerializer
    pagination_class = Sidedeling

    @extend_schema(
        summary="Møder",
        description="De møder, du kan se: offentligheden ser møder med offentliggjort dagsorden og aflyste møder; "
        "den, der planlægger et forums møder, ser også dets planlagte. Filtrér med `?forum=<slug>`, "
        "`?klynge=<slug>` og `?status=`. Nyeste først.",
        parameters=[OpenApiParameter("forum", str, description="Forummets slug."),
                    OpenApiParameter("klynge", str, description="Klyngens slug (møder i klyngens fora)."),
                    OpenApiParameter("status", str, enum=["planlagt", "dagsorden", "referat", "aflyst"])],
        responses={200: MoedeSerializer(many=True),
                   400: valideringsfejl("En parameter med et ulovligt tegn (NUL); nøglen er parameterens navn.")},
        tags=_TAGS,
    )
    def get(self, request: Request) -> Response:
        qs = policies.synlige_moeder(request.user, Moede.objects.select_related("forum"))
        forum, klynge, moedestatus = (forespoergselsparameter(request, navn) for navn in ("forum", "klynge", "status"))
        if forum:
            qs = qs.filter(forum__in=Forum.objects.filter(slug=forum))
        if klynge:
            qs = qs.filter(forum__klynge__in=Klynge.objects.filter(slug=klynge))
        if moedestatus:
            qs = qs.filter(status=moedestatus)
        side = self.paginate_queryset(qs.order_by("-start", "-pk"))
        return self.get_paginated_response(MoedeSerializer(side, many=True).data)

    @extend_schema(
        summary="Planlæg et møde",
        description="`forum` (slug), `start` og `slut` er påkrævet. Mødet er `planlagt` og ikke offentligt, før "
        "dagsordenen offentliggøres. Kræver, at du planlægger forummets møder (sekretariatet eller forummets "
        "sekretær).",
        request=MoedeOpretSerializer,
        responses={201: MoedeDetaljeSerializer, 400: _400, 401: _401, 403: _403}, tags=_TAGS,
    )
    def post(self, request: Request) -> Response:
        data = self.parse(MoedeOpretSerializer)
        moede = services.moede_opret(bruger=request.user, **data)
        return self.detalje(moede.pk, status.HTTP_201_CREATED)


class MoedeDetaljeView(_MoedeAPIView):
    serializer_class = MoedeDetaljeSerializer

    @extend_schema(summary="Ét møde", description="Mødet med dagsordenens punkter, som du må se dem.",
                   parameters=[_ID], responses={200: MoedeDetaljeSerializer, 404: _404}, tags=_TAGS)
    def get(self, request: Request, pk: int) -> Response:
        return self.detalje(pk)

    @extend_schema(summary="Redigér et møde", description="Ændr `start`, `slut`, `sted` eller `titel`. Hver ændring "
                   "hæver `sekvens`, så kalendere opdateres. Et aflyst møde kan ikke ændres.",
                   parameters=[_ID], request=MoedeRedigerSerializer,
                   responses={200: MoedeDetaljeSerializer, 400: _400, 401: _401, 403: _403, 404: _404}, tags=_TAGS)
    def patch(self, request: Request, pk: int) -> Response:
        moede = policies.moede_eller_404(request.user, Moede.objects.select_related("forum"), pk=pk)
        services.moede_rediger(moede=moede, bruger=request.user, **self.parse(MoedeRedigerSerializer))
        return self.detalje(pk)


class PunktListeView(_MoedeAPIView):
    serializer_class = PunktSerializer

    @extend_schema(summary="Dagsordenens punkter", description="Punkterne i rækkefølge, som du må se dem: et lukket "
                   "punkt viser offentligheden kun nummer og «Lukket punkt».",
                   parameters=[_ID], responses={200: PunktSerializer(many=True), 404: _404}, tags=_TAGS)
    def get(self, request: Request, pk: int) -> Response:
        moede, _ = selectors.moede_til_visning(request.user, pk)
        return Response(PunktSerializer(moede.vist_punkter, many=True).data)

    @extend_schema(summary="Tilføj et punkt", description="Punktet kommer sidst på dagsordenen. `titel` er påkrævet; "
                   "`aaben` false gør det til et lukket punkt.",
                   parameters=[_ID], request=PunktOpretSerializer,
                   responses={201: PunktSerializer, 400: _400, 401: _401, 403: _403, 404: _404}, tags=_TAGS)
    def post(self, request: Request, pk: int) -> Response:
        moede = policies.moede_eller_404(request.user, Moede.objects.select_related("forum"), pk=pk)
        punkt = services.punkt_opret(moede=moede, bruger=request.user, **self.parse(PunktOpretSerializer))
        punkt.lukket_for_laeser = False
        punkt.vist_bilag = []
        return Response(PunktSerializer(punkt).data, status=status.HTTP_201_CREATED)


class MoedeOvergangView(_MoedeAPIView):
    serializer_class = MoedeOvergangSerializer

    @extend_schema(summary="Før mødet videre", description="`handling`: `offentliggoer_dagsorden` (planlagt → "
                   "dagsorden), `offentliggoer_referat` (dagsorden → referat, når mødet er begyndt) eller `aflys` "
                   "(planlagt eller dagsorden → aflyst). Svaret er mødet.",
                   parameters=[_ID], request=MoedeOvergangSerializer,
                   responses={200: MoedeDetaljeSerializer, 400: _400, 401: _401, 403: _403, 404: _404}, tags=_TAGS)
    def post(self, request: Request, pk: int) -> Response:
        moede = policies.moede_eller_404(request.user, Moede.objects.select_related("forum"), pk=pk)
        services.moede_overgang(moede=moede, bruger=request.user, **self.parse(MoedeOvergangSerializer))
        return self.detalje(pk)
