"""An agreement's attachments: a public version's attachment as a file, and on the staff site the list
where editors add and remove them and everyone who may read the agreement downloads them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from aftaler import policies, services, synlighed
from aftaler.forms import BilagForm
from aftaler.views.faelles import aftale_til_arbejde
from sundhed import formularer
from sundhed.exceptions import DomainError


@require_safe
def aftale_bilag(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """An attachment of a public version (404 for anything else)."""
    aftale = synlighed.offentlige_aftaler().select_related("aktuel_version", "offentliggjort_version").filter(
        slug=slug).first()
    if aftale is None:
        raise Http404("Aftalen findes ikke.")
    bilag = next((b for b in synlighed.offentlige_bilag(aftale) if b.pk == pk), None)
    if bilag is None:
        raise Http404("Bilaget findes ikke.")
    try:
        fil = bilag.fil.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("Bilaget findes ikke.") from exc
    return FileResponse(fil, filename=bilag.filnavn, content_type=bilag.indholdstype)


@login_required
@require_http_methods(["GET", "POST"])
def arbejde_bilag(request: HttpRequest, slug: str) -> HttpResponse:
    """The attachments: everyone who may read the agreement sees and downloads them; editors add and remove."""
    aftale = aftale_til_arbejde(request, slug)
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
def arbejde_bilag_hent(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """An attachment as a download, only for those who may read its agreement."""
    aftale = aftale_til_arbejde(request, slug)
    bilag = get_object_or_404(policies.synlige_bilag(request.user, aftale, aftale.bilag.all()), pk=pk)
    try:
        fil = bilag.fil.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    svar = FileResponse(fil, as_attachment=True, filename=bilag.filnavn, content_type=bilag.indholdstype)
    svar["X-Content-Type-Options"] = "nosniff"
    svar["Cache-Control"] = "private, no-store"
    return svar
