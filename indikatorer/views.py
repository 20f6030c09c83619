"""Pages: the dashboards, an indicator with chart and table, the half-year report (HTML and PDF), and
the import pages for the secretariat and the Økonomi- og opfølgningsgruppe (404 for everyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from indikatorer import grafer, importer, models, policies, rapport, selectors, services
from indikatorer.choices import BatchStatus
from indikatorer.formater import csv_tal
from indikatorer.forms import ImportForm, LokaltMaalForm
from indikatorer.models import Halvaarsrapport, ImportBatch, LokaltMaal, LokaltMaalStatus
from indikatorer.perioder import Periode, er_begyndt
from sundhed import formularer
from sundhed.csvsikker import celle
from sundhed.exceptions import DomainError

# --- public dashboards ------------------------------------------------------------------------


def oversigt(request: HttpRequest) -> HttpResponse:
    data = selectors.oversigt(request.GET.get("geografi") or None)
    return render(request, "indikatorer/oversigt.html", {
        "oversigt": data,
        "kan_importere": policies.kan_importere(request.user),
    })


def _indikator_eller_404(kode: str):
    ind = selectors.indikator(kode)
    if ind is None:
        raise Http404("Indikatoren findes ikke.")
    return ind


def detalje(request: HttpRequest, kode: str) -> HttpResponse:
    ind = _indikator_eller_404(kode)
    data = selectors.indikator_detalje(ind, request.GET.get("kommune") or None)
    graf = grafer.linjegraf(titel=ind.navn, enhed=ind.enhed, decimaler=ind.decimaler, perioder=data.perioder,
                            serier=data.serier)
    return render(request, "indikatorer/detalje.html", {"d": data, "indikator": ind, "graf": graf})


def csv_download(request: HttpRequest, kode: str) -> HttpResponse:
    """Every current value, in the import format (it can be edited and imported again)."""
    ind = _indikator_eller_404(kode)
    navne = {g.slug: g.navn for g in selectors.geografier(kun_aktive=False)}
    raekker = [["kode", "geografi", "periode", "vaerdi", "taeller", "naevner", "note", "geografinavn", "syntetisk"]]
    # Text cells go through csvsikker.celle, so a note such as `=HYPERLINK(...)` opens as text, not as
    # a formula. The numbers are formatted here from Decimals (csv_tal) and are left alone: a negative
    # value such as `-1,5` must still open as a number. (Importing the file again keeps the quote.)
    for m in selectors.maalinger_til_csv(ind):
        raekker.append([celle(ind.kode), celle(m.geografi_slug), celle(m.periode), csv_tal(m.vaerdi),
                        csv_tal(m.taeller), csv_tal(m.naevner), celle(m.note),
                        celle(navne.get(m.geografi_slug, "")), "ja" if m.syntetisk else "nej"])
    svar = HttpResponse(importer.csv_tekst(raekker).encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    svar["Content-Disposition"] = f'attachment; filename="{ind.kode}.csv"'
    return svar


# --- the half-year report ---------------------------------------------------------------------


def _halvaar_eller_404(periode: str) -> Periode:
    p = Periode.fra_kode(periode)
    if p is None or not p.er_halvaar or not er_begyndt(p):
        raise Http404("Ingen halvårsrapport for den periode.")
    return p


def rapport_liste(request: HttpRequest) -> HttpResponse:
    return render(request, "indikatorer/rapport_liste.html", {
        "perioder": selectors.rapport_perioder(), "syntetisk": selectors.har_syntetiske_data(),
    })


def rapport_side(request: HttpRequest, periode: str) -> HttpResponse:
    p = _halvaar_eller_404(periode)
    return render(request, "indikatorer/rapport.html", rapport.kontekst(p))


def rapport_pdf(request: HttpRequest, periode: str) -> HttpResponse:
    p = _halvaar_eller_404(periode)
    svar = HttpResponse(rapport.pdf(p), content_type="application/pdf")
    svar["Content-Disposition"] = f'inline; filename="halvaarsrapport-{p.kode}.pdf"'
    return svar


def rapport_udsendt_pdf(request: HttpRequest, periode: str) -> HttpResponse:
    """The PDF exactly as it was sent to the councils."""
    p = _halvaar_eller_404(periode)
    udsendelse = Halvaarsrapport.objects.filter(periode=p.kode, pdf__isnull=False).first()
    if udsendelse is None:
        raise Http404("Rapporten for perioden er ikke sendt ud.")
    svar = HttpResponse(bytes(udsendelse.pdf), content_type="application/pdf")
    svar["Content-Disposition"] = f'inline; filename="halvaarsrapport-{p.kode}-udsendt.pdf"'
    return svar


# --- imports ----------------------------------------------------------------------------------


def _kraev_import(request: HttpRequest) -> None:
    policies.kraev_import(request.user)


def _batch_eller_404(pk: int) -> ImportBatch:
    b = selectors.batch(pk)
    if b is None:
        raise Http404("Importen findes ikke.")
    return b


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    _kraev_import(request)
    fejl: list[str] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            fil = form.cleaned_data["fil"]
            try:
                batch = services.import_forbered(bruger=request.user, filnavn=fil.name, indhold=fil.read())
            except services.ImportAfvist as exc:
                form.add_error("fil", exc.message)
                fejl = exc.fejl
            except importer.FilFejl as exc:
                form.add_error("fil", exc.message)
            else:
                return redirect("import-preview", batch.pk)
    else:
        form = ImportForm()
    kontekst = {"form": form, "fejl": fejl, "graense": models.GRAENSE_ASYNKRON}
    return render(request, "indikatorer/import.html", kontekst, status=400 if form.errors else 200)


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    _kraev_import(request)
    batch = _batch_eller_404(pk)
    if batch.status != BatchStatus.KLADDE:
        return redirect("import-batch", batch.pk)
    batch = ImportBatch.objects.get(pk=pk)  # with the file, for the preview rows
    return render(request, "indikatorer/import_preview.html", {
        "batch": batch, "raekker": services.forhaandsvisning(batch), "graense": models.GRAENSE_ASYNKRON,
    })


@login_required
@require_POST
def import_godkend(request: HttpRequest, pk: int) -> HttpResponse:
    _kraev_import(request)
    batch = _batch_eller_404(pk)
    try:
        batch = services.import_godkend(batch=batch, bruger=request.user)
    except services.ImportAfvist as exc:
        messages.error(request, exc.message + " " + " ".join(exc.fejl[:5]))
        return redirect("import")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("import-batch", pk)
    batch.refresh_from_db(fields=["status"])
    if batch.status == BatchStatus.FAERDIG:
        messages.success(request, f"Importen er gemt: {batch.antal_raekker} rækker.")
    else:
        messages.info(request, "Importen er sat i gang. Siden viser, hvor langt den er nået.")
    return redirect("import-batch", pk)


@login_required
@require_POST
def import_annuller(request: HttpRequest, pk: int) -> HttpResponse:
    _kraev_import(request)
    try:
        services.import_annuller(batch=_batch_eller_404(pk), bruger=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("import-batch", pk)
    messages.info(request, "Importen er annulleret. Intet er gemt.")
    return redirect("import")


@login_required
def batch_liste(request: HttpRequest) -> HttpResponse:
    _kraev_import(request)
    return render(request, "indikatorer/batch_liste.html", {"batches": selectors.batches()[:200]})


@login_required
def batch_detalje(request: HttpRequest, pk: int) -> HttpResponse:
    _kraev_import(request)
    batch = _batch_eller_404(pk)
    kontekst = {"batch": batch, "behandlet": selectors.behandlet(batch)}
    if request.headers.get("HX-Request"):
        return render(request, "indikatorer/_batch_status.html", kontekst)
    return render(request, "indikatorer/batch_detalje.html", kontekst)


@login_required
@require_POST
def batch_tilbagerul(request: HttpRequest, pk: int) -> HttpResponse:
    _kraev_import(request)
    try:
        services.import_tilbagerul(batch=_batch_eller_404(pk), bruger=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Importen er rullet tilbage. Værdier, den havde erstattet, gælder igen.")
    return redirect(reverse("import-batch", args=[pk]))


# --- the cluster workspace --------------------------------------------------------------------


def _maal_form(request: HttpRequest, maal: LokaltMaal | None = None) -> LokaltMaalForm:
    if request.method == "POST":
        return LokaltMaalForm(request.POST)
    start = {"status": LokaltMaalStatus.PLANLAGT}
    if maal is not None:
        start = {"titel": maal.titel, "beskrivelse": maal.beskrivelse, "maalsaetning": maal.maalsaetning_id,
                 "indikator": maal.indikator.kode if maal.indikator else None, "status": maal.status}
    return LokaltMaalForm(initial=start)


def _gem_maal(request: HttpRequest, form: LokaltMaalForm, klynge, maal: LokaltMaal | None) -> HttpResponse | None:
    data = form.cleaned_data
    return formularer.koer(
        request, form, lambda: services.lokalt_maal_gem(
            bruger=request.user, klynge=klynge, lokalt_maal=maal, titel=data["titel"],
            beskrivelse=data["beskrivelse"], maalsaetning=data["maalsaetning"], indikator=data["indikator"],
            status=data["status"]),
        besked=lambda m: f"Det lokale mål »{m.titel}« er gemt.",
        videre=reverse("klynge-arbejde", kwargs={"slug": klynge.slug}) + "#lokale-maal")


@require_http_methods(["GET", "POST"])
def arbejdsrum(request: HttpRequest, slug: str) -> HttpResponse:
    """The cluster's workspace for its members (others 404); a political-level member adds local goals here."""
    klynge = policies.klynge_eller_404(request.user, slug)
    kan_redigere = policies.kan_redigere_lokale_maal(request.user, klynge)
    if request.method == "POST" and not kan_redigere:
        raise Http404
    form = _maal_form(request) if kan_redigere else None
    if form is not None and request.method == "POST" and form.is_valid():
        svar = _gem_maal(request, form, klynge, None)
        if svar:
            return svar
    return render(request, "indikatorer/arbejdsrum.html", {
        "rum": selectors.arbejdsrum(request.user, klynge), "klynge": klynge, "kan_redigere": kan_redigere,
        "form": form,
    })


@require_http_methods(["GET", "POST"])
def lokalt_maal_rediger(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change one local goal (the political level and the secretariat; 404 for everyone else)."""
    klynge = policies.klynge_eller_404(request.user, slug)
    if not policies.kan_redigere_lokale_maal(request.user, klynge):
        raise Http404
    maal = get_object_or_404(selectors.lokale_maal(klynge), pk=pk)
    form = _maal_form(request, maal)
    if request.method == "POST" and form.is_valid():
        svar = _gem_maal(request, form, klynge, maal)
        if svar:
            return svar
    return render(request, "indikatorer/lokalt_maal_rediger.html", {"klynge": klynge, "maal": maal, "form": form})
