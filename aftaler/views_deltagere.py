"""Staff pages for councils, clusters and parties: consultation answers, decisions, implementation,
pilots, and the reads behind "Mine opgaver".

Every page: login required; an agreement the user may not read, or an action the user may not
take, is 404 (as if it did not exist). Every POST calls a service; a refusal (DomainError) is shown
at the field it names with the input kept; success redirects (PRG) with a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from aftaler import policies, selectors, services
from aftaler.choices import ENDELIGE_BESLUTNINGER, OFFENTLIGE_STATUS, Beslutning, ImplementeringStatus, Status
from aftaler.forms_deltagere import (
    BeslutningForm,
    HoeringssvarForm,
    ImplementeringForm,
    PraesenteretForm,
    ProevehandlingForm,
    StartAftaleForm,
    html_til_tekst,
    tekst_til_html,
)
from aftaler.models import (
    AftaleVersion,
    Godkendelse,
    Hoeringssvar,
    Implementering,
    Overgang,
    Proevehandling,
    Samarbejdsaftale,
)
from aftaler.workflow import Handling
from organisation.models import Klynge, Part
from sundhed import permissions
from sundhed.exceptions import DomainError
from sundhed.formularer import vis_fejl


def _aftale(request: HttpRequest, slug: str, queryset: QuerySet | None = None) -> Samarbejdsaftale:
    aftale = policies.aftale_eller_404(
        request.user, queryset if queryset is not None else selectors.aftaler_med_detaljer(), slug=slug
    )
    return policies.som_laest_af(request.user, aftale)


def _er_sekretariat(user) -> bool:
    return permissions.har(user, "redigere_alle_aftaler")


def _laeser_internt(user) -> bool:
    return permissions.har(user, "laese_internt") or _er_sekretariat(user)


# --- decisions ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def beslutning_registrer(request: HttpRequest, slug: str, part: str) -> HttpResponse:
    """A council secretariat records its authority's decision on the version awaiting decisions."""
    aftale = _aftale(request, slug)
    if aftale.status != Status.INDSTILLET:
        raise Http404
    # Only the user's own authorities, and only those that must approve this agreement.
    part_obj = next((p for p in policies.beslutningsparter(request.user, aftale) if p.slug == part), None)
    if part_obj is None:
        raise Http404
    version = aftale.aktuel_version
    historik = list(Godkendelse.objects.filter(version=version, part=part_obj)
                    .select_related("registreret_af").order_by("registreret", "id"))
    endelig = next((g for g in historik if g.beslutning in ENDELIGE_BESLUTNINGER), None)
    form = None
    if endelig is None:
        form = BeslutningForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                godkendelse = services.godkendelse_registrer(
                    aftale=aftale, part=part_obj, bruger=request.user, **form.cleaned_data,
                )
            except services.IkkeTilladt as exc:
                raise Http404 from exc
            except DomainError as exc:
                vis_fejl(form, exc)
            else:
                messages.success(
                    request,
                    f"Beslutningen for {part_obj.navn} om version {version.nummer} er registreret: "
                    f"{godkendelse.get_beslutning_display().lower()}.",
                )
                return redirect("arbejde:godkendelser", slug=aftale.slug)
    return render(request, "aftaler/arbejde/beslutning_registrer.html", {
        "aftale": aftale, "part": part_obj, "version": version, "form": form, "endelig": endelig,
        "udsaettelser": [g for g in historik if g.beslutning == Beslutning.UDSAT],
        "frist_overskredet": bool(aftale.beslutningsfrist and aftale.beslutningsfrist < timezone.localdate()),
    })


@dataclass
class VersionsBeslutninger:
    version: AftaleVersion
    godkendelser: list[Godkendelse]

    def _antal(self, beslutning: str) -> int:
        return sum(1 for g in self.godkendelser if g.beslutning == beslutning)

    @property
    def godkendt(self) -> int:
        return self._antal(Beslutning.GODKENDT)

    @property
    def afvist(self) -> int:
        return self._antal(Beslutning.AFVIST)


@login_required
@require_safe
def godkendelser(request: HttpRequest, slug: str) -> HttpResponse:
    """'14 af 20 godkendt': the decision per required party, and decisions on earlier versions."""
    aftale = _aftale(request, slug)
    fremdrift = selectors.fremdrift(aftale) if aftale.status in OFFENTLIGE_STATUS else None
    vist_version_id = fremdrift.version.pk if fremdrift and fremdrift.version else None
    tidligere = (
        Godkendelse.objects.filter(version__aftale=aftale).exclude(version_id=vist_version_id)
        .select_related("part", "version").order_by("-version__nummer", "part__navn", "registreret", "id")
    )
    tidligere_versioner = [
        VersionsBeslutninger(version=v, godkendelser=list(rows))
        for v, rows in groupby(tidligere, key=lambda g: g.version)
    ]
    egne = {p.pk for p in policies.beslutningsparter(request.user, aftale)}
    raekker = []
    for ps in fremdrift.parter if fremdrift else []:
        # The row shows the final decision, or else the latest postponement; earlier postponements are history.
        vis = ps.endelig or (ps.historik[-1] if ps.historik else None)
        raekker.append({"ps": ps, "vis": vis, "kan_registrere": ps.part.pk in egne and ps.endelig is None,
                        "udsaettelser": [h for h in ps.historik if h.beslutning == Beslutning.UDSAT and h is not vis]})
    return render(request, "aftaler/arbejde/beslutning_godkendelser.html", {
        "aftale": aftale, "fremdrift": fremdrift, "raekker": raekker, "tidligere_versioner": tidligere_versioner,
        "frist_overskredet": bool(aftale.status == Status.INDSTILLET and aftale.beslutningsfrist
                                  and aftale.beslutningsfrist < timezone.localdate()),
    })


# --- consultation ---------------------------------------------------------------------------------

_AFSENDERTYPER = {"part": Part, "klynge": Klynge}


def afsendertype(afsender) -> str:
    return "part" if isinstance(afsender, Part) else "klynge"


@login_required
@require_http_methods(["GET", "POST"])
def hoering_svar(request: HttpRequest, slug: str, type: str, afsender: str) -> HttpResponse:
    """A party or cluster answers the version in consultation (a new answer replaces the old)."""
    model = _AFSENDERTYPER.get(type)
    if model is None:
        raise Http404
    aftale = _aftale(request, slug)
    if aftale.status != Status.HOERING:
        raise Http404
    afsender_obj = next(
        (a for a in policies.hoeringsafsendere(request.user, aftale) if isinstance(a, model) and a.slug == afsender),
        None,
    )
    if afsender_obj is None:
        raise Http404
    version = aftale.aktuel_version
    eksisterende = Hoeringssvar.objects.filter(version=version, **{type: afsender_obj}).first()
    initial = {"tekst": html_til_tekst(eksisterende.tekst)} if eksisterende else {}
    form = HoeringssvarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.hoeringssvar_afgiv(aftale=aftale, bruger=request.user, afsender=afsender_obj,
                                        tekst=tekst_til_html(form.cleaned_data["tekst"]))
        except services.IkkeTilladt as exc:
            raise Http404 from exc
        except DomainError as exc:
            vis_fejl(form, exc)
        else:
            messages.success(request, f"Høringssvaret fra {afsender_obj.navn} er gemt. Du kan rette det, "
                                      "indtil høringen er afsluttet.")
            return redirect("arbejde:hoering-svar", slug=aftale.slug, type=type, afsender=afsender_obj.slug)
    return render(request, "aftaler/arbejde/hoering_svar.html", {
        "aftale": aftale, "afsender": afsender_obj, "version": version, "form": form, "eksisterende": eksisterende,
    })


@dataclass
class Hoeringsrunde:
    """One version sent to consultation: the answers side by side and who has not answered."""

    version: AftaleVersion
    svar: list[Hoeringssvar] = field(default_factory=list)
    mangler: list = field(default_factory=list)
    aktuel: bool = False


@login_required
@require_safe
def hoeringssvar_oversigt(request: HttpRequest, slug: str) -> HttpResponse:
    """For the secretariat and internal readers: every answer per version, and who is missing."""
    if not _laeser_internt(request.user):
        raise Http404
    aftale = _aftale(request, slug)
    versioner: dict[int, AftaleVersion] = {
        o.version_id: o.version
        for o in Overgang.objects.filter(aftale=aftale, handling=Handling.SEND_I_HOERING, version__isnull=False)
        .select_related("version").order_by("tidspunkt")
    }
    svar = list(Hoeringssvar.objects.filter(version__aftale=aftale)
                .select_related("version", "part", "klynge", "afgivet_af").order_by("afgivet", "id"))
    for s in svar:
        versioner.setdefault(s.version_id, s.version)
    adressater = [*selectors.paakraevede_parter(aftale), *selectors.berorte_klynger(aftale)] if versioner else []
    runder = []
    for version in sorted(versioner.values(), key=lambda v: v.nummer, reverse=True):
        runde = Hoeringsrunde(version=version, svar=[s for s in svar if s.version_id == version.pk],
                              aktuel=aftale.status == Status.HOERING and version.pk == aftale.aktuel_version_id)
        svarede = {(afsendertype(s.afsender), s.afsender.pk) for s in runde.svar}
        runde.mangler = [a for a in adressater if (afsendertype(a), a.pk) not in svarede]
        runder.append(runde)
    return render(request, "aftaler/arbejde/hoering_oversigt.html", {"aftale": aftale, "runder": runder})


# --- implementation -------------------------------------------------------------------------------


@dataclass
class Celle:
    klynge: Klynge
    implementering: Implementering | None
    redigerbar: bool


@login_required
@require_safe
def implementering_matrix(request: HttpRequest) -> HttpResponse:
    """Agreements in force x active clusters, each cell the status in words; own cells link to the edit page."""
    user = request.user
    sekretariat = _er_sekretariat(user)
    if not policies.kan_se_implementeringsmatrix(user):
        raise Http404
    egne = set(permissions.objekter(user, "registrere_implementering").values_list("pk", flat=True))
    klynger = list(Klynge.objects.aktive().order_by("navn"))
    aktive = {k.pk for k in klynger}
    aftaler = list(
        selectors.implementeres(Samarbejdsaftale.objects.all()).select_related("klynge", "offentliggjort_version")
        .prefetch_related("implementeringer").order_by("titel")
    )
    raekker = []
    for aftale in aftaler:
        # Only the areas in force today: an ended cluster's rows are history, continued by its successor's.
        rows = {i.klynge_id: i for i in aftale.implementeringer.all() if i.klynge_id in aktive}
        tilladt = selectors.tillader_implementering(aftale)
        celler = [
            Celle(klynge=k, implementering=rows.get(k.pk),
                  redigerbar=tilladt and k.pk in rows and (sekretariat or k.pk in egne))
            for k in klynger
        ]
        implementeret = sum(1 for i in rows.values() if i.status == ImplementeringStatus.IMPLEMENTERET)
        raekker.append({"aftale": aftale, "celler": celler, "implementeret": implementeret, "i_alt": len(rows)})
    return render(request, "aftaler/arbejde/implementering_matrix.html", {
        "klynger": klynger, "raekker": raekker, "egne_klynger": [k for k in klynger if k.pk in egne],
    })


@login_required
@require_http_methods(["GET", "POST"])
def implementering_rediger(request: HttpRequest, slug: str, klynge: str) -> HttpResponse:
    """A cluster records how far it has come implementing an agreement (the secretariat: any cluster)."""
    aftale = _aftale(request, slug)
    klynge_obj = get_object_or_404(Klynge, slug=klynge)
    if not policies.kan_registrere_implementering(request.user, aftale, klynge_obj):
        raise Http404
    impl = get_object_or_404(Implementering.objects.select_related("opdateret_af", "forgaenger__klynge"),
                             aftale=aftale, klynge=klynge_obj)
    form = ImplementeringForm(request.POST or None, initial={"status": impl.status, "note": impl.note})
    if request.method == "POST" and form.is_valid():
        try:
            impl = services.implementering_opdater(aftale=aftale, klynge=klynge_obj, bruger=request.user,
                                                   **form.cleaned_data)
        except services.IkkeTilladt as exc:
            raise Http404 from exc
        except DomainError as exc:
            vis_fejl(form, exc)
        else:
            messages.success(request, f"{klynge_obj.navn}: implementeringen af '{aftale.titel}' er nu "
                                      f"'{impl.get_status_display().lower()}'.")
            return redirect("arbejde:implementering-matrix")
    return render(request, "aftaler/arbejde/implementering_rediger.html", {
        "aftale": aftale, "klynge": klynge_obj, "implementering": impl, "form": form,
    })


# --- pilots ---------------------------------------------------------------------------------------


def _synlige_proevehandlinger(user) -> QuerySet[Proevehandling] | None:
    """All pilots for the secretariat and internal readers; the own clusters' for cluster members;
    None for everyone else (the pages are 404 for them)."""
    qs = Proevehandling.objects.select_related("klynge")
    if _laeser_internt(user):
        return qs
    klynger = permissions.objekter(user, "laese_klynge_internt") | permissions.objekter(
        user, "registrere_proevehandling")
    if not klynger.exists():
        return None
    return qs.filter(klynge__in=klynger)


@login_required
@require_safe
def proevehandling_liste(request: HttpRequest) -> HttpResponse:
    qs = _synlige_proevehandlinger(request.user)
    if qs is None:
        raise Http404
    proevehandlinger = list(qs.annotate(antal_aftaler=Count("aftaler")).order_by("-oprettet"))
    return render(request, "aftaler/arbejde/proevehandling_liste.html", {
        "proevehandlinger": proevehandlinger, "kan_oprette": selectors.proevehandling_klynger(request.user).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def proevehandling_ny(request: HttpRequest) -> HttpResponse:
    klynger = selectors.proevehandling_klynger(request.user)
    if not klynger.exists():
        raise Http404
    form = ProevehandlingForm(request.POST or None, klynger=klynger)
    if request.method == "POST" and form.is_valid():
        try:
            ph = services.proevehandling_gem(bruger=request.user, **form.cleaned_data)
        except services.IkkeTilladt as exc:
            raise Http404 from exc
        except DomainError as exc:
            vis_fejl(form, exc)
        else:
            messages.success(request, f"Prøvehandlingen '{ph.titel}' er registreret.")
            return redirect("arbejde:proevehandling", slug=ph.slug)
    return render(request, "aftaler/arbejde/proevehandling_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def proevehandling(request: HttpRequest, slug: str) -> HttpResponse:
    """A pilot: details and results (editable by its cluster), and for the secretariat: record that it
    was presented to the committee, and start a collaboration agreement from it."""
    user = request.user
    qs = _synlige_proevehandlinger(user)
    if qs is None:
        raise Http404
    ph = get_object_or_404(qs.select_related("registreret_af"), slug=slug)
    kan_redigere = policies.kan_registrere_proevehandling(user, ph.klynge)
    kan_praesentere = permissions.har(user, "registrere_behandling")
    kan_starte = permissions.har(user, "redigere_alle_aftaler")
    handling = request.POST.get("handling", "gem") if request.method == "POST" else None

    def bundet(navn: str):
        return request.POST if handling == navn else None

    form = praesenteret_form = start_form = None
    if kan_redigere:
        form = ProevehandlingForm(bundet("gem"), klynger=selectors.proevehandling_klynger(user) | Klynge.objects.filter(
            pk=ph.klynge_id), initial={
            "klynge": ph.klynge_id, "titel": ph.titel, "beskrivelse": ph.beskrivelse, "periode_fra": ph.periode_fra,
            "periode_til": ph.periode_til, "resultater": ph.resultater})
    if kan_praesentere:
        praesenteret_form = PraesenteretForm(bundet("praesenteret"), prefix="praesentation", initial=(
            {"praesenteret_dato": ph.praesenteret_dato} if ph.praesenteret_dato else {}))
    if kan_starte and ph.praesenteret_dato:
        start_form = StartAftaleForm(bundet("start_aftale"), prefix="start", initial={"titel": ph.titel})
    valgt = {"gem": form, "praesenteret": praesenteret_form, "start_aftale": start_form}.get(handling)
    if handling is not None and valgt is None:
        raise Http404
    if valgt is not None and valgt.is_valid():
        try:
            if handling == "gem":
                ph = services.proevehandling_gem(bruger=user, proevehandling=ph, **valgt.cleaned_data)
                messages.success(request, "Prøvehandlingen er gemt.")
            elif handling == "praesenteret":
                services.proevehandling_praesenteret(proevehandling=ph, bruger=user,
                                                     dato=valgt.cleaned_data["praesenteret_dato"])
                messages.success(request, "Det er registreret, at prøvehandlingen er præsenteret for udvalget.")
            else:
                aftale = services.aftale_fra_proevehandling(proevehandling=ph, bruger=user,
                                                            titel=valgt.cleaned_data["titel"])
                messages.success(request, f"Samarbejdsaftalen '{aftale.titel}' er oprettet som udkast ud fra "
                                          "prøvehandlingen.")
                return redirect("arbejde:aftale", slug=aftale.slug)
        except services.IkkeTilladt as exc:
            raise Http404 from exc
        except DomainError as exc:
            vis_fejl(valgt, exc)
        else:
            return redirect("arbejde:proevehandling", slug=ph.slug)
    aftaler = list(policies.synlige_aftaler(user, ph.aftaler.all()).order_by("titel"))
    return render(request, "aftaler/arbejde/proevehandling_detalje.html", {
        "ph": ph, "form": form, "praesenteret_form": praesenteret_form, "start_form": start_form,
        "aftaler": aftaler, "kan_redigere": kan_redigere, "kan_praesentere": kan_praesentere,
        "kan_starte": kan_starte,
    })


urlpatterns = [
    path("aftaler/<slug:slug>/beslutning/<slug:part>/", beslutning_registrer, name="beslutning-registrer"),
    path("aftaler/<slug:slug>/godkendelser/", godkendelser, name="godkendelser"),
    path("aftaler/<slug:slug>/hoering/<str:type>/<slug:afsender>/", hoering_svar, name="hoering-svar"),
    path("aftaler/<slug:slug>/hoeringssvar/", hoeringssvar_oversigt, name="hoeringssvar-oversigt"),
    path("aftaler/<slug:slug>/implementering/<slug:klynge>/", implementering_rediger, name="implementering-rediger"),
    path("implementering/", implementering_matrix, name="implementering-matrix"),
    path("proevehandlinger/", proevehandling_liste, name="proevehandling-liste"),
    path("proevehandlinger/ny/", proevehandling_ny, name="proevehandling-ny"),
    path("proevehandlinger/<slug:slug>/", proevehandling, name="proevehandling"),
]
