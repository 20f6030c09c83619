"""Read-only JSON for the published structure: parties, clusters and fora with their members.

Nested lists read prefetched attributes (`aktive_medlemskaber`, `niveau_fora`) that the views'
querysets fill, so a list costs the same number of queries whatever its length.
The serializers' docstrings and help texts are Danish: they are the public API documentation
(drf-spectacular puts them in /api/schema/ and /api/docs/).
"""

from rest_framework import serializers

from organisation.choices import ForumType
from organisation.models import Forum, Klynge, Medlemskab, Part


class GyldighedSerializer(serializers.ModelSerializer):
    """Gyldighed: fra og til (tom = fortsat gyldig); `arkiveret` er sand, når slutdatoen er passeret."""

    arkiveret = serializers.BooleanField(
        source="er_arkiveret", read_only=True, help_text="Sand, når `valid_to` ligger før i dag."
    )

    class Meta:
        fields = ["valid_from", "valid_to", "arkiveret"]


class PartRefSerializer(serializers.ModelSerializer):
    """Henvisning til en part: slug og navn."""

    class Meta:
        model = Part
        fields = ["slug", "navn"]


class PartSerializer(GyldighedSerializer):
    """En part i samarbejdet: regionen, en kommune, almen praksis, et hospital eller psykiatrien."""

    type_navn = serializers.CharField(source="get_type_display", read_only=True)

    class Meta:
        model = Part
        fields = ["slug", "navn", "kortnavn", "type", "type_navn", *GyldighedSerializer.Meta.fields]


class MedlemSerializer(serializers.ModelSerializer):
    """Et aktivt medlemskab: hvem, i hvilken rolle, og hvilken part personen repræsenterer."""

    navn = serializers.CharField(source="person.navn", read_only=True)
    titel = serializers.CharField(source="person.titel", read_only=True)
    rolle_navn = serializers.CharField(source="get_rolle_display", read_only=True)
    repraesenterer = PartRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Medlemskab
        fields = ["navn", "titel", "rolle", "rolle_navn", "repraesenterer"]


class NiveauSerializer(serializers.ModelSerializer):
    """Et af klyngens niveauer (politisk eller administrativt) med de aktive medlemmer."""

    forum = serializers.SlugField(source="slug", read_only=True)
    type = serializers.ChoiceField(
        choices=[(t.value, t.label) for t in (ForumType.KLYNGE_POLITISK, ForumType.KLYNGE_ADMINISTRATIV)],
        read_only=True,
    )
    type_navn = serializers.CharField(source="get_type_display", read_only=True)
    medlemmer = MedlemSerializer(source="aktive_medlemskaber", many=True, read_only=True)

    class Meta:
        model = Forum
        fields = ["forum", "navn", "type", "type_navn", "medlemmer"]


class KlyngeSerializer(GyldighedSerializer):
    """En sundhedsklynge: akuthospitalet, kommunerne i optageområdet og klyngens to niveauer."""

    akuthospital = PartRefSerializer(read_only=True)
    kommuner = PartRefSerializer(many=True, read_only=True)
    niveauer = NiveauSerializer(source="niveau_fora", many=True, read_only=True)

    class Meta:
        model = Klynge
        fields = [
            "slug", "navn", "tidligere_navn", "beskrivelse", "akuthospital", "kommuner", "niveauer",
            *GyldighedSerializer.Meta.fields,
        ]


class ForumSerializer(GyldighedSerializer):
    """Et forum i samarbejdet (udvalg, styregruppe, temagruppe, klyngeniveau, byråd, regionsråd ...)."""

    type_navn = serializers.CharField(source="get_type_display", read_only=True)
    klynge = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True,
                                          help_text="Klyngens slug for et klyngeniveau; ellers null.")
    part = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True,
                                        help_text="Myndighedens slug for en kommunalbestyrelse eller et regionsråd; "
                                        "ellers null.")
    overordnet = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True,
                                              help_text="Det overordnede forums slug; null for et forum øverst.")
    opgaver = serializers.ListField(
        source="opgaveliste", child=serializers.CharField(), read_only=True,
        help_text="Forummets opgaver, én pr. element (opgavefordelingen).",
    )
    medlemmer = MedlemSerializer(source="aktive_medlemskaber", many=True, read_only=True)

    class Meta:
        model = Forum
        fields = [
            "slug", "navn", "type", "type_navn", "klynge", "part", "overordnet", "formaal", "opgaver",
            "kommissorium", "medlemmer", *GyldighedSerializer.Meta.fields,
        ]
