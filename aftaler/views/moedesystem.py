"""A council's decision filled from its own meeting system (issue 11, part 5).

/arbejde/aftaler/<slug>/beslutning/<part>/moedesystem/: the council's secretary uploads the agenda export
(eDoc, SBSYS) or pastes the address of a FirstAgenda agenda; the page finds the item about the agreement
(aftaler.moedesystem) and shows the ordinary decision form filled from it. Nothing is saved until the
secretary confirms, and then through the same service as the ordinary decision page
(services.godkendelse_registrer: the same permission checks and audit row).

One URL, one POST field `handling`:
- `fil` / `adresse`: read the export or the address; the proposal, or this page with the Danish reason;
- `vaelg`: the user picked one of several items: the proposal filled from it (its values travel in the
  button's form, so nothing is stored between the steps);
- `gem`: confirm: the service, then the progress table; a refusal keeps everything typed.

Who: only the secretariat of a council that must decide the agreement now (policies.kan_registrere_beslutning);
everyone else gets 404, as on the decision page.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from aftaler import moedesystem, policies, services
from aftaler.choices import ENDELIGE_BESLUTNINGER, Status
from aftaler.forms_deltagere import BeslutningForm
from aftaler.models import Godkendelse, Samarbejdsaftale
from aftaler.views.faelles import aftale_til_arbejde
from organisation.models import Part
from sundhed.formularer import koer


class HentForm(forms.Form):
    """The export file, or the address of a FirstAgenda agenda."""

    fil = forms.FileField(required=False, label="Fil fra mødesystemet")
    adresse = forms.CharField(required=False, max_length=500, label="Adresse på dagsordenen i FirstAgenda")

    def __init__(self, *args, handling: str, **kwargs):
        kwargs.setdefault("auto_id", "moedesystem-%s")  # the ids the included form uses (moedesystem_hent.html)
        super().__init__(*args, **kwargs)
        self.handling = handling

    def clean(self):
        data = super().clean()
        if self.handling == "fil" and not data.get("fil"):
            self.add_error("fil", "Vælg filen med dagsordenen (eDoc- eller SBSYS-eksport).")
        if self.handling == "adresse" and not (data.get("adresse") or "").strip():
            self.add_error("adresse", "Indsæt adressen på dagsordenen i FirstAgenda.")
        return data


class BekraeftForm(BeslutningForm):
    """The ordinary decision form, with where its proposal came from (shown again after a refusal)."""

    kilde = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    uddrag = forms.CharField(required=False, max_length=moedesystem.MAKS_BEMAERKNING, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referat_url"].help_text = ("Adressen på referatet eller dagsordenen; fra FirstAgenda "
                                                "foreslås dagsordenens adresse.")

    def beslutningsdata(self) -> dict:
        return {navn: self.cleaned_data[navn] for navn in BeslutningForm.base_fields}


def _sag(request: HttpRequest, slug: str, part: str) -> tuple[Samarbejdsaftale, Part]:
    """The agreement awaiting this council's decision; 404 unless the user records that council's decisions."""
    aftale = aftale_til_arbejde(request, slug)
    part_obj = get_object_or_404(Part, slug=part)
    if aftale.status != Status.INDSTILLET or not policies.kan_registrere_beslutning(request.user, aftale, part_obj):
        raise Http404
    return aftale, part_obj


def _initial(f: moedesystem.Forslag) -> dict:
    return {"beslutning": f.beslutning or "", "dato": f.dato.strftime("%d.%m.%Y") if f.dato else "",
            "sagsnummer": f.sagsnummer, "referat_url": f.referat_url, "bemaerkning": f.bemaerkning,
            "kilde": f.kilde, "uddrag": f.punkt.beslutning[:moedesystem.MAKS_BEMAERKNING]}


@login_required
@require_http_methods(["GET", "POST"])
def beslutning_moedesystem(request: HttpRequest, slug: str, part: str) -> HttpResponse:
    aftale, part_obj = _sag(request, slug, part)
    version = aftale.aktuel_version
    historik = list(Godkendelse.objects.filter(version__aftale=aftale, part=part_obj).values_list(
        "version_id", "beslutning", "sagsnummer"))
    if any(v == version.pk and b in ENDELIGE_BESLUTNINGER for v, b, _ in historik):
        # Decided already: the decision page shows the recorded decision.
        return redirect("arbejde:beslutning-registrer", slug=aftale.slug, part=part_obj.slug)
    side = {"aftale": aftale, "part": part_obj, "version": version, "maks_mb": moedesystem.MAKS_MB}
    handling = request.POST.get("handling") if request.method == "POST" else None

    if handling in ("fil", "adresse"):
        hent = HentForm(request.POST, request.FILES, handling=handling)
        if hent.is_valid():
            try:
                if handling == "fil":
                    fil = hent.cleaned_data["fil"]
                    if fil.size > moedesystem.MAKS_STOERRELSE:
                        raise moedesystem.MoedesystemFejl(
                            f"Filen er for stor. Den må højst fylde {moedesystem.MAKS_MB} MB.")
                    dagsorden = moedesystem.laes_fil(fil.read())
                else:
                    dagsorden = moedesystem.hent_firstagenda(hent.cleaned_data["adresse"])
            except moedesystem.MoedesystemFejl as fejl:
                hent.add_error(handling, fejl.besked)
            else:
                fund = moedesystem.find_forslag(dagsorden, titel=aftale.titel, slug=aftale.slug,
                                                sagsnumre=[s for _, _, s in historik if s])
                valgt = fund.valgt
                initial = _initial(valgt) if valgt else {
                    "dato": dagsorden.dato.strftime("%d.%m.%Y") if dagsorden.dato else "",
                    "referat_url": dagsorden.link}
                return render(request, "aftaler/arbejde/moedesystem_forslag.html", {
                    **side, "fund": fund, "valgt": valgt, "form": BekraeftForm(initial=initial),
                })
        return render(request, "aftaler/arbejde/moedesystem.html", {**side, "hent": hent})

    if handling == "vaelg":
        # The values of the item the user picked, into the form (unbound: nothing is checked or saved yet).
        felter = ("beslutning", "dato", "sagsnummer", "referat_url", "bemaerkning", "kilde", "uddrag")
        form = BekraeftForm(initial={f: request.POST.get(f, "") for f in felter})
        return render(request, "aftaler/arbejde/moedesystem_forslag.html", {**side, "form": form, "valgt": True})

    if handling == "gem":
        form = BekraeftForm(request.POST)
        if form.is_valid():
            svar = koer(
                request, form,
                lambda: services.godkendelse_registrer(aftale=aftale, part=part_obj, bruger=request.user,
                                                       kilde="moedesystem", **form.beslutningsdata()),
                besked=lambda g: (f"Beslutningen for {part_obj.navn} om version {version.nummer} er registreret "
                                  f"fra mødesystemet: {g.get_beslutning_display().lower()}."),
                videre=reverse("arbejde:godkendelser", args=[aftale.slug]),
            )
            if svar is not None:
                return svar
        return render(request, "aftaler/arbejde/moedesystem_forslag.html", {**side, "form": form, "valgt": True})

    if handling is not None:
        raise Http404
    return render(request, "aftaler/arbejde/moedesystem.html", {**side, "hent": None})

