"""/arbejde/revision/ (Revisionsspor): the audit log for administrators, filtered, paged and as a CSV file
(sundhed.revision); everyone else gets 404 (sundhed.policies.kan_se_revisionsspor)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sundhed import policies, revision
from sundhed.formularer import DkfdsForm

PR_SIDE = 50


class RevisionFilter(DkfdsForm):
    slags = forms.ChoiceField(label="Hvad", required=False,
                              choices=[("", "Alt"), *((s.kode, s.navn) for s in revision.SLAGS.values())])
    bruger = forms.CharField(label="Bruger", required=False, max_length=150,
                             help_text="Brugernavn eller navn (også et brugernavn, der er forsøgt logget ind med).")
    objekt = forms.CharField(label="Objekt", required=False, max_length=200,
                             help_text="Fx en aftales titel, en sti (/arbejde/…), en type (aftaler.samarbejdsaftale) "
                                       "eller et id.")
    fra = forms.DateField(label="Fra dato", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": "Skriv datoen som ÅÅÅÅ-MM-DD."})
    til = forms.DateField(label="Til dato", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": "Skriv datoen som ÅÅÅÅ-MM-DD."})
    ip = forms.CharField(label="IP-adresse", required=False, max_length=45,
                         help_text="Hele adressen eller dens begyndelse, fx 10.0.")

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("til") and data["til"] < data["fra"]:
            self.add_error("til", "Til-datoen kan ikke ligge før fra-datoen.")
        return data

    def som_filter(self) -> revision.Filter:
        """The valid filters; a field with an error filters nothing (the page says so at the field)."""
        self.is_valid()
        data = self.cleaned_data  # without the fields that have an error
        return revision.Filter(slags=data.get("slags") or "", bruger=(data.get("bruger") or "").strip(),
                               objekt=(data.get("objekt") or "").strip(), fra=data.get("fra"), til=data.get("til"),
                               ip=(data.get("ip") or "").strip())


def _filter(request: HttpRequest) -> tuple[RevisionFilter, revision.Filter]:
    if not policies.kan_se_revisionsspor(request.user):
        raise Http404
    form = RevisionFilter(request.GET)
    return form, form.som_filter()


@login_required
@require_safe
def revisionsspor(request: HttpRequest) -> HttpResponse:
    form, filter_ = _filter(request)
    side = Paginator(revision.haendelser(filter_), PR_SIDE).get_page(request.GET.get("side"))
    raekker = [{"h": h, "bruger": revision.vist_bruger(h), "hvad": revision.handling_navn(h.handling)}
               for h in side.object_list]
    parametre = urlencode(filter_.som_parametre())
    return render(request, "arbejde/revision.html", {
        "form": form, "side": side, "raekker": raekker, "parametre": parametre,
    }, status=200 if form.is_valid() else 400)


@login_required
@require_safe
def revisionsspor_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered rows as CSV, streamed: an audit log can be long."""
    _form, filter_ = _filter(request)
    raekker = revision.haendelser(filter_).iterator(chunk_size=2000)
    svar = StreamingHttpResponse(revision.csv_linjer(raekker), content_type="text/csv; charset=utf-8")
    filnavn = f"revisionsspor-{timezone.localdate().isoformat()}.csv"
    svar["Content-Disposition"] = f'attachment; filename="{filnavn}"'
    svar["Cache-Control"] = "no-store"
    return svar
