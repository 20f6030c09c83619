"""/api/v1/aftaler/<slug>/kommentarer/: comments on the drafts (DESIGN.md, "Contract added for meetings ...").

Comments belong to the drafting audience with the `kommentere` capability (aftaler.policies
.kan_se_kommentarer). For everyone else the endpoint does not exist: 404 for GET and POST alike, also for
those who may read the agreement itself (the public, once it is recommended; a council answering a
consultation; a cluster member reading its local agreement's draft), so nobody outside learns that an
agreement has comments. Anonymous writes are 401 before anything is looked up.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from aftaler import kommentarer, policies
from aftaler.api.serializers import BrugerFelt
from aftaler.api.views import _SLUG, _TAGS, AftaleAPIView, _400, _401, _403, _404
from aftaler.models import Kommentar, Samarbejdsaftale


class KommentarSerializer(serializers.ModelSerializer):
    """En kommentar til en version af aftalens tekst, eventuelt med et citat af det stykke, den handler om."""

    id = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(source="version.nummer", read_only=True,
                                       help_text="Nummeret på den version, kommentaren blev skrevet til.")
    forfatter = BrugerFelt()
    forfatter_navn = serializers.CharField(read_only=True, help_text="Forfatterens navn, som det var dengang.")
    forfatter_myndighed = serializers.CharField(read_only=True,
                                                help_text="Det forum (og den part), forfatteren skrev for.")
    behandlet = serializers.DateTimeField(read_only=True, allow_null=True,
                                          help_text="Hvornår sekretariatet markerede kommentaren som behandlet; "
                                                    "null, hvis den ikke er behandlet.")
    behandlet_af_navn = serializers.CharField(read_only=True)

    class Meta:
        model = Kommentar
        fields = ["id", "version", "tekst", "citat", "forfatter", "forfatter_navn", "forfatter_myndighed",
                  "oprettet", "behandlet", "behandlet_af_navn"]
        read_only_fields = fields


class KommentarOpretSerializer(serializers.Serializer):
    """En kommentar til aftalens aktuelle version. `citat` skal stå i versionens tekst (mellemrum og
    linjeskift tæller ikke)."""

    tekst = serializers.CharField(trim_whitespace=False, help_text=f"Kommentaren, højst {kommentarer.TEKST_MAKS} tegn.",
                                  error_messages={"required": "Skriv en kommentar.", "blank": "Skriv en kommentar."})
    citat = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False,
                                  help_text=f"Valgfrit: det stykke af teksten, kommentaren handler om, højst "
                                            f"{kommentarer.CITAT_MAKS} tegn.")


_HVEM = ("Kun for dem, der læser aftalens udkast og må kommentere (sekretariatet, Sundhedsstyregruppen, "
         "Sundhedssamarbejdsudvalget, formandskabet og den gruppe, der ejer aftalen). For alle andre findes "
         "endepunktet ikke (404), også når de kan læse selve aftalen. Kommentarer er aldrig offentlige.")


@extend_schema_view(
    get=extend_schema(
        summary="Kommentarer til aftalens udkast",
        description="Alle kommentarer til aftalens versioner, ældste først, med citat og om sekretariatet har "
        "behandlet dem. " + _HVEM,
        parameters=[_SLUG], tags=_TAGS,
        responses={200: KommentarSerializer(many=True), 404: _404},
    ),
    post=extend_schema(
        summary="Kommentér aftalens aktuelle version",
        description="Kommentaren knyttes til den aktuelle version. Kun et udkast eller en aftale i høring kan "
        "kommenteres; ellers 400 med en dansk besked. `citat` skal stå i versionens tekst. " + _HVEM,
        parameters=[_SLUG], tags=_TAGS, request=KommentarOpretSerializer,
        responses={201: KommentarSerializer, 400: _400, 401: _401, 403: _403, 404: _404},
    ),
)
class KommentarListeView(AftaleAPIView):
    serializer_class = KommentarSerializer

    def get_kommentar_aftale(self) -> Samarbejdsaftale:
        """The agreement, for a reader of its comments; 404 for everyone else."""
        aftale = self.get_aftale()
        if not policies.kan_se_kommentarer(self.request.user, aftale):
            raise exceptions.NotFound("Findes ikke.")
        return aftale

    def get(self, request: Request, slug: str) -> Response:
        aftale = self.get_kommentar_aftale()
        return Response(self.get_serializer(kommentarer.kommentarer_for(request.user, aftale), many=True).data)

    def post(self, request: Request, slug: str) -> Response:
        aftale = self.get_kommentar_aftale()
        data = self.parse(KommentarOpretSerializer)
        kommentar = kommentarer.kommentar_opret(bruger=request.user, aftale=aftale, **data)
        return Response(self.get_serializer(kommentar).data, status=status.HTTP_201_CREATED)
