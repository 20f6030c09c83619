"""Query-string filters for the structure API (django-filter)."""

import django_filters
from django.db.models import QuerySet

from organisation.choices import ForumType, PartType
from organisation.models import Forum, Klynge, Part


class GyldighedFilterSet(django_filters.FilterSet):
    """`?aktiv=true` keeps what is valid today; `?aktiv=false` what has ended or not yet started."""

    aktiv = django_filters.BooleanFilter(method="filter_aktiv", label="Kun aktive (true) eller kun inaktive (false)")

    def filter_aktiv(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if value:
            return queryset.aktive()
        return queryset.exclude(pk__in=queryset.model.objects.aktive().values("pk"))


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
    klynge = django_filters.CharFilter(field_name="klynge__slug", label="Klyngens slug")
    part = django_filters.CharFilter(field_name="part__slug", label="Partens slug")

    class Meta:
        model = Forum
        fields = ["type", "klynge", "part", "aktiv"]
