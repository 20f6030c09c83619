"""Public, read-only API for the structure: parties, clusters and fora with their active members.

Querysets are built per request (not as class attributes) because "active" means valid
today, and every nested list is prefetched so list and detail run a constant number of queries.
"""

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets

from organisation.api import filters, serializers
from organisation.choices import ForumType, Rolle
from organisation.models import Forum, Klynge, Medlemskab, Part
from sundhed.api import FejlSerializer, Sidedeling

_ROLLE_ORDEN = [Rolle.FORMAND, Rolle.NAESTFORMAND, Rolle.MEDLEM, Rolle.SEKRETAER]
_NIVEAU_ORDEN = [ForumType.KLYNGE_POLITISK, ForumType.KLYNGE_ADMINISTRATIV]


def _orden(felt: str, vaerdier: list[str]) -> Case:
    """Sort by the domain's order (chair first, political level first), not alphabetically."""
    return Case(
        *(When(**{felt: v}, then=Value(i)) for i, v in enumerate(vaerdier)),
        default=Value(len(vaerdier)),
        output_field=IntegerField(),
    )


def _aktive_medlemskaber(lookup: str = "medlemskaber") -> Prefetch:
    """Prefetch of a forum's active seats into `aktive_medlemskaber`, chair first."""
    return Prefetch(
        lookup,
        queryset=Medlemskab.objects.aktive()
        .select_related("person", "repraesenterer")
        .order_by(_orden("rolle", _ROLLE_ORDEN), "person__navn", "pk"),
        to_attr="aktive_medlemskaber",
    )


_SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="Objektets slug, fx `aarhus`.")
_TAGS = ["organisation"]


def _detalje(serializer, **kwargs):
    """extend_schema for a detail endpoint: the object, or 404 with the Danish error body."""
    return extend_schema(
        parameters=[_SLUG],
        responses={200: serializer, 404: OpenApiResponse(FejlSerializer, description="Findes ikke.")},
        tags=_TAGS,
        **kwargs,
    )


class _StrukturViewSet(viewsets.ReadOnlyModelViewSet):
    """Public read-only list and detail, looked up by slug."""

    lookup_field = "slug"
    pagination_class = Sidedeling


@extend_schema_view(
    list=extend_schema(
        summary="Parter i samarbejdet",
        description="Regionen, de 19 kommuner, almen praksis (PLO), hospitalerne og psykiatrien. "
        "Filtrér med `?type=kommune` og `?aktiv=true`.",
        tags=_TAGS,
    ),
    retrieve=_detalje(serializers.PartSerializer, summary="Én part", description="En part slået op på sin slug."),
)
class PartViewSet(_StrukturViewSet):
    serializer_class = serializers.PartSerializer
    filterset_class = filters.PartFilter

    def get_queryset(self) -> QuerySet[Part]:
        return Part.objects.order_by("type", "navn", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="Sundhedsklynger",
        description="Klyngerne med akuthospital, kommuner og de aktive medlemmer af klyngens politiske "
        "og administrative niveau. Filtrér med `?aktiv=true`.",
        tags=_TAGS,
    ),
    retrieve=_detalje(serializers.KlyngeSerializer, summary="Én sundhedsklynge",
                      description="En klynge slået op på sin slug, med niveauernes aktive medlemmer."),
)
class KlyngeViewSet(_StrukturViewSet):
    serializer_class = serializers.KlyngeSerializer
    filterset_class = filters.KlyngeFilter

    def get_queryset(self) -> QuerySet[Klynge]:
        niveauer = (
            Forum.objects.aktive()
            .filter(type__in=_NIVEAU_ORDEN)
            .order_by(_orden("type", _NIVEAU_ORDEN), "navn", "pk")
        )
        return (
            Klynge.objects.select_related("akuthospital")
            .prefetch_related(
                Prefetch("kommuner", queryset=Part.objects.order_by("navn", "pk")),
                Prefetch("fora", queryset=niveauer, to_attr="niveau_fora"),
                _aktive_medlemskaber("niveau_fora__medlemskaber"),
            )
            .order_by("navn", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Fora",
        description="Alle samarbejdets fora (udvalg, styregruppe, temagrupper, klyngeniveauer, "
        "kommunalbestyrelser, regionsråd ...) med formål, opgaver og aktive medlemmer. "
        "Filtrér med `?type=temagruppe`, `?klynge=<slug>`, `?part=<slug>` og `?aktiv=true`.",
        tags=_TAGS,
    ),
    retrieve=_detalje(serializers.ForumSerializer, summary="Ét forum", description="Et forum slået op på sin slug."),
)
class ForumViewSet(_StrukturViewSet):
    serializer_class = serializers.ForumSerializer
    filterset_class = filters.ForumFilter

    def get_queryset(self) -> QuerySet[Forum]:
        return (
            Forum.objects.select_related("klynge", "part", "overordnet")
            .prefetch_related(_aktive_medlemskaber())
            .order_by("sortering", "navn", "pk")
        )
