"""JSON for indicators and measurements. Docstrings and help texts are the public API documentation."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aftaler.models import Maalsaetning
from indikatorer.models import ImportBatch, Indikator, LokaltMaal, LokaltMaalStatus, Maaling
from sundhed.api import SlugFelt


class MaalRefSerializer(serializers.Serializer):
    """Henvisning til en målsætning eller et nationalt mål."""

    id = serializers.IntegerField()
    tekst = serializers.CharField()


class IndikatorSerializer(serializers.ModelSerializer):
    """En indikator i sundhedsaftalen: enhed, retning (lavere eller højere er bedre), frekvens og kilde."""

    retning_navn = serializers.CharField(source="get_retning_display", read_only=True)
    frekvens_navn = serializers.CharField(source="get_frekvens_display", read_only=True)
    maalsaetning = MaalRefSerializer(read_only=True, allow_null=True,
                                     help_text="Sundhedsaftalens målsætning, som indikatoren følger op på.")
    indsatsomraade = serializers.CharField(source="maalsaetning.indsatsomraade.navn", read_only=True,
                                           allow_null=True, default=None)
    nationalt_maal = MaalRefSerializer(read_only=True, allow_null=True, help_text="Det nationale mål.")
    maalinger = serializers.HyperlinkedIdentityField(
        view_name="api-indikator-maalinger", lookup_field="kode", lookup_url_kwarg="kode",
        help_text="Adressen på indikatorens målinger.",
    )

    class Meta:
        model = Indikator
        fields = [
            "kode", "navn", "beskrivelse", "enhed", "retning", "retning_navn", "frekvens", "frekvens_navn", "kilde",
            "decimaler", "aktiv", "maalsaetning", "indsatsomraade", "nationalt_maal", "maalinger",
        ]


class MaalingSerializer(serializers.ModelSerializer):
    """Én værdi for én geografi (regionen, en klynge eller en kommune) i én periode."""

    geografi = serializers.CharField(source="geografi_slug", read_only=True,
                                     help_text="Geografiens slug, fx `region-midtjylland`, `aarhusklyngen`, `aarhus`.")
    vaerdi = serializers.DecimalField(max_digits=16, decimal_places=4, coerce_to_string=False, read_only=True)
    taeller = serializers.DecimalField(max_digits=16, decimal_places=4, coerce_to_string=False, read_only=True,
                                       allow_null=True)
    naevner = serializers.DecimalField(max_digits=16, decimal_places=4, coerce_to_string=False, read_only=True,
                                       allow_null=True)
    syntetisk = serializers.BooleanField(read_only=True, help_text="Sand for syntetiske demodata.")

    class Meta:
        model = Maaling
        fields = ["geografi", "geografi_type", "periode", "vaerdi", "taeller", "naevner", "note", "syntetisk"]


class ImportBatchSerializer(serializers.ModelSerializer):
    """En importkørsel: status (venter, koerer, faerdig, fejlet ...), antal rækker og fremdrift."""

    # null for the demo's own batch, which no user imported.
    oprettet_af = serializers.CharField(source="oprettet_af.username", read_only=True, default=None, allow_null=True)
    behandlet = serializers.SerializerMethodField(help_text="Rækker skrevet indtil nu.")
    status_url = serializers.HyperlinkedIdentityField(view_name="api-import-status", lookup_field="pk")

    class Meta:
        model = ImportBatch
        fields = [
            "id", "status", "filnavn", "format", "antal_raekker", "antal_nye", "antal_erstattede", "behandlet",
            "perioder", "indikatorkoder", "antal_geografier", "fejl", "oprettet_af", "oprettet", "afsluttet",
            "status_url",
        ]

    def get_behandlet(self, obj: ImportBatch) -> int:
        from indikatorer.selectors import behandlet

        return behandlet(obj)


@extend_schema_field(OpenApiTypes.BINARY)
class Fil(serializers.FileField):
    """An uploaded file: in the schema the file's bytes (`format: binary`), not a URL as for a FileField in an
    answer (drf-spectacular's default when one component serves both directions)."""


class ImportSerializer(serializers.Serializer):
    fil = Fil(
        help_text="CSV (kode;geografi;periode;vaerdi[;taeller;naevner], ; eller , som skilletegn, decimalkomma "
        "eller -punktum, UTF-8 med eller uden BOM) eller XLSX. Højst 20 MB.",
        error_messages={"required": "Vedhæft en fil i feltet 'fil'.", "empty": "Filen er tom.",
                        "invalid": "Vedhæft en fil i feltet 'fil' (multipart/form-data)."},
    )


class LokaltMaalSerializer(serializers.ModelSerializer):
    """Et lokalt mål i en klynge: hvilken af sundhedsaftalens målsætninger det tjener (`maalsaetning`, dens
    id), hvilken indikator det følges med (`indikator`, dens kode) og hvor langt det er nået (`status`)."""

    klynge = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    titel = serializers.CharField(max_length=250, error_messages={
        "required": "Skriv en titel.", "blank": "Skriv en titel.",
        "max_length": "Titlen er for lang (højst 250 tegn).",
    })
    beskrivelse = serializers.CharField(required=False, allow_blank=True, default="")
    maalsaetning = serializers.PrimaryKeyRelatedField(
        queryset=Maalsaetning.objects.all(), required=False, allow_null=True, default=None,
        help_text="Id på sundhedsaftalens målsætning (se `maalsaetning.id` i /api/v1/indikatorer/).",
        error_messages={"does_not_exist": "Målsætningen findes ikke.", "incorrect_type": "Angiv målsætningens id."},
    )
    indikator = SlugFelt(
        slug_field="kode", queryset=Indikator.objects.all(), required=False, allow_null=True, default=None,
        help_text="Indikatorens kode.",
        error_messages={"does_not_exist": "Indikatoren findes ikke.", "invalid": "Angiv indikatorens kode."},
    )
    status = serializers.ChoiceField(
        choices=LokaltMaalStatus.choices, required=False, default=LokaltMaalStatus.PLANLAGT,
        error_messages={"invalid_choice": "Ukendt status; brug planlagt, i_gang, naaet eller opgivet."},
    )
    status_navn = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = LokaltMaal
        fields = ["id", "klynge", "titel", "beskrivelse", "maalsaetning", "indikator", "status", "status_navn",
                  "aendret", "aendret_af_navn"]
        read_only_fields = ["id", "aendret", "aendret_af_navn"]
