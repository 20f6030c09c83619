"""Public, read-only API for the structure: parties, clusters and fora with their members, on one day.

`?dato=YYYY-MM-DD` (sundhed.datovalg; today without it) is the day every answer is about: the members,
levels and municipalities of that day, `aktiv` and `arkiveret` as of that day, the `?aktiv=` filter.
Querysets are therefore built per request, and every nested list is prefetched, so list and detail
run a constant number of queries whatever the day and the length.
"""

import datetime
from functools import cached_property

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets

from organisation.api import filters, serializers
from organisation.choices import ForumType, Rolle
from organisation.models import Forum, Klynge, Medlemskab, Part
from sundhed import datovalg
from sundhed.api import FejlSerializer, Sidedeling, valideringsfejl

_ROLLE_ORDEN = [Rolle.FORMAND, Rolle.NAESTFORMAND, Rolle.MEDLEM, Rolle.SEKRETAER]
# An area's own bodies: a sundhedsråd, or a cluster's political then administrative level.
_NIVEAU_ORDEN = [ForumType.SUNDHEDSRAAD, ForumType.KLYNGE_POLITISK, ForumType.KLYNGE_ADMINISTRATIV]


def _orden(felt: str, vaerdier: list[str]) -> Case:
    """Sort by the domain's order (chair first, political level first), not alphabetically."""
    return Case(
        *(When(**{felt: v}, then=Value(i)) for i, v in enumerate(vaerdier)),
        default=Value(len(vaerdier)),
        output_field=IntegerField(),
    )


def _aktive_medlemskaber(dato: datetime.date, lookup: str = "medlemskaber") -> Prefetch:
    """Prefetch of a forum's seats on `dato` into `aktive_medlemskaber`, chair first."""
    return Prefetch(
        lookup,
        queryset=Medlemskab.objects.aktive(dato)
        .select_related("person", "repraesenterer")
        .order_by(_orden("rolle", _ROLLE_ORDEN), "person__navn", "pk"),
        to_attr="aktive_medlemskaber",
    )


def _henvisninger(model: type[Forum] | type[Klynge]) -> list[Prefetch]:
    """Successors and predecessors as slugs: one query each, oldest first."""
    return [Prefetch(sti, queryset=model.objects.only("pk", "slug").order_by("valid_from", "slug"))
            for sti in ("efterfoelgere", "forgaengere")]


_SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="Objektets slug, fx `aarhus`.")
_DATO = OpenApiParameter(
    datovalg.PARAMETER, OpenApiTypes.DATE, OpenApiParameter.QUERY,
    description="Strukturen pr. denne dag (ÅÅÅÅ-MM-DD), fx `2027-02-01`; uden den i dag. Medlemmer, niveauer, "
    "kommuner, `aktiv`, `arkiveret` og filteret `aktiv` gælder den dag. En ugyldig dato giver 400 med feltet "
    "`dato`.",
)
_UGYLDIG = valideringsfejl("Ugyldig dato (`dato`) eller filterværdi, fx `{\"dato\": [\"Datoen »abc« kunne ikke "
                           "læses. ...\"]}`.")
_TAGS = ["organisation"]


def _liste(serializer, **kwargs):
    """extend_schema for a list endpoint: the day, and 400 for a bad day or filter."""
    return extend_schema(parameters=[_DATO], responses={200: serializer(many=True), 400: _UGYLDIG}, tags=_TAGS,
                         **kwargs)


def _detalje(serializer, **kwargs):
    """extend_schema for a detail endpoint: the object on the day, 400 for a bad day, or 404 (Danish body)."""
    return extend_schema(
        parameters=[_SLUG, _DATO],
        responses={200: serializer, 400: _UGYLDIG, 404: OpenApiResponse(FejlSerializer, description="Findes ikke.")},
        tags=_TAGS,
        **kwargs,
    )


class _StrukturViewSet(viewsets.ReadOnlyModelViewSet):
    """Public read-only list and detail, looked up by slug, answering for the day `?dato=`."""

    lookup_field = "slug"
    pagination_class = Sidedeling

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        # A ?dato= that is no date is refused (400 naming `dato`) before anything is filtered or read.
        self.dato = datovalg.dato_fra(request.query_params)

    @cached_property
    def dato(self) -> datetime.date:
        """The day asked for (set by `initial`; read here when the schema generator builds the view)."""
        return datovalg.dato_fra(self.request.query_params)

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "dato": self.dato}


@extend_schema_view(
    list=_liste(
        serializers.PartSerializer,
        summary="Parter i samarbejdet",
        description="Regionen, de 19 kommuner, almen praksis (PLO), hospitalerne og psykiatrien. "
        "Filtrér med `?type=kommune` og `?aktiv=true`; `?dato=` viser en anden dag end i dag.",
    ),
    retrieve=_detalje(serializers.PartSerializer, summary="Én part", description="En part slået op på sin slug."),
)
class PartViewSet(_StrukturViewSet):
    serializer_class = serializers.PartSerializer
    filterset_class = filters.PartFilter

    def get_queryset(self) -> QuerySet[Part]:
        return Part.objects.order_by("type", "navn", "pk")


@extend_schema_view(
    list=_liste(
        serializers.KlyngeSerializer,
        summary="Sundhedsklynger og sundhedsråd",
        description="Klyngerne og (fra 2027) sundhedsrådenes områder med akuthospital, kommuner og medlemmerne af "
        "områdets organer: klyngens politiske og administrative niveau eller sundhedsrådet. `art` skelner dem, "
        "`efterfoelgere` og `forgaengere` forbinder en klynge med det sundhedsråd, der afløser den. "
        "Filtrér med `?aktiv=true`; `?dato=` viser en anden dag end i dag.",
    ),
    retrieve=_detalje(serializers.KlyngeSerializer, summary="Én sundhedsklynge eller ét sundhedsråds område",
                      description="En klynge eller et sundhedsråds område slået op på sin slug, med organernes "
                      "medlemmer på dagen."),
)
class KlyngeViewSet(_StrukturViewSet):
    serializer_class = serializers.KlyngeSerializer
    filterset_class = filters.KlyngeFilter

    def get_queryset(self) -> QuerySet[Klynge]:
        dato = self.dato
        # A sundhedsråd meeting as a preparatory body that day counts as its area's body.
        organer = (
            (Forum.objects.aktive(dato) | Forum.objects.filter(forberedende_fra__lte=dato, valid_from__gt=dato))
            .filter(type__in=_NIVEAU_ORDEN)
            .order_by(_orden("type", _NIVEAU_ORDEN), "navn", "pk")
        )
        return (
            Klynge.objects.select_related("akuthospital")
            .prefetch_related(
                Prefetch("kommuner", queryset=Part.objects.aktive(dato).order_by("navn", "pk")),
                Prefetch("fora", queryset=organer, to_attr="niveau_fora"),
                _aktive_medlemskaber(dato, "niveau_fora__medlemskaber"),
                *_henvisninger(Klynge),
            )
            .order_by("navn", "pk")
        )


@extend_schema_view(
    list=_liste(
        serializers.ForumSerializer,
        summary="Fora",
        description="Alle samarbejdets fora (udvalg, styregruppe, temagrupper, klyngeniveauer, sundhedsråd, "
        "kommunalbestyrelser, regionsråd ...) med formål, opgaver og medlemmer på dagen. "
        "Filtrér med `?type=temagruppe`, `?klynge=<slug>`, `?part=<slug>` og `?aktiv=true`; `?dato=` viser en "
        "anden dag end i dag.",
    ),
    retrieve=_detalje(serializers.ForumSerializer, summary="Ét forum", description="Et forum slået op på sin slug."),
)
class ForumViewSet(_StrukturViewSet):
    serializer_class = serializers.ForumSerializer
    filterset_class = filters.ForumFilter

    def get_queryset(self) -> QuerySet[Forum]:
        return (
            Forum.objects.select_related("klynge", "part", "overordnet")
            .prefetch_related(_aktive_medlemskaber(self.dato), *_henvisninger(Forum))
            .order_by("sortering", "navn", "pk")
        )
