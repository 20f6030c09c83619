"""Indicator API: public reads of indicators and measurements; import for the secretariat and the
Økonomi- og opfølgningsgruppe (403 for others on the import itself, 404 on batches they may not see)."""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indikatorer import importer, policies, selectors, services
from indikatorer.api.serializers import (
    ImportBatchSerializer,
    ImportSerializer,
    IndikatorSerializer,
    LokaltMaalSerializer,
    MaalingSerializer,
)
from indikatorer.choices import GeografiType
from indikatorer.models import Indikator, LokaltMaal, Maaling
from indikatorer.perioder import Periode
from sundhed.api import FejlSerializer, Sidedeling, forespoergselsparameter, valideringsfejl

_TAGS = ["indikatorer"]
_401 = OpenApiResponse(FejlSerializer, description="Du skal logge ind (Authorization: Token <nøgle>).")


@extend_schema_view(
    list=extend_schema(summary="Indikatorer", tags=_TAGS,
                       description="Sundhedsaftalens indikatorer med målsætning og/eller nationalt mål."),
    retrieve=extend_schema(summary="Én indikator", tags=_TAGS, responses={
        200: IndikatorSerializer, 404: OpenApiResponse(FejlSerializer, description="Findes ikke.")}),
)
class IndikatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndikatorSerializer
    lookup_field = "kode"
    pagination_class = Sidedeling
    filter_backends = []

    def get_queryset(self) -> QuerySet[Indikator]:
        return Indikator.objects.select_related("maalsaetning__indsatsomraade", "nationalt_maal").order_by(
            "sortering", "navn", "pk")


def _liste(vaerdi: str | None) -> list[str]:
    return [v.strip() for v in (vaerdi or "").split(",") if v.strip()]


@extend_schema(
    summary="En indikators målinger", tags=_TAGS,
    description="Værdier pr. geografi og periode. Filtrér med `?geografi=<slug>` (fx `region-midtjylland`, "
    "`aarhusklyngen`, `aarhus`; flere adskilt af komma), `?periode=2024H1` (flere adskilt af komma) og "
    "`?fra=2022H1&til=2024H2`.",
    parameters=[
        OpenApiParameter("geografi", str, description="Geografiens slug; flere adskilt af komma."),
        OpenApiParameter("periode", str, description="Fx 2024H1, 2024H2 eller 2024; flere adskilt af komma."),
        OpenApiParameter("fra", str, description="Første periode (med)."),
        OpenApiParameter("til", str, description="Sidste periode (med)."),
    ],
    responses={200: MaalingSerializer(many=True),
               400: valideringsfejl("Ugyldig geografi eller periode; nøglen er parameterens navn."),
               404: OpenApiResponse(FejlSerializer, description="Indikatoren findes ikke.")},
)
class MaalingListe(generics.ListAPIView):
    serializer_class = MaalingSerializer
    pagination_class = Sidedeling
    filter_backends = []

    def get_queryset(self) -> QuerySet[Maaling]:
        ind = Indikator.objects.filter(kode=self.kwargs["kode"]).first()
        if ind is None:
            raise Http404
        qs = Maaling.objects.gaeldende().filter(indikator=ind)
        fejl: dict[str, list[str]] = {}
        geografier = _liste(forespoergselsparameter(self.request, "geografi"))
        if geografier:
            kendte = {g.slug for g in selectors.geografier(kun_aktive=False)}
            ukendte = [g for g in geografier if g not in kendte]
            if ukendte:
                fejl["geografi"] = [f"Ukendt geografi: {', '.join(ukendte)}."]
            qs = qs.filter(geografi_slug__in=geografier)
        perioder = _liste(forespoergselsparameter(self.request, "periode"))
        if perioder:
            ugyldige = [p for p in perioder if Periode.fra_kode(p) is None]
            if ugyldige:
                fejl["periode"] = [f"Ugyldig periode: {', '.join(ugyldige)} (skriv fx 2024H1, 2024H2 eller 2024)."]
            qs = qs.filter(periode__in=perioder)
        for navn, opslag in (("fra", "periode_noegle__gte"), ("til", "periode_noegle__lte")):
            vaerdi = forespoergselsparameter(self.request, navn)
            if vaerdi:
                p = Periode.fra_kode(vaerdi)
                if p is None:
                    fejl[navn] = [f"Ugyldig periode: {vaerdi}."]
                else:
                    qs = qs.filter(**{opslag: p.noegle if navn == "til" else p.noegle - (0 if p.halvaar else 1)})
        if fejl:
            raise ValidationError(fejl)
        # The region first, then the clusters, then the municipalities, as on the pages.
        geografi_orden = Case(*(When(geografi_type=t, then=Value(i)) for i, t in enumerate(GeografiType.values)),
                              output_field=IntegerField())
        return qs.order_by("periode_noegle", geografi_orden, "geografi_slug", "pk")


class ImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Importér indikatordata", tags=_TAGS, request={"multipart/form-data": ImportSerializer},
        description="Alt eller intet: én forkert række afviser hele filen med 400 og en dansk besked pr. forkert "
        "række med linjenummeret (`{\"fil\": [\"Linje 3: ...\"]}`). Filer med over 2.000 rækker skrives af en "
        "baggrundsopgave: svaret er da 202, og `status_url` viser fremdriften. Kun fælles sekretariat og "
        "Økonomi- og opfølgningsgruppen.",
        responses={201: ImportBatchSerializer, 202: ImportBatchSerializer,
                   400: valideringsfejl("Filen eller rækker i den er forkerte (under `fil`, én besked pr. forkert "
                                        "række); intet er gemt."),
                   401: _401,
                   403: OpenApiResponse(FejlSerializer, description="Ingen adgang til at importere."),
                   415: OpenApiResponse(FejlSerializer, description="Send filen som multipart/form-data.")},
    )
    def post(self, request: Request) -> Response:
        if not policies.kan_importere(request.user):
            raise PermissionDenied("Du har ikke adgang til at importere indikatordata.")
        s = ImportSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        fil = s.validated_data["fil"]
        if fil.size > importer.MAKS_STOERRELSE:
            raise ValidationError({"fil": [importer.for_stor_besked(fil.size)]})
        try:
            batch = services.import_direkte(bruger=request.user, filnavn=fil.name, indhold=fil.read())
        except services.ImportAfvist as exc:
            raise ValidationError({"fil": exc.fejl, "detail": exc.message}) from exc
        batch = selectors.batch(batch.pk)
        data = ImportBatchSerializer(batch, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED if not batch.er_i_gang else status.HTTP_202_ACCEPTED)


@extend_schema(summary="Status for en import", tags=_TAGS, responses={
    200: ImportBatchSerializer, 401: _401, 404: OpenApiResponse(FejlSerializer, description="Findes ikke.")})
class ImportStatus(generics.RetrieveAPIView):
    serializer_class = ImportBatchSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        # Outsiders must not learn that a batch exists: 404, as for a batch that does not.
        if not policies.kan_importere(self.request.user):
            raise Http404
        b = selectors.batch(self.kwargs["pk"])
        if b is None:
            raise Http404
        return b


# --- a cluster's local goals ------------------------------------------------------------------

_MAAL_TAGS = ["lokale mål"]


class _LokaleMaalBase(APIView):
    """The cluster's members read (others 404); the political level and the secretariat write (others 403)."""

    # Anonymous reads get the same 404 as outsiders; anonymous writes are asked to log in (401).
    permission_classes = [IsAuthenticatedOrReadOnly]

    def klynge(self, slug: str):
        return policies.klynge_eller_404(self.request.user, slug)

    def kraev_skriveret(self, klynge) -> None:
        """403 before the body is validated: a member who may read but not write learns why."""
        if not policies.kan_redigere_lokale_maal(self.request.user, klynge):
            raise PermissionDenied("Kun klyngens politiske niveau og sekretariatet kan redigere klyngens lokale mål.")

    def gem(self, klynge, data: dict, maal: LokaltMaal | None = None) -> LokaltMaal:
        return services.lokalt_maal_gem(bruger=self.request.user, klynge=klynge, lokalt_maal=maal, **data)


class LokaleMaalListe(_LokaleMaalBase):
    serializer_class = LokaltMaalSerializer

    @extend_schema(summary="Klyngens lokale mål", tags=_MAAL_TAGS, responses={
        200: LokaltMaalSerializer(many=True), 404: OpenApiResponse(FejlSerializer, description="Findes ikke.")})
    def get(self, request: Request, slug: str) -> Response:
        klynge = self.klynge(slug)
        return Response(LokaltMaalSerializer(selectors.lokale_maal(klynge), many=True).data)

    @extend_schema(summary="Opret et lokalt mål", tags=_MAAL_TAGS, request=LokaltMaalSerializer, responses={
        201: LokaltMaalSerializer, 400: valideringsfejl("Et felt er ugyldigt."), 401: _401,
        403: OpenApiResponse(FejlSerializer, description="Kun klyngens politiske niveau og sekretariatet."),
        404: OpenApiResponse(FejlSerializer, description="Findes ikke.")})
    def post(self, request: Request, slug: str) -> Response:
        klynge = self.klynge(slug)
        self.kraev_skriveret(klynge)
        ser = LokaltMaalSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        maal = self.gem(klynge, dict(ser.validated_data))
        return Response(LokaltMaalSerializer(maal).data, status=status.HTTP_201_CREATED)


class LokaltMaalDetalje(_LokaleMaalBase):
    serializer_class = LokaltMaalSerializer

    def maal(self, slug: str, pk: int):
        klynge = self.klynge(slug)
        maal = selectors.lokale_maal(klynge).filter(pk=pk).first()
        if maal is None:
            raise Http404
        return klynge, maal

    @extend_schema(summary="Ét lokalt mål", tags=_MAAL_TAGS, responses={
        200: LokaltMaalSerializer, 404: OpenApiResponse(FejlSerializer, description="Findes ikke.")})
    def get(self, request: Request, slug: str, pk: int) -> Response:
        return Response(LokaltMaalSerializer(self.maal(slug, pk)[1]).data)

    @extend_schema(summary="Ret et lokalt mål", tags=_MAAL_TAGS, request=LokaltMaalSerializer, responses={
        200: LokaltMaalSerializer, 400: valideringsfejl("Et felt er ugyldigt."), 401: _401,
        403: OpenApiResponse(FejlSerializer, description="Kun klyngens politiske niveau og sekretariatet."),
        404: OpenApiResponse(FejlSerializer, description="Findes ikke.")})
    def patch(self, request: Request, slug: str, pk: int) -> Response:
        klynge, maal = self.maal(slug, pk)
        self.kraev_skriveret(klynge)
        ser = LokaltMaalSerializer(maal, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = {"titel": maal.titel, **ser.validated_data}
        maal = self.gem(klynge, data, maal)
        return Response(LokaltMaalSerializer(maal).data)
