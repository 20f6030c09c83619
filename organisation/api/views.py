from rest_framework import viewsets

from organisation.api import serializers
from organisation.models import Forum, Klynge, Part


class PartViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Part.objects.all()
    serializer_class = serializers.PartSerializer
    lookup_field = "slug"


class KlyngeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Klynge.objects.select_related("akuthospital").prefetch_related("kommuner")
    serializer_class = serializers.KlyngeSerializer
    lookup_field = "slug"


class ForumViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Forum.objects.select_related("klynge", "part")
    serializer_class = serializers.ForumSerializer
    lookup_field = "slug"
