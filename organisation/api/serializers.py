"""Read-only JSON for the published structure: parties, clusters and fora with their members, on one day.

Nested lists read prefetched attributes (`aktive_medlemskaber`, `niveau_fora`) that the views'
querysets fill for the day asked (`context["dato"]`), so a list costs the same number of queries
whatever its length.
The serializers' docstrings and help texts are Danish: they are the public API documentation
(drf-spectacular puts them in /api/schema/ and /api/docs/).
"""

import datetime

from django.utils import timezone
from rest_framework import serializers

from organisation.choices import ForumType, KlyngeArt
from organisation.models import Forum, Klynge, Medlemskab, Part


def _dag(serializer: serializers.Serializer) -> datetime.date:
    """The day the answer is about: `?dato=` (set by the view), else today."""
    return serializer.context.get("dato") or timezone.localdate()


class GyldighedSerializer(serializers.ModelSerializer):
    """Gyldighed: fra og til (tom = fortsat gyldig); `aktiv` og `arkiveret` gælder dagen `dato` (standard i dag)."""

    arkiveret = serializers.SerializerMethodField(help_text="Sand, når `valid_to` ligger før dagen (`dato`, "
                                                  "standard i dag).")
    aktiv = serializers.SerializerMethodField(help_text="Sand, når objektet er gyldigt på dagen (`dato`, "
                                              "standard i dag).")

    class Meta:
        fields = ["valid_from", "valid_to", "arkiveret", "aktiv"]

    def get_arkiveret(self, obj) -> bool:
        return obj.valid_to is not None and obj.valid_to < _dag(self)

    def get_aktiv(self, obj) -> bool:
        return obj.er_aktiv(_dag(self))


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
    """Et medlemskab på dagen (`dato`, standard i dag): hvem, i hvilken rolle, og hvilken part personen
    repræsenterer."""

    navn = serializers.CharField(source="person.navn", read_only=True)
    titel = serializers.CharField(source="person.titel", read_only=True)
    rolle_navn = serializers.CharField(source="get_rolle_display", read_only=True)
    repraesenterer = PartRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Medlemskab
        fields = ["navn", "titel", "rolle", "rolle_navn", "repraesenterer"]


class NiveauSerializer(serializers.ModelSerializer):
    """Et af områdets organer på dagen: klyngens politiske eller administrative niveau, eller sundhedsrådet
    (også i den forberedende periode), med medlemmerne på dagen."""

    forum = serializers.SlugField(source="slug", read_only=True)
    type = serializers.ChoiceField(
        choices=[(t.value, t.label) for t in (ForumType.KLYNGE_POLITISK, ForumType.KLYNGE_ADMINISTRATIV,
                                              ForumType.SUNDHEDSRAAD)],
        read_only=True,
    )
    type_navn = serializers.CharField(source="get_type_display", read_only=True)
    forberedende = serializers.SerializerMethodField(
        help_text="Sand, når organet på dagen mødes som forberedende organ (før det træder i kraft)."
    )
    medlemmer = MedlemSerializer(source="aktive_medlemskaber", many=True, read_only=True)

    class Meta:
        model = Forum
        fields = ["forum", "navn", "type", "type_navn", "forberedende", "medlemmer"]

    def get_forberedende(self, obj: Forum) -> bool:
        return obj.er_forberedende(_dag(self))


class KlyngeSerializer(GyldighedSerializer):
    """En sundhedsklynge eller (fra 2027) et sundhedsråds område: akuthospitalet, kommunerne i
    optageområdet og områdets organer på dagen (klyngens to niveauer eller sundhedsrådet)."""

    art = serializers.ChoiceField(
        choices=KlyngeArt.choices, read_only=True,
        help_text="`klynge` for en sundhedsklynge, `sundhedsraad` for et sundhedsråds område.",
    )
    art_navn = serializers.CharField(source="get_art_display", read_only=True)
    akuthospital = PartRefSerializer(read_only=True)
    kommuner = PartRefSerializer(many=True, read_only=True, help_text="Kommunerne, der er gyldige på dagen.")
    niveauer = NiveauSerializer(source="niveau_fora", many=True, read_only=True)
    efterfoelgere = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True,
        help_text="De områder (slugs), der afløser klyngen, fx sundhedsrådet fra 2027.",
    )
    forgaengere = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="De klynger (slugs), området afløser.",
    )

    class Meta:
        model = Klynge
        fields = [
            "slug", "navn", "art", "art_navn", "tidligere_navn", "beskrivelse", "akuthospital", "kommuner",
            "niveauer", "efterfoelgere", "forgaengere", *GyldighedSerializer.Meta.fields,
        ]


class ForumSerializer(GyldighedSerializer):
    """Et forum i samarbejdet (udvalg, styregruppe, temagruppe, klyngeniveau, sundhedsråd, byråd, regionsråd ...)."""

    type_navn = serializers.CharField(source="get_type_display", read_only=True)
    klynge = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True,
                                          help_text="Områdets (klyngens) slug for et klyngeniveau eller et "
                                          "sundhedsråd; ellers null.")
    part = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True,
                                        help_text="Myndighedens slug for en kommunalbestyrelse eller et regionsråd; "
                                        "ellers null.")
    overordnet = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True,
                                              help_text="Det overordnede forums slug; null for et forum øverst.")
    opgaver = serializers.ListField(
        source="opgaveliste", child=serializers.CharField(), read_only=True,
        help_text="Forummets opgaver, én pr. element (opgavefordelingen).",
    )
    medlemmer = MedlemSerializer(source="aktive_medlemskaber", many=True, read_only=True,
                                 help_text="Medlemmerne på dagen (`dato`, standard i dag).")
    forberedende_fra = serializers.DateField(
        read_only=True, allow_null=True,
        help_text="Forummet mødes som forberedende organ fra denne dato, indtil det træder i kraft (`valid_from`).",
    )
    forberedende = serializers.SerializerMethodField(
        help_text="Sand, når forummet på dagen mødes som forberedende organ."
    )
    efterfoelgere = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True,
        help_text="De fora (slugs), der afløser forummet, når det ophører.",
    )
    forgaengere = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="De fora (slugs), forummet afløser.",
    )

    class Meta:
        model = Forum
        fields = [
            "slug", "navn", "type", "type_navn", "klynge", "part", "overordnet", "formaal", "opgaver",
            "kommissorium", "medlemmer", "forberedende_fra", "forberedende", "efterfoelgere", "forgaengere",
            *GyldighedSerializer.Meta.fields,
        ]

    def get_forberedende(self, obj: Forum) -> bool:
        return obj.er_forberedende(_dag(self))
