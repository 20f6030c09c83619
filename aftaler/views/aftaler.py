"""Agreements: the public page and its PDF, and on the staff site the list, a new agreement, the
overview and the editor.

Public pages answer a conditional GET from the agreement's change stamp (sundhed.betinget; see
aftaler.stempler) and are 404 for anything not public (aftaler.synlighed). Staff pages: reads narrow
through aftaler.policies (an agreement the user may not read is 404); every write is one service call
whose Danish DomainError is shown at its field with the input kept, then a redirect with a message.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Count, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from aftaler import forloeb, policies, selectors, services, sidekontekst, synlighed
from aftaler.choices import Status
from aftaler.diff import sammenlign
from aftaler.forms import AftaleOpretForm, AftaleRedigerForm, tekst_som_html
from aftaler.models import Samarbejdsaftale
from aftaler.sanitize import rens_html
from aftaler.views.faelles import (
    SIDEPARAMETRE,
    aftale_til_arbejde,
    hent_offentlig_aftale,
    offentlig_aftale_med_stempel,
    side_eller_del,
)
from aftaler.workflow import AUTOMATISK_GODKENDT, Handling, mulige_handlinger
from sundhed import formularer
from sundhed.betinget import betinget_svar
from sundhed.exceptions import DomainError

# --- public -----------------------------------------------------------------------------------


@require_safe
def aftale_detalje(request: HttpRequest, slug: str) -> HttpResponse:
    """The text in force (or the recommended text), its lifecycle, decisions, implementation,
    attachments, versions and related agreements."""
    pk, stempel = offentlig_aftale_med_stempel(slug)
    return betinget_svar(request, stempel=stempel.noegle, sidst_aendret=stempel.sidst_aendret,
                         lav_svar=lambda: _aftale_side(request, pk), parametre=SIDEPARAMETRE)


def _aftale_side(request: HttpRequest, pk: int) -> HttpResponse:
    side = sidekontekst.aftale_til_side(pk)
    if side is None:  # it left the public set between the stamp and now
        raise Http404("Aftalen findes ikke.")
    kontekst = sidekontekst.aftale_visning(side.aftale, partdata=side.partdata, godkendelser=side.beslutninger)
    kontekst.update({
        "behandlinger": side.behandlinger,
        "implementeringer": side.implementeringer,
        "bilag": side.bilag,
        "versioner": side.versioner,
        "relaterede": side.relaterede,
    })
    return render(request, "aftaler/offentlig/detalje.html", kontekst)


@require_safe
def aftale_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The agreement as PDF, made from the page's own parts and kept per version and change."""
    from aftaler import pdf

    pk, stempel = offentlig_aftale_med_stempel(slug)

    def svar() -> HttpResponse:
        obj = hent_offentlig_aftale(pk)
        indhold, filnavn = pdf.hent_eller_lav(obj)
        res = HttpResponse(indhold, content_type="application/pdf")
        res["Content-Disposition"] = f'inline; filename="{filnavn}"'
        return res

    # The PDF itself is kept on disk by aftaler.pdf; the page cache would only hold a second copy.
    return betinget_svar(request, stempel=f"{stempel.noegle}-pdf", sidst_aendret=stempel.sidst_aendret,
                         lav_svar=svar, gem=False, parametre=SIDEPARAMETRE)


# --- staff: list and create ---------------------------------------------------------------------

SIDESTOERRELSE = 50

STATUSORDEN = {s: i for i, s in enumerate(Status.values)}


HANDLING_NAVNE = {**{h.value: h.label for h in Handling}, AUTOMATISK_GODKENDT: "Godkendt af alle parter"}


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


@login_required
def arbejde_liste(request: HttpRequest) -> HttpResponse:
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
    return side_eller_del(request, "aftaler/arbejde/aftale_liste.html", "aftaler/arbejde/_aftale_resultater.html",
                           kontekst)


@login_required
@require_http_methods(["GET", "POST"])
def arbejde_ny(request: HttpRequest) -> HttpResponse:
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


# --- staff: overview and editor --------------------------------------------------------------


@login_required
def arbejde_aftale(request: HttpRequest, slug: str) -> HttpResponse:
    """The agreement for those who work on it: state, text, deadlines, what may be done now, history."""
    aftale = aftale_til_arbejde(request, slug)
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


def _aftale_til_redigering(request: HttpRequest, slug: str) -> Samarbejdsaftale:
    aftale = aftale_til_arbejde(request, slug)
    if not policies.kan_redigere_aftale(request.user, aftale):
        raise Http404
    return aftale


@login_required
@require_http_methods(["GET", "POST"])
def arbejde_rediger(request: HttpRequest, slug: str) -> HttpResponse:
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
