"""/api/v1/moeder/<id>/punkter/ with the contract's `aftale` and `udfald` (DESIGN.md, "Contract added for
meetings"). organisation never imports aftaler, so this layer, which knows both, serves the route: it
extends organisation's item view and serializer with the agreement an item concerns and its outcome.

The public never sees `aftale` or `udfald` of a closed item, nor the slug of an agreement it may not read.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from aftaler import moeder_selectors, policies, services
from aftaler.choices import Udfald
from organisation import moeder_selectors as organisation_moeder_selectors
from organisation import policies as organisation_policies
from organisation.api import moeder
from organisation.models import Moede
from organisation.moeder_services import punkt_opret
from sundhed.exceptions import DomainError


class SagPunktSerializer(moeder.PunktSerializer):
    """Et dagsordenpunkt. Handler det om en aftale, du må se, har det `aftale` (slug) og, når behandlingen er
    registreret, `udfald`; ellers er felterne udeladt (som i mødets `punkter`). Et lukket punkt viser
    offentligheden aldrig `aftale` eller `udfald`."""

    aftale = serializers.CharField(required=False, help_text="Slug for den aftale, punktet handler om.")
    udfald = serializers.ChoiceField(choices=Udfald.choices, required=False,
                                     help_text="Udfaldet af aftalens behandling på punktet.")

    def to_representation(self, punkt) -> dict:
        data = super().to_representation(punkt)
        # Only an item the reader sees whole: a closed item is "Lukket punkt" to the public, nothing more.
        aftale = None if getattr(punkt, "lukket_for_laeser", True) else getattr(punkt, "sag_aftale", None)
        if aftale is not None:
            data["aftale"] = aftale.slug
            if punkt.sag_udfald:
                data["udfald"] = punkt.sag_udfald
        return data


class SagPunktOpretSerializer(moeder.PunktOpretSerializer):
    aftale = serializers.SlugField(required=False, allow_null=True, default=None,
                                   help_text="Slug for den aftale, punktet handler om.")
    udfald = serializers.ChoiceField(choices=Udfald.choices, required=False, allow_blank=True, default="",
                                     error_messages={"invalid_choice": "Vælg drøftet, tiltrådt, anbefalet eller "
                                                                       "sendt retur."})
    beslutningsfrist = serializers.DateField(required=False, allow_null=True, default=None,
                                             help_text="Fristen for rådenes beslutninger, når det indstillende "
                                                       "forum anbefaler aftalen (påkrævet da).")


class SagPunktListeView(moeder.PunktListeView):
    serializer_class = SagPunktSerializer

    @extend_schema(summary="Dagsordenens punkter", description="Punkterne i rækkefølge, som du må se dem: et lukket "
                   "punkt viser offentligheden kun nummer og «Lukket punkt». `aftale` er den aftale, punktet handler "
                   "om, `udfald` udfaldet af dens behandling (begge null, hvis ingen).",
                   parameters=[moeder._ID], responses={200: SagPunktSerializer(many=True), 404: moeder._404},
                   tags=moeder._TAGS)
    def get(self, request: Request, pk: int) -> Response:
        moede, _ = organisation_moeder_selectors.moede_til_visning(request.user, pk)
        punkter = moeder_selectors.punkter_med_sager(request.user, moede.vist_punkter)
        return Response(SagPunktSerializer(punkter, many=True).data)

    @extend_schema(summary="Tilføj et punkt", description="Punktet kommer sidst på dagsordenen. `titel` er påkrævet; "
                   "`aaben` false gør det til et lukket punkt. `aftale` (slug) knytter punktet til en aftale; "
                   "`udfald` registrerer aftalens behandling på mødet (kræver `aftale`). Anbefaler det indstillende "
                   "forum aftalen, er det indstillingen, og `beslutningsfrist` er påkrævet. Alt eller intet gemmes.",
                   parameters=[moeder._ID], request=SagPunktOpretSerializer,
                   responses={201: SagPunktSerializer, 400: moeder._400, 401: moeder._401, 403: moeder._403,
                              404: moeder._404}, tags=moeder._TAGS)
    def post(self, request: Request, pk: int) -> Response:
        moede = organisation_policies.moede_eller_404(request.user, Moede.objects.select_related("forum"), pk=pk)
        data = self.parse(SagPunktOpretSerializer)
        slug, udfald, frist = data.pop("aftale"), data.pop("udfald"), data.pop("beslutningsfrist")
        with transaction.atomic():  # the item and its agreement's Behandling, or neither
            punkt = punkt_opret(moede=moede, bruger=request.user, **data)  # refuses non-planners first
            aftale = policies.synlige_aftaler(request.user).filter(slug=slug).first() if slug else None
            if slug and aftale is None:
                raise DomainError(f"Aftalen «{slug}» findes ikke.", field="aftale")
            if udfald and aftale is None:
                raise DomainError("Vælg den aftale, punktet handler om, før udfaldet registreres.", field="aftale")
            if aftale is not None:
                services.punkt_udfald_registrer(punkt=punkt, aftale=aftale, udfald=udfald, bruger=request.user,
                                                beslutningsfrist=frist)
        punkt.lukket_for_laeser = False
        punkt.vist_bilag = []
        moeder_selectors.punkter_med_sager(request.user, [punkt])
        return Response(SagPunktSerializer(punkt).data, status=status.HTTP_201_CREATED)
