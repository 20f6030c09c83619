"""Meetings: the public pages (/moeder/, /moeder/<id>/, a forum's meetings), and the staff pages under
/arbejde/moeder/ where the secretariat and each forum's secretary plan meetings, write agendas and
minutes, reorder items (buttons, no JavaScript needed) and run the transitions.

Every write goes through organisation.moeder_services; a user who may not plan the meeting gets 404 on
the staff pages (sundhed.formularer.koer turns the service's refusal into one).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from organisation import ical, policies
from organisation import moeder_selectors as selectors
from organisation import moeder_services as services
from organisation.models import Dagsordenpunkt, Forum, Klynge, Moede, Punktbilag
from organisation.moedeforloeb import OVERGANGE, mulige_handlinger
from sundhed.exceptions import DomainError, IkkeTilladt
from sundhed.formularer import DkfdsForm, koer

_TID = {"type": "datetime-local"}
_TID_FORMAT = "%Y-%m-%dT%H:%M"
# The agreements' editor (static/js/editor.js); without JavaScript the field is a plain textarea.
_RIG_TEKST = ("Værktøjslinjen formaterer teksten. Uden JavaScript skriver du almindelig tekst (en tom linje giver "
              "et nyt afsnit) eller HTML. Tilladt er overskrifter, afsnit, lister, fed, kursiv, understregning, "
              "citater, tabeller og links (http, https, mailto); alt andet fjernes, når du gemmer.")


# --- forms ----------------------------------------------------------------------------------------------


class MoedeForm(DkfdsForm):
    titel = forms.CharField(label="Titel", max_length=200, required=False,
                            help_text="Fx «Ordinært møde». Uden titel hedder mødet «Møde i <forum>».")
    start = forms.DateTimeField(label="Begynder", input_formats=[_TID_FORMAT, "%Y-%m-%d %H:%M"],
                                widget=forms.DateTimeInput(attrs=_TID, format=_TID_FORMAT),
                                help_text="Dansk tid.")
    slut = forms.DateTimeField(label="Slutter", input_formats=[_TID_FORMAT, "%Y-%m-%d %H:%M"],
                               widget=forms.DateTimeInput(attrs=_TID, format=_TID_FORMAT), help_text="Dansk tid.")
    sted = forms.CharField(label="Sted", max_length=200, required=False)

    def __init__(self, *args, fora=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fora is not None:
            self.fields = {"forum": forms.ModelChoiceField(label="Forum", queryset=fora,
                                                           empty_label="Vælg forum"), **self.fields}
            self.fields["forum"].widget.attrs["class"] = "form-select"


class PunktForm(DkfdsForm):
    titel = forms.CharField(label="Titel", max_length=300)
    aaben = forms.BooleanField(label="Åbent punkt", required=False, initial=True,
                               help_text="Et lukket punkt vises for offentligheden kun med nummer og «Lukket punkt».")
    sagsnummer = forms.CharField(label="Sagsnummer", max_length=50, required=False)
    sagsfremstilling = forms.CharField(label="Sagsfremstilling", required=False, help_text=_RIG_TEKST,
                                       widget=forms.Textarea(attrs={"rows": 8, "data-editor": "squire"}))
    indstilling = forms.CharField(label="Indstilling", required=False, help_text=_RIG_TEKST,
                                  widget=forms.Textarea(attrs={"rows": 4, "data-editor": "squire"}))
    beslutning = forms.CharField(label="Beslutning", required=False,
                                 widget=forms.Textarea(attrs={"rows": 4, "data-editor": "squire"}),
                                 help_text="Referatets del: vises offentligt, når referatet er offentliggjort. "
                                           + _RIG_TEKST)
    fravaerende = forms.CharField(label="Fraværende", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    bilag = forms.CharField(label="Bilagsbetegnelser", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="Én pr. linje, for bilag, der ikke lægges op som filer.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aaben"].widget.attrs["class"] = "form-checkbox"


class BilagForm(DkfdsForm):
    prefix = "bilag"
    fil = forms.FileField(label="Fil", help_text="PDF, Word (DOCX) eller Excel (XLSX), højst 20 MB.")
    navn = forms.CharField(label="Navn", max_length=250, required=False,
                           help_text="Uden navn bruges filens navn.")


class KalenderForm(DkfdsForm):
    handling = forms.ChoiceField(label="Handling", choices=[("opret", "Opret"), ("forny", "Forny"), ("slet", "Slet")],
                                 error_messages={"required": "Vælg at oprette, forny eller slette adressen.",
                                                 "invalid_choice": "Vælg at oprette, forny eller slette adressen."})


def _punktdata(punkt: Dagsordenpunkt) -> dict:
    return {navn: getattr(punkt, navn) for navn in services.PUNKTFELTER}


# --- public pages ---------------------------------------------------------------------------------------


def _filter(request: HttpRequest) -> tuple[dict, dict]:
    """?forum=<slug>&klynge=<slug>: unknown slugs filter nothing away (and say so in the form)."""
    filtre, valgt = {}, {"forum": request.GET.get("forum", ""), "klynge": request.GET.get("klynge", "")}
    if valgt["forum"]:
        filtre["forum"] = Forum.objects.filter(slug=valgt["forum"]).first()
    if valgt["klynge"]:
        filtre["klynge"] = Klynge.objects.filter(slug=valgt["klynge"]).first()
    return {k: v for k, v in filtre.items() if v is not None}, valgt


@require_safe
def moede_liste(request: HttpRequest) -> HttpResponse:
    """Coming meetings of every forum (agenda published or cancelled), then the latest held."""
    filtre, valgt = _filter(request)
    fora, klynger = selectors.filtervalg()
    return render(request, "organisation/moeder/liste.html", {
        "kommende": list(selectors.kommende(request.user, **filtre)),
        "afholdte": selectors.afholdte(request.user, **filtre),
        "fora": fora, "klynger": klynger, "valgt": valgt, "filtreret": bool(filtre),
    })


@require_safe
def moede_detalje(request: HttpRequest, pk: int) -> HttpResponse:
    moede, planlaegger = selectors.moede_til_visning(request.user, pk)
    return render(request, "organisation/moeder/detalje.html", {"moede": moede, "planlaegger": planlaegger})


@require_safe
def forum_moeder(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_object_or_404(Forum, slug=slug)
    return render(request, "organisation/moeder/forum.html", {
        "forum": forum, "moeder": list(selectors.forummets(request.user, forum)),
        "planlaegger": policies.kan_planlaegge_moeder(request.user, forum),
    })


@require_safe
def moede_bilag(request: HttpRequest, pk: int, bilag: int) -> FileResponse:
    obj = selectors.bilag_for_laeser(request.user, pk, bilag)
    return FileResponse(obj.fil.open("rb"), as_attachment=True, filename=obj.filnavn,
                        content_type=obj.indholdstype)


# --- staff pages ------------------------------------------------------------------------------------------


def _planlaegbart(request: HttpRequest, pk: int) -> Moede:
    """The meeting, for one who may plan it; 404 for everyone else."""
    moede = get_object_or_404(Moede.objects.select_related("forum", "forum__klynge"), pk=pk)
    if not policies.kan_planlaegge_moeder(request.user, moede.forum):
        raise Http404
    return moede


def _punkt(moede: Moede, punkt_pk: int) -> Dagsordenpunkt:
    punkt = get_object_or_404(Dagsordenpunkt, pk=punkt_pk, moede=moede)
    punkt.moede = moede
    return punkt


@login_required
@require_safe
def arbejde_liste(request: HttpRequest) -> HttpResponse:
    fora = policies.planlaegbare_fora(request.user)
    if not fora.exists():
        raise Http404
    kommende, afholdte = selectors.planlaegbare(request.user)
    return render(request, "organisation/moeder/arbejde_liste.html", {"kommende": kommende, "afholdte": afholdte})


@login_required
def arbejde_ny(request: HttpRequest) -> HttpResponse:
    fora = policies.planlaegbare_fora(request.user).aktive().order_by("sortering", "navn")
    if not fora.exists():
        raise Http404
    form = MoedeForm(request.POST or None, fora=fora, initial={"forum": request.GET.get("forum")})
    if request.method == "POST" and form.is_valid():
        svar = koer(request, form, lambda: services.moede_opret(bruger=request.user, **form.cleaned_data),
                    besked="Mødet er planlagt. Skriv dagsordenens punkter.",
                    videre=lambda m: reverse("arbejde:moede", args=[m.pk]))
        if svar:
            return svar
    return render(request, "organisation/moeder/arbejde_moedeform.html", {"form": form, "moede": None},
                  status=400 if form.errors else 200)


@login_required
@require_safe
def arbejde_moede(request: HttpRequest, pk: int) -> HttpResponse:
    moede = _planlaegbart(request, pk)
    punkter = list(moede.punkter.order_by("nummer"))
    return render(request, "organisation/moeder/arbejde_moede.html", {
        "moede": moede, "punkter": punkter, "handlinger": mulige_handlinger(moede.status),
    })


@login_required
def arbejde_rediger(request: HttpRequest, pk: int) -> HttpResponse:
    moede = _planlaegbart(request, pk)
    initial = {"titel": moede.titel, "sted": moede.sted, "start": moede.start, "slut": moede.slut}
    form = MoedeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        svar = koer(request, form, lambda: services.moede_rediger(moede=moede, bruger=request.user,
                                                                  **form.cleaned_data),
                    besked="Mødet er gemt.", videre=reverse("arbejde:moede", args=[moede.pk]))
        if svar:
            return svar
    return render(request, "organisation/moeder/arbejde_moedeform.html", {"form": form, "moede": moede},
                  status=400 if form.errors else 200)


@login_required
def arbejde_punkt_ny(request: HttpRequest, pk: int) -> HttpResponse:
    moede = _planlaegbart(request, pk)
    form = PunktForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        svar = koer(request, form, lambda: services.punkt_opret(moede=moede, bruger=request.user,
                                                                **form.cleaned_data),
                    besked=lambda p: f"Punkt {p.nummer} er tilføjet.",
                    videre=reverse("arbejde:moede", args=[moede.pk]))
        if svar:
            return svar
    return render(request, "organisation/moeder/arbejde_punkt.html",
                  {"moede": moede, "punkt": None, "form": form}, status=400 if form.errors else 200)


@login_required
def arbejde_punkt(request: HttpRequest, pk: int, punkt: int) -> HttpResponse:
    """Edit an item (POST without `handling`) or attach a file to it (`handling=bilag`)."""
    moede = _planlaegbart(request, pk)
    obj = _punkt(moede, punkt)
    er_bilag = request.method == "POST" and request.POST.get("handling") == "bilag"
    form = PunktForm(request.POST if request.method == "POST" and not er_bilag else None, initial=_punktdata(obj))
    bilagform = BilagForm(request.POST if er_bilag else None, request.FILES if er_bilag else None)
    if er_bilag and bilagform.is_valid():
        svar = koer(request, bilagform, lambda: services.punktbilag_tilfoej(
            punkt=obj, bruger=request.user, fil=bilagform.cleaned_data["fil"], navn=bilagform.cleaned_data["navn"]),
            besked=lambda b: f"Bilaget «{b.navn}» er lagt op.",
            videre=reverse("arbejde:punkt", args=[moede.pk, obj.pk]))
        if svar:
            return svar
    elif request.method == "POST" and not er_bilag and form.is_valid():
        svar = koer(request, form, lambda: services.punkt_rediger(punkt=obj, bruger=request.user,
                                                                  **form.cleaned_data),
                    besked=f"Punkt {obj.nummer} er gemt.", videre=reverse("arbejde:moede", args=[moede.pk]))
        if svar:
            return svar
    fejl = form.errors or bilagform.errors
    return render(request, "organisation/moeder/arbejde_punkt.html", {
        "moede": moede, "punkt": obj, "form": form, "bilagform": bilagform,
        "bilagsfiler": list(obj.bilagsfiler.order_by("uploadet", "pk")),
    }, status=400 if fejl else 200)


def _post_handling(request: HttpRequest, moede: Moede, service, besked: str, videre: str) -> HttpResponse:
    """Run a button's service: success or the service's message, then back (post/redirect/get)."""
    try:
        service()
    except IkkeTilladt as fejl:
        raise Http404 from fejl
    except DomainError as fejl:
        messages.error(request, fejl.message)
    else:
        messages.success(request, besked)
    return redirect(videre)


@login_required
@require_POST
def arbejde_punkt_flyt(request: HttpRequest, pk: int, punkt: int) -> HttpResponse:
    moede = _planlaegbart(request, pk)
    obj = _punkt(moede, punkt)
    retning = request.POST.get("retning", "")
    return _post_handling(
        request, moede, lambda: services.punkt_flyt(punkt=obj, bruger=request.user, retning=retning),
        f"Punktet «{obj.titel}» er flyttet {'op' if retning == 'op' else 'ned'}.",
        reverse("arbejde:moede", args=[moede.pk]) + f"#punkt-{obj.pk}")


@login_required
@require_POST
def arbejde_punkt_slet(request: HttpRequest, pk: int, punkt: int) -> HttpResponse:
    moede = _planlaegbart(request, pk)
    obj = _punkt(moede, punkt)
    return _post_handling(request, moede, lambda: services.punkt_slet(punkt=obj, bruger=request.user),
                          f"Punktet «{obj.titel}» er slettet.", reverse("arbejde:moede", args=[moede.pk]))


@login_required
@require_POST
def arbejde_bilag_slet(request: HttpRequest, pk: int, punkt: int, bilag: int) -> HttpResponse:
    moede = _planlaegbart(request, pk)
    obj = get_object_or_404(Punktbilag, pk=bilag, punkt=_punkt(moede, punkt))
    return _post_handling(request, moede, lambda: services.punktbilag_slet(bilag=obj, bruger=request.user),
                          f"Bilaget «{obj.navn}» er fjernet.", reverse("arbejde:punkt", args=[moede.pk, punkt]))


@login_required
@require_POST
def arbejde_handling(request: HttpRequest, pk: int) -> HttpResponse:
    moede = _planlaegbart(request, pk)
    handling = request.POST.get("handling", "")
    regel = OVERGANGE.get(handling)
    besked = regel.besked if regel is not None else ""
    return _post_handling(
        request, moede, lambda: services.moede_overgang(moede=moede, bruger=request.user, handling=handling),
        besked, reverse("arbejde:moede", args=[moede.pk]))


# --- the personal calendar ------------------------------------------------------------------------------

_NY_NOEGLE = "organisation_kalender_ny_noegle"


@login_required
def kalender(request: HttpRequest) -> HttpResponse:
    """The user's calendar address: make, renew or revoke it. Only the token's hash is stored, so the
    address is shown once, right after it is made or renewed (kept in the session for that one page)."""
    if not policies.kan_have_kalender(request.user):
        raise Http404
    form = KalenderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        handling = form.cleaned_data["handling"]
        if handling == "slet":
            svar = koer(request, form, lambda: services.kalenderadgang_slet(bruger=request.user),
                        besked="Kalenderadressen er slettet. Kalendere, der abonnerer på den, får ikke flere møder.",
                        videre=reverse("arbejde:kalender"))
        else:
            def opret() -> str:
                noegle = services.kalenderadgang_opret(bruger=request.user)
                request.session[_NY_NOEGLE] = noegle
                return noegle

            svar = koer(request, form, opret,
                        besked="Din nye kalenderadresse er klar. Den gamle virker ikke længere."
                        if handling == "forny" else "Din kalenderadresse er klar.",
                        videre=reverse("arbejde:kalender") + "#adresse")
        if svar:
            return svar
    noegle = request.session.pop(_NY_NOEGLE, None)
    adresse = ical.personlig_adresse(request, noegle) if noegle else ""
    return render(request, "organisation/moeder/kalender.html", {
        "form": form, "adgang": selectors.kalenderadgang(request.user), "adresse": adresse,
        "webcal": "webcal://" + adresse.split("://", 1)[1] if adresse else "",
        "fora": selectors.kalender_fora(request.user),
    }, status=400 if form.errors else 200)
