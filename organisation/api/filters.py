"""Query-string filters for the structure API (django-filter)."""

import django_filters
from django.db.models import QuerySet

from organisation.choices import ForumType, PartType
from organisation.models import Forum, Klynge, Part
from sundhed import datovalg


class GyldighedFilterSet(django_filters.FilterSet):
    """`?aktiv=true` keeps what is valid on the day (`?dato=`, today without it); `?aktiv=false` what has
    ended or not yet started by then."""

    aktiv = django_filters.BooleanFilter(
        method="filter_aktiv", label="Kun aktive (true) eller kun inaktive (false) på dagen (`dato`, standard i dag)"
    )

    def filter_aktiv(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        dato = datovalg.dato_fra(self.data)
        if value:
            return queryset.aktive(dato)
        return queryset.exclude(pk__in=queryset.model.objects.aktive(dato).values("pk"))


class PartFilter(GyldighedFilterSet):
    type = django_filters.ChoiceFilter(choices=PartType.choices, label="Parttype")

    class Meta:
        model = Part
        fields = ["type", "aktiv"]


class KlyngeFilter(GyldighedFilterSet):
    class Meta:
        model = Klynge
        fields = ["aktiv"]


class ForumFilter(GyldighedFilterSet):
    type = django_filters.ChoiceFilter(choices=ForumType.choices, label="Forumtype")
    klynge = django_filters.CharFilter(field_name="klynge__slug", label="Områdets (klyngens) slug")
    part = django_filters.CharFilter(field_name="part__slug", label="Partens slug")

    class Meta:
        model = Forum
        fields = ["type", "klynge", "part", "aktiv"]
