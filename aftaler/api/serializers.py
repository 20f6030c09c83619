"""JSON for collaboration agreements: reading (model -> JSON) and parsing requests (JSON -> service arguments).

Serializers hold no business rules: the input serializers only turn slugs into objects and strings
into dates; every write is a call to aftaler.services in the views. Related objects are named by
slug, states by their slug from the contract (DESIGN.md). Fields that start with `api_` in a
`source` are filled by the views in bulk (aftaler.api.views.berig), so a list of agreements costs
the same number of queries whatever its length.

Docstrings and help texts are Danish: they are the public API documentation.
"""

from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aftaler.choices import Beslutning, ImplementeringStatus, Omfang, Oprindelse, Status, Udfald
from aftaler.models import (
    AftaleVersion,
    Behandling,
    Godkendelse,
    Hoeringssvar,
    Implementering,
    Indsatsomraade,
    Overgang,
    Proevehandling,
    Samarbejdsaftale,
)
from aftaler.sanitize import rens_html
from aftaler.workflow import AUTOMATISK_GODKENDT, Handling
from organisation.models import Forum, Klynge, Part
from sundhed.api import SlugFelt

HANDLING_NAVNE = {**dict(Handling.choices), AUTOMATISK_GODKENDT: "Godkendt af alle påkrævede parter"}
_DATO_FEJL = {"invalid": "Datoen skal skrives som ÅÅÅÅ-MM-DD.", "required": "Angiv en dato.",
              "null": "Angiv en dato."}


# --- field types --------------------------------------------------------------------------------


class ValgFelt(serializers.ChoiceField):
    """A state or kind given by its slug, documented as the named schema component `skema`.

    Named components keep the schema free of enum-naming collisions: `status` of an agreement and
    of an implementation share a field name but not their values, which drf-spectacular's enum
    hook would otherwise warn about (and only settings could silence)."""

    def __init__(self, choices, *, skema: str, **kwargs):
        self.skema = skema
        kwargs.setdefault("error_messages", {"invalid_choice": "'{input}' er ikke en gyldig værdi."})
        super().__init__(choices, **kwargs)


class ValgFeltSkema(OpenApiSerializerFieldExtension):
    target_class = ValgFelt

    def get_name(self) -> str:
        return self.target.skema

    def map_serializer_field(self, auto_schema, direction) -> dict:
        beskrivelse = ", ".join(f"`{v}`: {n}" for v, n in self.target.choices.items())
        return {"type": "string", "enum": list(self.target.choices), "description": beskrivelse}


@extend_schema_field({"type": "string", "nullable": True,
                      "description": "Brugernavn; tomt (null) for anonyme læsere og slettede brugere."})
class BrugerFelt(serializers.Field):
    """Who wrote or recorded something, as a username. Anonymous readers get null: the public
    reads the agreements, not the staff's user names."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, bruger) -> str | None:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return None
        return bruger.get_username()


@extend_schema_field({"type": "string", "nullable": True,
                      "description": "Navnet på den, der gjorde det, som det var dengang; tomt (null) for anonyme "
                                     "læsere."})
class NavnFelt(serializers.CharField):
    """The name kept on the row when it was written (sundhed.services.navn_paa): it still says who,
    after the person is renamed or leaves. Hidden from anonymous readers, as BrugerFelt is."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, navn) -> str | None:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return None
        return navn or None


class RenHtmlFelt(serializers.CharField):
    """HTML body, cleaned again on the way out (it is stored cleaned; this is a second fence)."""

    def to_representation(self, value) -> str:
        return rens_html(str(value))


def _slugfelt(queryset, navn: str, **kwargs) -> SlugFelt:
    return SlugFelt(
        slug_field="slug", queryset=queryset,
        error_messages={"does_not_exist": f"Der findes ingen {navn} med slug '{{value}}'.",
                        "invalid": "Angiv en slug som tekst."},
        **kwargs,
    )


def _dato(**kwargs) -> serializers.DateField:
    return serializers.DateField(error_messages=_DATO_FEJL, **kwargs)


# --- reading ------------------------------------------------------------------------------------


class GodkendelseSerializer(serializers.ModelSerializer):
    """Én myndigheds beslutning om én version af aftalen."""

    part = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="Myndighedens slug.")
    part_navn = serializers.CharField(source="part.navn", read_only=True)
    beslutning = ValgFelt(Beslutning.choices, skema="Beslutning", read_only=True)
    version = serializers.IntegerField(source="version.nummer", read_only=True,
                                       help_text="Nummeret på den version, beslutningen gælder.")
    registreret_af = BrugerFelt()
    registreret_af_navn = NavnFelt()

    class Meta:
        model = Godkendelse
        fields = ["part", "part_navn", "beslutning", "dato", "sagsnummer", "referat_url", "bemaerkning",
                  "version", "registreret", "registreret_af", "registreret_af_navn"]
        read_only_fields = fields


class GodkendelseSvarSerializer(GodkendelseSerializer):
    """Den registrerede beslutning og aftalens status bagefter (`godkendt`, når den sidste påkrævede
    part har godkendt)."""

    aftale_status = ValgFelt(Status.choices, skema="Aftalestatus", source="api_aftale_status", read_only=True)

    class Meta(GodkendelseSerializer.Meta):
        fields = [*GodkendelseSerializer.Meta.fields, "aftale_status"]


class FremdriftSerializer(serializers.Serializer):
    """Status for godkendelsen af den aktuelle version: hvor mange af de påkrævede parter
    (kommuner og region, evt. PLO) der har godkendt, afvist, udsat eller mangler at beslutte."""

    godkendt = serializers.IntegerField(read_only=True)
    afvist = serializers.IntegerField(read_only=True)
    udsat = serializers.IntegerField(read_only=True)
    mangler = serializers.IntegerField(read_only=True)
    antal = serializers.IntegerField(read_only=True, help_text="Antal påkrævede parter.")


class TilladelserSerializer(serializers.Serializer):
    """Hvad den indloggede bruger kan gøre med aftalen lige nu (tomt for anonyme)."""

    redigere = serializers.BooleanField(read_only=True, help_text="Må redigere detaljer og tekst (PATCH, ny version).")
    handlinger = serializers.ListField(child=serializers.CharField(), read_only=True,
                                       help_text="De `handling`-værdier, brugeren kan udføre nu.")
    beslutning_for = serializers.ListField(child=serializers.CharField(), read_only=True,
                                           help_text="Slugs på de myndigheder, brugeren kan registrere beslutning for.")
    hoeringssvar_parter = serializers.ListField(child=serializers.CharField(), read_only=True,
                                                help_text="Slugs på de parter, brugeren kan afgive høringssvar for.")
    hoeringssvar_klynger = serializers.ListField(child=serializers.CharField(), read_only=True,
                                                 help_text="Slugs på de klynger, brugeren kan afgive høringssvar for.")


class AftaleSerializer(serializers.ModelSerializer):
    """En samarbejdsaftale. `godkendelser` er beslutningerne om den aktuelle version (samme form som
    i detaljevisningen); `godkendelser_status` er opgørelsen over de påkrævede parter."""

    status = ValgFelt(Status.choices, skema="Aftalestatus", read_only=True)
    status_navn = serializers.CharField(
        source="api_statustekst", read_only=True,
        help_text="Status i ord; en offentliggjort aftale, der træder i kraft senere, hedder »Offentliggjort, "
        "træder i kraft <dato>« indtil datoen.")
    i_kraft_nu = serializers.BooleanField(
        source="api_gaeldende", read_only=True,
        help_text="Sand, når aftalen gælder i dag: status `i_kraft` og ikrafttrædelsesdatoen er nået.")
    omfang = ValgFelt(Omfang.choices, skema="Aftaleomfang", read_only=True)
    klynge = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True,
                                          help_text="Klyngens slug for en lokal aftale; ellers null.")
    version = serializers.IntegerField(
        source="api_version", read_only=True, allow_null=True,
        help_text="Nummeret på den aktuelle version, du kan læse: under en revision ser læsere uden adgang til "
        "udkastet den offentliggjorte versions nummer.")
    offentliggjort_version = serializers.IntegerField(
        source="offentliggjort_version.nummer", read_only=True, allow_null=True,
        help_text="Nummeret på den offentliggjorte (gældende) version; null før offentliggørelsen.",
    )
    indsatsomraade = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    ejer_forum = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True,
                                              help_text="Slug på den gruppe, der ejer aftalen.")
    oprindelse = ValgFelt(Oprindelse.choices, skema="Aftaleoprindelse", read_only=True)
    proevehandling = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    godkendelser = GodkendelseSerializer(source="api_godkendelser", many=True, read_only=True)
    godkendelser_status = FremdriftSerializer(source="api_fremdrift", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-aftale-detalje", lookup_field="slug")

    class Meta:
        model = Samarbejdsaftale
        fields = [
            "slug", "titel", "status", "status_navn", "i_kraft_nu", "omfang", "klynge", "version",
            "offentliggjort_version",
            "resume", "maalgruppe", "indsatsomraade", "ejer_forum", "oprindelse", "proevehandling",
            "hoeringsfrist", "beslutningsfrist", "indstillet_dato", "godkendt_dato", "ikrafttraedelse",
            "revisionsdato", "revision", "godkendelser", "godkendelser_status", "url",
        ]
        read_only_fields = fields


class AftaleDetaljeSerializer(AftaleSerializer):
    """En samarbejdsaftale med tekst. `tekst` er den aktuelle versions tekst (renset HTML). Under en
    revision ser læsere uden adgang til udkastet i stedet den offentliggjorte version;
    `tekst_version` siger, hvilken version teksten er. Send `revision` med tilbage ved PATCH."""

    tekst = RenHtmlFelt(source="api_vist_version.tekst", read_only=True, allow_null=True)
    tekst_version = serializers.IntegerField(source="api_vist_version.nummer", read_only=True, allow_null=True)
    ekstra_parter = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True,
        help_text="Parter ud over kommunerne og regionen, der også skal godkende (fx PLO-Midtjylland).",
    )
    tilladelser = TilladelserSerializer(source="api_tilladelser", read_only=True)

    class Meta(AftaleSerializer.Meta):
        fields = [
            *AftaleSerializer.Meta.fields, "tekst", "tekst_version", "oprindelse_reference", "ekstra_parter",
            "oprettet", "opdateret", "tilladelser",
        ]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    """En version af aftalens tekst. En frossen version (sendt i høring eller indstillet) ændres aldrig."""

    tekst = RenHtmlFelt(read_only=True)
    forfatter = BrugerFelt()

    class Meta:
        model = AftaleVersion
        fields = ["nummer", "tekst", "aendringsnote", "forfatter", "oprettet", "frossen"]
        read_only_fields = fields


class OvergangSerializer(serializers.ModelSerializer):
    """Et skift i aftalens forløb: hvem, hvornår, fra og til hvilken status, på hvilken version."""

    handling = ValgFelt(list(HANDLING_NAVNE.items()), skema="HandlingIForloebet", read_only=True)
    handling_navn = serializers.SerializerMethodField()
    fra_status = ValgFelt(Status.choices, skema="Aftalestatus", read_only=True)
    til_status = ValgFelt(Status.choices, skema="Aftalestatus", read_only=True)
    version = serializers.IntegerField(source="version.nummer", read_only=True, allow_null=True)
    bruger = BrugerFelt()
    bruger_navn = NavnFelt()

    class Meta:
        model = Overgang
        fields = ["handling", "handling_navn", "fra_status", "til_status", "version", "bruger", "bruger_navn",
                  "tidspunkt", "note"]
        read_only_fields = fields

    def get_handling_navn(self, overgang: Overgang) -> str:
        return HANDLING_NAVNE.get(overgang.handling, overgang.handling)


class OvergangSvarSerializer(OvergangSerializer):
    """Den udførte overgang og aftalens nye status."""

    status = ValgFelt(Status.choices, skema="Aftalestatus", source="aftale.status", read_only=True)
    status_navn = serializers.CharField(source="aftale.get_status_display", read_only=True)

    class Meta(OvergangSerializer.Meta):
        fields = ["status", "status_navn", *OvergangSerializer.Meta.fields]
        read_only_fields = fields


class ImplementeringSerializer(serializers.ModelSerializer):
    """Hvor langt en klynge er med at implementere aftalen."""

    def get_klynge_i_kraft(self, obj: Implementering) -> bool:
        return obj.klynge.er_aktiv()

    klynge = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    klynge_navn = serializers.CharField(source="klynge.navn", read_only=True)
    status = ValgFelt(ImplementeringStatus.choices, skema="Implementeringsstatus", read_only=True)
    status_navn = serializers.CharField(source="get_status_display", read_only=True)
    opdateret_af = BrugerFelt()
    opdateret_af_navn = NavnFelt()
    forgaenger = serializers.SlugRelatedField(
        source="forgaenger.klynge", slug_field="slug", read_only=True, allow_null=True,
        help_text="Klyngen, hvis registrering rækken fortsætter efter en strukturændring (ellers null).")
    klynge_i_kraft = serializers.SerializerMethodField(
        help_text="Om klyngen (eller sundhedsrådets område) er i kraft i dag; ellers er rækken historik.")

    class Meta:
        model = Implementering
        fields = ["klynge", "klynge_navn", "status", "status_navn", "note", "opdateret", "opdateret_af",
                  "opdateret_af_navn", "forgaenger", "fortsat_fra", "klynge_i_kraft"]
        read_only_fields = fields


class BehandlingSerializer(serializers.ModelSerializer):
    """Et forums behandling af aftalen (drøftet, tiltrådt, anbefalet, sendt retur)."""

    forum = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    forum_navn = serializers.CharField(source="forum.navn", read_only=True)
    udfald = ValgFelt(Udfald.choices, skema="Behandlingsudfald", read_only=True)
    udfald_navn = serializers.CharField(source="get_udfald_display", read_only=True)
    version = serializers.IntegerField(source="version.nummer", read_only=True, allow_null=True)
    registreret_af = BrugerFelt()
    registreret_af_navn = NavnFelt()

    class Meta:
        model = Behandling
        fields = ["forum", "forum_navn", "dato", "udfald", "udfald_navn", "note", "version", "registreret",
                  "registreret_af", "registreret_af_navn"]
        read_only_fields = fields


class HoeringssvarSerializer(serializers.ModelSerializer):
    """Et høringssvar fra en part (`part`) eller en klynge (`klynge`) på en version i høring."""

    version = serializers.IntegerField(source="version.nummer", read_only=True)
    part = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    klynge = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    afsender_navn = serializers.CharField(source="afsender.navn", read_only=True)
    tekst = RenHtmlFelt(read_only=True)
    afgivet_af = BrugerFelt()
    afgivet_af_navn = NavnFelt()
    underskrift = NavnFelt(help_text="Sådan er svaret underskrevet: personens navn og myndigheden eller klyngen, "
                                     "fx »Karen Jensen, Horsens Kommune«; null for anonyme læsere.")

    class Meta:
        model = Hoeringssvar
        fields = ["version", "part", "klynge", "afsender_navn", "tekst", "afgivet", "afgivet_af", "afgivet_af_navn",
                  "underskrift"]
        read_only_fields = fields


# --- parsing requests ---------------------------------------------------------------------------


class _AftaleFelterSerializer(serializers.Serializer):
    """The editable details (services.REDIGERBARE_FELTER) plus the text of a new version."""

    titel = serializers.CharField(max_length=250, error_messages={"required": "Skriv en titel.",
                                                                   "blank": "Skriv en titel."})
    resume = serializers.CharField(required=False, allow_blank=True)
    maalgruppe = serializers.CharField(required=False, allow_blank=True)
    indsatsomraade = _slugfelt(Indsatsomraade.objects.all(), "indsatsområde", required=False, allow_null=True)
    ejer_forum = _slugfelt(Forum.objects.all(), "gruppe", required=False, allow_null=True,
                           help_text="Slug på den temagruppe, arbejdsgruppe eller det klyngeniveau, der ejer aftalen.")
    omfang = ValgFelt(Omfang.choices, skema="Aftaleomfang", required=False)
    klynge = _slugfelt(Klynge.objects.all(), "klynge", required=False, allow_null=True,
                       help_text="Klyngens slug; påkrævet, når `omfang` er `lokal`.")
    oprindelse = ValgFelt(Oprindelse.choices, skema="Aftaleoprindelse", required=False)
    oprindelse_reference = serializers.CharField(max_length=300, required=False, allow_blank=True)
    proevehandling = _slugfelt(Proevehandling.objects.all(), "prøvehandling", required=False, allow_null=True)
    revisionsdato = _dato(required=False, allow_null=True)
    tekst = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                  help_text="Aftalens tekst som HTML; renses (kun en tilladt liste af tags).")
    aendringsnote = serializers.CharField(max_length=500, required=False, allow_blank=True,
                                          help_text="Hvad der er ændret i teksten.")


class AftaleOpretSerializer(_AftaleFelterSerializer):
    """Ny aftale: kun `titel` er påkrævet. `omfang` er `regional`, medmindre andet angives; en lokal
    aftale kræver `klynge`. `tekst` bliver første versions tekst."""


class AftaleRetSerializer(_AftaleFelterSerializer):
    """Ret en aftale i udkast. `revision` er det nummer, du læste; er aftalen gemt af en anden siden,
    afvises ændringen med 409. Sendes `tekst` (og evt. `aendringsnote`), og er teksten ændret,
    oprettes en ny version."""

    titel = serializers.CharField(max_length=250, required=False,
                                  error_messages={"blank": "Skriv en titel."})
    revision = serializers.IntegerField(
        min_value=0, required=True, help_text="Aftalens `revision`, som du læste den.",
        error_messages={"required": "Send aftalens `revision`, som du læste den.",
                        "invalid": "Revisionen skal være et heltal."},
    )


class AftaleRetSkema(OpenApiSerializerExtension):
    """PATCH parses AftaleRetSerializer in full (partial=False: `revision` is required, the rest is
    optional by declaration), but drf-spectacular documents every PATCH body as partial, with
    nothing required. Map it as the view parses it, so the schema says `revision` is required."""

    target_class = AftaleRetSerializer

    def map_serializer(self, auto_schema, direction) -> dict:
        return auto_schema._map_serializer(AftaleRetSerializer(), direction, bypass_extensions=True)


_GRUNDLAG_FEJL = "Angiv nummeret på den version, teksten bygger på (aftalens `version`, som du læste den)."


class VersionOpretSerializer(serializers.Serializer):
    """Ny version af teksten. `grundlag` er nummeret på den version, teksten bygger på (aftalens
    `version`, som du læste den); er der kommet en nyere imellemtiden, afvises den med 409, og intet
    gemmes. Hent så aftalen igen, og byg videre på den nyeste tekst."""

    tekst = serializers.CharField(trim_whitespace=False, help_text="HTML; renses.",
                                  error_messages={"required": "Skriv en tekst.", "blank": "Skriv en tekst."})
    aendringsnote = serializers.CharField(max_length=500, required=False, allow_blank=True)
    # Required: without it two clients writing at the same time both won, the second silently
    # overwriting the first (security review, issue 8).
    grundlag = serializers.IntegerField(
        min_value=1, required=True,
        help_text="Nummeret på den version, teksten bygger på. Er det ikke længere den aktuelle version, svares 409.",
        error_messages={"required": _GRUNDLAG_FEJL, "null": _GRUNDLAG_FEJL,
                        "invalid": "`grundlag` skal være et versionsnummer (et heltal).",
                        "min_value": "`grundlag` skal være et versionsnummer (1, 2, ...).",
                        "max_string_length": "`grundlag` skal være et versionsnummer (et heltal)."},
    )


class OvergangOpretSerializer(serializers.Serializer):
    """En handling i aftalens forløb. Felter ud over `handling` og `note` bruges af bestemte handlinger:
    `send_i_hoering`: `hoeringsfrist`; `indstil`: `forum` (standard: Sundhedssamarbejdsudvalget),
    `dato` (standard: i dag), `beslutningsfrist`; `offentliggoer`: `ikrafttraedelse`, `revisionsdato`.
    Andre felter ignoreres."""

    handling = ValgFelt(Handling.choices, skema="Handling", error_messages={
        "invalid_choice": "'{input}' er ikke en kendt handling.", "required": "Angiv en handling."})
    note = serializers.CharField(required=False, allow_blank=True)
    hoeringsfrist = _dato(required=False, allow_null=True)
    forum = _slugfelt(Forum.objects.all(), "forum", required=False, allow_null=True)
    dato = _dato(required=False, allow_null=True)
    beslutningsfrist = _dato(required=False, allow_null=True)
    ikrafttraedelse = _dato(required=False, allow_null=True)
    revisionsdato = _dato(required=False, allow_null=True)


class GodkendelseOpretSerializer(serializers.Serializer):
    """En myndigheds beslutning om den version, der afventer godkendelse."""

    part = _slugfelt(Part.objects.all(), "part", help_text="Myndighedens slug, fx `aarhus` eller `region-midtjylland`.")
    beslutning = ValgFelt(Beslutning.choices, skema="Beslutning")
    dato = _dato()
    sagsnummer = serializers.CharField(max_length=60, required=False, allow_blank=True)
    referat_url = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                        help_text="Link til referatet (http/https).")
    bemaerkning = serializers.CharField(required=False, allow_blank=True)


class ImplementeringOpdaterSerializer(serializers.Serializer):
    """Klyngens implementeringsstatus."""

    status = ValgFelt(ImplementeringStatus.choices, skema="Implementeringsstatus")
    note = serializers.CharField(required=False, allow_blank=True)


class BehandlingOpretSerializer(serializers.Serializer):
    """Et forums behandling af aftalen. Udvalgets anbefaling registreres med handlingen `indstil`."""

    forum = _slugfelt(Forum.objects.all(), "forum")
    dato = _dato()
    udfald = ValgFelt(Udfald.choices, skema="Behandlingsudfald")
    note = serializers.CharField(required=False, allow_blank=True)


class HoeringssvarOpretSerializer(serializers.Serializer):
    """Et høringssvar for en myndighed (`part`) eller en klynge (`klynge`), ikke begge. Et nyt svar
    fra samme afsender erstatter det forrige."""

    part = _slugfelt(Part.objects.all(), "part", required=False, allow_null=True)
    klynge = _slugfelt(Klynge.objects.all(), "klynge", required=False, allow_null=True)
    tekst = serializers.CharField(trim_whitespace=False, help_text="HTML; renses.",
                                  error_messages={"required": "Skriv et høringssvar.",
                                                  "blank": "Skriv et høringssvar."})

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("part")) == bool(attrs.get("klynge")):
            raise serializers.ValidationError({"part": ["Angiv enten en part eller en klynge som afsender."]})
        return attrs
