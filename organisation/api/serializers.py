from rest_framework import serializers

from organisation.models import Forum, Klynge, Part


class PartSerializer(serializers.ModelSerializer):
    class Meta:
        model = Part
        fields = ["slug", "navn", "type", "valid_from", "valid_to"]


class KlyngeSerializer(serializers.ModelSerializer):
    akuthospital = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kommuner = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Klynge
        fields = ["slug", "navn", "akuthospital", "kommuner", "valid_from", "valid_to"]


class ForumSerializer(serializers.ModelSerializer):
    klynge = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    part = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Forum
        fields = ["slug", "navn", "type", "klynge", "part", "valid_from", "valid_to"]
