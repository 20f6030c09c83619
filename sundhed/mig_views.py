"""The logged-in user's own things: notification preferences and subscriptions.

Page: /arbejde/notifikationer/ (preferences and the list of what one follows), POST
/arbejde/abonnementer/ (follow or stop following; the buttons on agreement, cluster and forum pages).
API: GET /api/v1/mig/, GET|PUT /api/v1/mig/notifikationer/, GET|POST|DELETE /api/v1/mig/abonnementer/.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sundhed import abonnementer, udbakke
from sundhed.api import FejlSerializer, valideringsfejl
from sundhed.exceptions import DomainError, IkkeTilladt
from sundhed.formularer import DkfdsForm, koer
from sundhed.models import Abonnement, Levering
from sundhed.services import navn_paa


class NotifikationsvalgForm(DkfdsForm):
    """One group of radio buttons per kind of event."""

    def __init__(self, *args, valg: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for slags, s in udbakke.SLAGS.items():
            self.fields[slags] = forms.ChoiceField(
                label=s.navn, choices=Levering.choices, initial=valg[slags],
                widget=forms.RadioSelect(attrs={"class": "form-radio"}),
                error_messages={"required": "Vælg straks, dagligt eller fra.",
                                "invalid_choice": "Vælg straks, dagligt eller fra."},
            )


@login_required
def notifikationer(request: HttpRequest) -> HttpResponse:
    valg = udbakke.alle_valg(request.user)
    form = NotifikationsvalgForm(request.POST or None, valg=valg)
    if request.method == "POST" and form.is_valid():
        svar = koer(request, form, lambda: abonnementer.notifikationsvalg_gem(bruger=request.user,
                                                                              valg=form.cleaned_data),
                    besked="Dine valg er gemt.", videre="arbejde:notifikationer")
        if svar is not None:
            return svar
    return render(request, "arbejde/notifikationer.html", {
        "form": form,
        "abonnementer": list(Abonnement.objects.filter(bruger=request.user)),
        "sammendrag_time": udbakke.sammendrag_time(),
    })


@require_POST
@login_required
def abonnement(request: HttpRequest) -> HttpResponse:
    """Follow (`handling=foelg`) or stop following (`handling=stop`) an object; back to the page asked
    for (`videre`, a local address), else to the preferences. Works without JavaScript."""
    objekt_type, slug = request.POST.get("type", ""), request.POST.get("slug", "")
    try:
        if request.POST.get("handling") == "stop":
            abonnementer.abonnement_slet(bruger=request.user, objekt_type=objekt_type, slug=slug)
            messages.success(request, "Du følger den ikke længere.")
        else:
            abonnementer.abonnement_opret(bruger=request.user, objekt_type=objekt_type, slug=slug)
            messages.success(request, "Du følger den nu og får besked om ændringer.")
    except IkkeTilladt as fejl:
        raise Http404 from fejl
    except DomainError as fejl:
        messages.error(request, fejl.message)
    videre = request.POST.get("videre", "")
    if not url_has_allowed_host_and_scheme(videre, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return redirect("arbejde:notifikationer")
    return redirect(videre)


# --- API ---------------------------------------------------------------------------------------------


_401 = OpenApiResponse(FejlSerializer, description="Du skal logge ind (Authorization: Token <nøgle>).")
_404 = OpenApiResponse(FejlSerializer, description="Aftalen, klyngen eller forummet findes ikke (eller du har ikke "
                       "adgang til at se den).")
_404_SLET = OpenApiResponse(FejlSerializer, description="Du følger den ikke (eller den findes ikke).")


class MigAPIView(APIView):
    permission_classes = [IsAuthenticated]

    def handle_exception(self, exc):
        if isinstance(exc, IkkeTilladt):
            exc = exceptions.NotFound(exc.message)
        elif isinstance(exc, DomainError):
            exc = exceptions.ValidationError({exc.field or "detail": [exc.message]})
        return super().handle_exception(exc)


class MigView(MigAPIView):
    @extend_schema(summary="Den indloggede bruger", responses={200: inline_serializer("Mig", {
        "brugernavn": serializers.CharField(), "navn": serializers.CharField(), "email": serializers.CharField(),
        "myndighed": serializers.CharField(allow_null=True)}), 401: _401})
    def get(self, request):
        bruger = request.user
        try:
            person = bruger.person  # organisation.Person, read by name (the core imports no feature app)
        except ObjectDoesNotExist:
            person = None
        part = getattr(person, "part", None) if person is not None else None
        return Response({"brugernavn": bruger.get_username(), "navn": navn_paa(bruger),
                         "email": (person.email if person is not None and person.email else bruger.email),
                         "myndighed": part.navn if part is not None else None})


VALG_SKEMA = inline_serializer("Notifikationsvalg", {
    slags: serializers.ChoiceField(choices=Levering.choices, required=False, help_text=s.navn)
    for slags, s in udbakke.SLAGS.items()
})


class NotifikationsvalgView(MigAPIView):
    @extend_schema(summary="Mine notifikationsvalg",
                   description="Pr. slags hændelse: `straks`, `dagligt` eller `fra`.",
                   responses={200: VALG_SKEMA, 401: _401})
    def get(self, request):
        return Response(udbakke.alle_valg(request.user))

    @extend_schema(summary="Gem notifikationsvalg",
                   description="Send de slags, du vil ændre; de øvrige beholder deres valg. En ukendt slags eller "
                   "et ukendt valg afvises med 400, og intet gemmes.", request=VALG_SKEMA, responses={
                       200: VALG_SKEMA, 400: valideringsfejl("En ukendt slags eller et ukendt valg (nøglen er "
                                                             "slagsen); intet er gemt."), 401: _401})
    def put(self, request):
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"detail": ["Send et objekt: slags -> straks, dagligt eller fra."]})
        return Response(abonnementer.notifikationsvalg_gem(bruger=request.user, valg=dict(request.data)))


class AbonnementSerializer(serializers.Serializer):
    aftale = serializers.CharField(required=False, help_text="En samarbejdsaftales slug")
    klynge = serializers.CharField(required=False, help_text="En klynges slug")
    forum = serializers.CharField(required=False, help_text="Et forums slug")

    def validate(self, data):
        valgt = [(k, v) for k, v in data.items() if v]
        if len(valgt) != 1:
            raise serializers.ValidationError("Angiv præcis én af aftale, klynge eller forum.")
        return data


class AbonnementSvarSerializer(AbonnementSerializer):
    """Et abonnement: præcis én af `aftale`, `klynge` og `forum` (slug) og hvornår det blev oprettet."""

    oprettet = serializers.DateTimeField()


def _som_data(a: Abonnement) -> dict:
    return {a.objekt_type: a.slug, "oprettet": a.oprettet}


_ABONNEMENT_400 = valideringsfejl("Angiv præcis én af `aftale`, `klynge` og `forum`.")


class AbonnementerView(MigAPIView):
    @extend_schema(summary="Det, jeg følger", responses={200: AbonnementSvarSerializer(many=True), 401: _401})
    def get(self, request):
        return Response([_som_data(a) for a in Abonnement.objects.filter(bruger=request.user)])

    def _valgt(self, request) -> tuple[str, str]:
        data = request.data if request.data else request.query_params
        s = AbonnementSerializer(data=data)
        s.is_valid(raise_exception=True)
        return next((k, v) for k, v in s.validated_data.items() if v)

    @extend_schema(summary="Følg en aftale, en klynge eller et forum", request=AbonnementSerializer,
                   responses={201: AbonnementSvarSerializer, 400: _ABONNEMENT_400, 401: _401, 404: _404})
    def post(self, request):
        objekt_type, slug = self._valgt(request)
        a = abonnementer.abonnement_opret(bruger=request.user, objekt_type=objekt_type, slug=slug)
        return Response(_som_data(a), status=status.HTTP_201_CREATED)

    # A DELETE's body is not part of OpenAPI 3.0 (the schema leaves it out), so the query is documented; the
    # body works too (_valgt).
    @extend_schema(summary="Følg ikke længere",
                   description="Angiv præcis én af `?aftale=<slug>`, `?klynge=<slug>` og `?forum=<slug>` (eller de "
                   "samme felter i indholdet).",
                   parameters=[OpenApiParameter(navn, str, description=f"{hvad} slug.") for navn, hvad in (
                       ("aftale", "En samarbejdsaftales"), ("klynge", "En klynges"), ("forum", "Et forums"))],
                   request=AbonnementSerializer, responses={204: None, 400: _ABONNEMENT_400, 401: _401, 404: _404_SLET})
    def delete(self, request):
        objekt_type, slug = self._valgt(request)
        if not abonnementer.abonnement_slet(bruger=request.user, objekt_type=objekt_type, slug=slug):
            raise exceptions.NotFound("Du følger den ikke.")
        return Response(status=status.HTTP_204_NO_CONTENT)
