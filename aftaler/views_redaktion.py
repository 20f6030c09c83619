"""Staff pages for drafting agreements and running their lifecycle, under /arbejde/aftaler/.

Reads narrow through sundhed.permissions (an agreement the user may not read is 404, and so is
an action page for an action the user may not run); every write is one call of a service in
aftaler.services, whose Danish DomainError is shown next to its field with the input kept.
After a successful POST the page redirects (PRG) and says what happened with a message.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Count, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from aftaler import forloeb, policies, selectors, services, synlighed
from aftaler.choices import Status
from aftaler.diff import sammenlign
from aftaler.forms import (
    AftaleOpretForm,
    AftaleRedigerForm,
    BehandlingForm,
    BilagForm,
    OvergangForm,
    ParterForm,
    SammenlignForm,
    tekst_som_html,
)
from aftaler.models import Samarbejdsaftale
from aftaler.sanitize import rens_html
from aftaler.workflow import AUTOMATISK_GODKENDT, OVERGANGE, Handling, mulige_handlinger
from organisation.choices import PartType
from sundhed import formularer
from sundhed.exceptions import DomainError

SIDESTOERRELSE = 50

STATUSORDEN = {s: i for i, s in enumerate(Status.values)}

HANDLING_NAVNE = {**{h.value: h.label for h in Handling}, AUTOMATISK_GODKENDT: "Godkendt af alle parter"}


# --- helpers ----------------------------------------------------------------------------------


def _aftale(request: HttpRequest, slug: str) -> Samarbejdsaftale:
    """The agreement, if the user may read it, as they read it (policies.som_laest_af: a revision's
    draft text and title only for its draft readers); 404 otherwise (as if it did not exist)."""
    aftale = policies.aftale_eller_404(request.user, selectors.aftaler_med_detaljer(), slug=slug)
    return policies.som_laest_af(request.user, aftale)


def _er_htmx(request: HttpRequest) -> bool:
    """A partial swap by htmx; its history restore asks for the whole page (and gets it)."""
    return request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers


def _side_eller_del(request: HttpRequest, side: str, del_: str, kontekst: dict) -> HttpResponse:
    """The same view answers htmx with the partial and everyone else with the full page."""
    svar = render(request, del_ if _er_htmx(request) else side, kontekst)
    patch_vary_headers(svar, ["HX-Request"])
    return svar



def _overskredet(i_dag: datetime.date):
    """True when the deadline of the current step has passed: consultation answers or decisions."""
    return Case(
        When(status=Status.HOERING, hoeringsfrist__lt=i_dag, then=Value(True)),
        When(status=Status.INDSTILLET, beslutningsfrist__lt=i_dag, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _er_overskredet(aftale: Samarbejdsaftale, i_dag: datetime.date) -> bool:
    """The same rule as _overskredet, for one agreement already loaded."""
    if aftale.status == Status.HOERING and aftale.hoeringsfrist:
        return aftale.hoeringsfrist < i_dag
    if aftale.status == Status.INDSTILLET and aftale.beslutningsfrist:
        return aftale.beslutningsfrist < i_dag
    return False


def _forloeb(aftale: Samarbejdsaftale, overgange: list) -> list[dict]:
    """The step indicator as the staff see it: the real state, and a consultation skipped marked so."""
    return forloeb.trin(aftale.status, ikrafttraedelse=aftale.ikrafttraedelse, i_dag=timezone.localdate(),
                        var_i_hoering=any(o.til_status == Status.HOERING for o in overgange))


# --- list and create --------------------------------------------------------------------------


@login_required
def aftale_liste(request: HttpRequest) -> HttpResponse:
    """The agreements the user may read, grouped by state, filterable by state and overdue deadlines."""
    bruger = request.user
    i_dag = timezone.localdate()
    synlige = policies.synlige_aftaler(bruger, selectors.aftaler_med_detaljer())
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    kun_overskredne = request.GET.get("overskredet") == "1"

    antal = dict(synlige.order_by().values_list("status").annotate(n=Count("pk")))
    statusvalg = [(s.value, s.label, antal.get(s.value, 0)) for s in Status]

    aftaler = synlige.annotate(
        overskredet=_overskredet(i_dag),
        # Whose drafts the user reads: the others see the version number of the public text.
        ser_udkast=Case(When(policies.udkastlaeser_q(bruger), then=Value(True)), default=Value(False),
                        output_field=BooleanField()),
        statusorden=Case(*[When(status=s, then=Value(i)) for s, i in STATUSORDEN.items()],
                         output_field=IntegerField()),
    )
    if status:
        aftaler = aftaler.filter(status=status)
    if kun_overskredne:
        aftaler = aftaler.filter(overskredet=True)
    side = Paginator(aftaler.order_by("statusorden", "titel", "pk"), SIDESTOERRELSE).get_page(request.GET.get("side"))

    filtre = request.GET.copy()
    filtre.pop("side", None)
    kontekst = {
        "side": side,
        "aftaler": list(side.object_list),
        "statusvalg": statusvalg,
        "valgt_status": status,
        "kun_overskredne": kun_overskredne,
        "i_alt": sum(antal.values()),
        "filtre": filtre.urlencode(),
        "kan_oprette": policies.kan_oprette_aftale(bruger),
    }
    return _side_eller_del(request, "aftaler/arbejde/aftale_liste.html", "aftaler/arbejde/_aftale_resultater.html",
                           kontekst)


@login_required
@require_http_methods(["GET", "POST"])
def aftale_ny(request: HttpRequest) -> HttpResponse:
    bruger = request.user
    if not policies.kan_oprette_aftale(bruger):
        raise Http404
    form = AftaleOpretForm(request.POST if request.method == "POST" else None, bruger=bruger)
    if request.method == "POST" and form.is_valid():
        svar = formularer.koer(
            request, form, lambda: services.aftale_opret(bruger=bruger, tekst=form.cleaned_data["tekst"],
                                                        **form.detaljer()),
            besked=lambda aftale: f"Aftalen »{aftale.titel}« er oprettet som udkast (version 1).",
            videre=lambda aftale: reverse("arbejde:aftale", kwargs={"slug": aftale.slug}))
        if svar:
            return svar
    return render(request, "aftaler/arbejde/aftale_ny.html", {"form": form})


# --- overview ---------------------------------------------------------------------------------


@login_required
def aftale(request: HttpRequest, slug: str) -> HttpResponse:
    """The agreement for those who work on it: state, text, deadlines, what may be done now, history."""
    aftale = _aftale(request, slug)
    bruger = request.user
    overgange = list(policies.synlige_registreringer(bruger, aftale,
                                                        aftale.overgange.select_related("bruger", "version")))
    for overgang in overgange:
        overgang.handling_navn = HANDLING_NAVNE.get(overgang.handling, overgang.handling)
    kontekst = {
        "aftale": aftale,
        "forloeb": _forloeb(aftale, overgange),
        "statustekst": synlighed.statustekst(aftale, aftale.status),
        "handlinger": [r for r in mulige_handlinger(aftale.status)
                       if policies.kan_udfoere(bruger, aftale, r.handling)],
        "kan_redigere": policies.kan_redigere_aftale(bruger, aftale),
        "kan_registrere_behandling": policies.kan_registrere_behandling(bruger, aftale),
        "kan_saette_parter": policies.kan_saette_ekstra_parter(bruger, aftale),
        "behandlinger": list(policies.synlige_registreringer(
            bruger, aftale,
            aftale.behandlinger.select_related("forum", "version", "registreret_af", "dagsordenpunkt"))),
        "overgange": overgange,
        "bilag": list(policies.synlige_bilag(bruger, aftale, aftale.bilag.all())),
        "ser_udkast": policies.kan_se_udkast(bruger, aftale),
        "ekstra_parter": list(aftale.ekstra_parter.all()),
        "overskredet": _er_overskredet(aftale, timezone.localdate()),
        # When the last consultation ended: its deadline is then history, not a deadline.
        "hoering_sluttet": next((o.tidspunkt for o in reversed(overgange) if o.fra_status == Status.HOERING),
                                 None) if aftale.status != Status.HOERING else None,
        # A published agreement being revised: the published version applies until the new one does.
        "under_revision": bool(aftale.offentliggjort_version_id)
        and aftale.status not in (Status.I_KRAFT, Status.OPHAEVET),
    }
    return render(request, "aftaler/arbejde/aftale.html", kontekst)


# --- the editor -------------------------------------------------------------------------------


def _aftale_til_redigering(request: HttpRequest, slug: str) -> Samarbejdsaftale:
    aftale = _aftale(request, slug)
    if not policies.kan_redigere_aftale(request.user, aftale):
        raise Http404
    return aftale


@login_required
@require_http_methods(["GET", "POST"])
def aftale_rediger(request: HttpRequest, slug: str) -> HttpResponse:
    """Details and text in one form. A save over someone else's newer save is refused by the service;
    the page then keeps the user's input and shows the newer text beside it to merge from."""
    aftale = _aftale_til_redigering(request, slug)
    bruger = request.user
    nyere = None
    if request.method == "POST":
        form = AftaleRedigerForm(request.POST, bruger=bruger, aftale=aftale)
        if form.is_valid():
            try:
                services.aftale_gem(
                    aftale=aftale, bruger=bruger, revision=form.cleaned_data["revision"], felter=form.detaljer(),
                    tekst=form.cleaned_data["tekst"], aendringsnote=form.cleaned_data["aendringsnote"],
                    ny_version=form.cleaned_data["ny_version"],
                )
            except services.ForaeldetGem as fejl:
                form.add_error(None, fejl.message)
                nyere = _nyere_gemt(aftale, form)
            except DomainError as fejl:
                formularer.vis_fejl(form, fejl)
            else:
                opdateret = Samarbejdsaftale.objects.select_related("aktuel_version").get(pk=aftale.pk)
                messages.success(request, f"Aftalen er gemt. Den aktuelle version er nu "
                                          f"version {opdateret.aktuel_version.nummer}.")
                return redirect("arbejde:aftale", slug=opdateret.slug)
    else:
        initial = {navn: getattr(aftale, navn) for navn in AftaleRedigerForm.DETALJEFELTER}
        initial.update(tekst=aftale.aktuel_version.tekst if aftale.aktuel_version else "", revision=aftale.revision)
        form = AftaleRedigerForm(initial=initial, bruger=bruger, aftale=aftale)
    return render(request, "aftaler/arbejde/aftale_rediger.html", {"aftale": aftale, "form": form, "nyere": nyere})


def _nyere_gemt(aftale: Samarbejdsaftale, form: AftaleRedigerForm) -> dict:
    """What the other editor saved, and how the user's text differs from it. The form now carries the
    newest revision: once the user has merged what they need, saving again is a deliberate choice."""
    frisk = Samarbejdsaftale.objects.select_related("aktuel_version", "aktuel_version__forfatter").get(pk=aftale.pk)
    data = form.data.copy()
    data["revision"] = str(frisk.revision)
    form.data = data
    version = frisk.aktuel_version
    brugerens = rens_html(tekst_som_html(form.data.get("tekst", "")))
    return {"version": version, "forskel": sammenlign(version.tekst if version else "", brugerens)}


# --- attachments ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def aftale_bilag(request: HttpRequest, slug: str) -> HttpResponse:
    """The attachments: everyone who may read the agreement sees and downloads them; editors add and remove."""
    aftale = _aftale(request, slug)
    bruger = request.user
    kan_redigere = policies.kan_redigere_aftale(bruger, aftale)
    form = BilagForm()
    if request.method == "POST":
        if not kan_redigere:
            raise Http404
        if "slet" in request.POST:
            bilag = get_object_or_404(policies.synlige_bilag(bruger, aftale, aftale.bilag.all()),
                                      pk=request.POST.get("slet") or 0)
            try:
                services.bilag_slet(bilag=bilag, bruger=bruger)
            except DomainError as fejl:
                messages.error(request, fejl.message)
            else:
                messages.success(request, f"Bilaget »{bilag.titel}« er fjernet.")
            return redirect("arbejde:aftale-bilag", slug=aftale.slug)
        form = BilagForm(request.POST, request.FILES)
        if form.is_valid():
            svar = formularer.koer(
                request, form, lambda: services.bilag_tilfoej(
                    aftale=aftale, bruger=bruger, fil=form.cleaned_data["fil"], titel=form.cleaned_data["titel"]),
                besked=lambda bilag: f"Bilaget »{bilag.titel}« er tilføjet.",
                videre=reverse("arbejde:aftale-bilag", kwargs={"slug": aftale.slug}))
            if svar:
                return svar
    kontekst = {
        "aftale": aftale, "form": form, "kan_redigere": kan_redigere,
        "bilag": list(policies.synlige_bilag(bruger, aftale, aftale.bilag.select_related("uploadet_af"))),
        "maks_mb": services.BILAG_MAKS // (1024 * 1024),
    }
    return render(request, "aftaler/arbejde/aftale_bilag.html", kontekst)


@login_required
def bilag_hent(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """An attachment as a download, only for those who may read its agreement."""
    aftale = _aftale(request, slug)
    bilag = get_object_or_404(policies.synlige_bilag(request.user, aftale, aftale.bilag.all()), pk=pk)
    try:
        fil = bilag.fil.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    svar = FileResponse(fil, as_attachment=True, filename=bilag.filnavn, content_type=bilag.indholdstype)
    svar["X-Content-Type-Options"] = "nosniff"
    svar["Cache-Control"] = "private, no-store"
    return svar


# --- versions ---------------------------------------------------------------------------------


@login_required
def aftale_versioner(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version with its note; a GET form picks two to compare (inline for htmx, else a redirect)."""
    aftale = _aftale(request, slug)
    versioner = list(policies.synlige_versioner(request.user, aftale).order_by("-nummer"))
    numre = sorted(v.nummer for v in versioner)
    bundet = "a" in request.GET or "b" in request.GET
    form = SammenlignForm(request.GET if bundet else None, numre=numre)
    if bundet and form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        if not _er_htmx(request):
            return redirect("arbejde:aftale-sammenlign", slug=aftale.slug, a=a, b=b)
        efter_nummer = {v.nummer: v for v in versioner}
        svar = render(request, "aftaler/arbejde/_sammenligning.html", {
            "aftale": aftale, "a": efter_nummer[a], "b": efter_nummer[b],
            "forskel": sammenlign(efter_nummer[a].tekst, efter_nummer[b].tekst), "overskriftniveau": 3,
        })
    else:
        svar = render(request, "aftaler/arbejde/aftale_versioner.html",
                      {"aftale": aftale, "versioner": versioner, "form": form})
    patch_vary_headers(svar, ["HX-Request"])
    return svar


@login_required
def aftale_version(request: HttpRequest, slug: str, nummer: int) -> HttpResponse:
    aftale = _aftale(request, slug)
    synlige = policies.synlige_versioner(request.user, aftale)
    version = get_object_or_404(synlige, nummer=nummer)
    naboer = dict(synlige.filter(nummer__in=[nummer - 1, nummer + 1]).values_list("nummer", "pk"))
    return render(request, "aftaler/arbejde/aftale_version.html", {
        "aftale": aftale, "version": version,
        "forrige": nummer - 1 if nummer - 1 in naboer else None,
        "naeste": nummer + 1 if nummer + 1 in naboer else None,
    })


@login_required
def aftale_sammenlign(request: HttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    """Word-level differences between two versions, with what was removed and what was added."""
    aftale = _aftale(request, slug)
    versioner = {v.nummer: v for v in policies.synlige_versioner(request.user, aftale).filter(nummer__in=[a, b])}
    if a not in versioner or b not in versioner:
        raise Http404
    return render(request, "aftaler/arbejde/aftale_sammenlign.html", {
        "aftale": aftale, "a": versioner[a], "b": versioner[b],
        "forskel": sammenlign(versioner[a].tekst, versioner[b].tekst), "overskriftniveau": 2,
    })


# --- lifecycle --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def aftale_handling(request: HttpRequest, slug: str, handling: str) -> HttpResponse:
    """Confirm one action of the lifecycle table, with the fields it needs, then run it."""
    aftale = _aftale(request, slug)
    bruger = request.user
    regel = OVERGANGE.get(handling)
    if regel is None or not policies.kan_udfoere(bruger, aftale, handling):
        raise Http404
    form = OvergangForm(request.POST if request.method == "POST" else None, regel=regel, aftale=aftale)
    if request.method == "POST" and form.is_valid():
        svar = formularer.koer(
            request, form, lambda: services.aftale_overgang(aftale=aftale, bruger=bruger, handling=handling,
                                                            note=form.cleaned_data.get("note", ""),
                                                            **form.data_til_service()),
            besked=f"{Handling(handling).label}: aftalen har nu status »{Status(regel.til).label}«.",
            videre=reverse("arbejde:aftale", kwargs={"slug": aftale.slug}))
        if svar:
            return svar
    return render(request, "aftaler/arbejde/aftale_handling.html", {
        "aftale": aftale, "regel": regel, "handling_navn": Handling(handling).label,
        "til_status": Status(regel.til).label, "form": form,
    })


@login_required
@require_http_methods(["GET", "POST"])
def aftale_behandling(request: HttpRequest, slug: str) -> HttpResponse:
    """Record that a forum dealt with the agreement (the committee's recommendation is the `indstil` action)."""
    aftale = _aftale(request, slug)
    bruger = request.user
    if not policies.kan_registrere_behandling(bruger, aftale):
        raise Http404
    form = BehandlingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        svar = formularer.koer(
            request, form, lambda: services.behandling_registrer(aftale=aftale, bruger=bruger, **form.cleaned_data),
            besked=lambda behandling: f"Behandlingen i {behandling.forum.navn} er registreret.",
            videre=reverse("arbejde:aftale", kwargs={"slug": aftale.slug}) + "#behandlinger")
        if svar:
            return svar
    return render(request, "aftaler/arbejde/aftale_behandling.html", {"aftale": aftale, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def aftale_parter(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat adds parties that must approve too (e.g. PLO-Midtjylland), before recommending."""
    aftale = _aftale(request, slug)
    bruger = request.user
    if not policies.kan_saette_ekstra_parter(bruger, aftale):
        raise Http404
    form = ParterForm(request.POST if request.method == "POST" else None,
                      initial={"parter": list(aftale.ekstra_parter.all())})
    if request.method == "POST" and form.is_valid():
        svar = formularer.koer(
            request, form, lambda: services.ekstra_parter_saet(aftale=aftale, bruger=bruger,
                                                               parter=list(form.cleaned_data["parter"])),
            besked="De godkendende parter er gemt.", videre=reverse("arbejde:aftale", kwargs={"slug": aftale.slug}))
        if svar:
            return svar
    paakraevede = selectors.paakraevede_parter(aftale)
    return render(request, "aftaler/arbejde/aftale_parter.html", {
        "aftale": aftale, "form": form, "paakraevede": paakraevede,
        "faste": [p for p in paakraevede if p.type in (PartType.KOMMUNE, PartType.REGION)],
    })


urlpatterns = [
    path("aftaler/", aftale_liste, name="aftale-liste"),
    path("aftaler/ny/", aftale_ny, name="aftale-ny"),
    path("aftaler/<slug:slug>/", aftale, name="aftale"),
    path("aftaler/<slug:slug>/rediger/", aftale_rediger, name="aftale-rediger"),
    path("aftaler/<slug:slug>/bilag/", aftale_bilag, name="aftale-bilag"),
    path("aftaler/<slug:slug>/bilag/<int:pk>/", bilag_hent, name="bilag-hent"),
    path("aftaler/<slug:slug>/versioner/", aftale_versioner, name="aftale-versioner"),
    path("aftaler/<slug:slug>/versioner/<int:nummer>/", aftale_version, name="aftale-version"),
    path("aftaler/<slug:slug>/sammenlign/<int:a>/<int:b>/", aftale_sammenlign, name="aftale-sammenlign"),
    path("aftaler/<slug:slug>/handling/<str:handling>/", aftale_handling, name="aftale-handling"),
    path("aftaler/<slug:slug>/behandling/", aftale_behandling, name="aftale-behandling"),
    path("aftaler/<slug:slug>/parter/", aftale_parter, name="aftale-parter"),
]
