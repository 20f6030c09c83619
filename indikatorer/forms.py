from django import forms

from aftaler.models import Maalsaetning
from indikatorer import importer
from indikatorer.models import Indikator, LokaltMaalStatus
from sundhed.formularer import DkfdsForm


class ImportForm(forms.Form):
    """Upload of a CSV or XLSX file; the rows are checked by the service, the size here first."""

    fil = forms.FileField(
        label="Fil med indikatordata",
        help_text="CSV (; eller , som skilletegn, decimalkomma eller -punktum) eller Excel (.xlsx). Kolonner: "
        "kode, geografi, periode, vaerdi og eventuelt taeller og naevner. Højst 20 MB.",
        error_messages={"required": "Vælg en fil.", "empty": "Filen er tom.", "invalid": "Vælg en fil."},
        widget=forms.ClearableFileInput(attrs={
            "class": "form-input",
            "accept": ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def clean_fil(self):
        fil = self.cleaned_data["fil"]
        if fil.size > importer.MAKS_STOERRELSE:
            raise forms.ValidationError(importer.for_stor_besked(fil.size))
        return fil


class LokaltMaalForm(DkfdsForm):
    """A cluster's local goal; the service checks who may and what is valid."""

    titel = forms.CharField(label="Titel", max_length=250, error_messages={"required": "Skriv en titel."})
    beskrivelse = forms.CharField(label="Beskrivelse", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    maalsaetning = forms.ModelChoiceField(
        label="Sundhedsaftalens målsætning", required=False, empty_label="Ingen",
        queryset=Maalsaetning.objects.filter(national=False).order_by("sundhedsaftale", "sortering", "pk"),
        help_text="Den fælles målsætning, det lokale mål bidrager til.",
        error_messages={"invalid_choice": "Vælg en målsætning fra listen."},
    )
    indikator = forms.ModelChoiceField(
        label="Indikator", required=False, empty_label="Ingen", to_field_name="kode",
        queryset=Indikator.objects.order_by("sortering", "navn"),
        help_text="Indikatoren, som målet følges med.",
        error_messages={"invalid_choice": "Vælg en indikator fra listen."},
    )
    status = forms.ChoiceField(label="Status", choices=LokaltMaalStatus.choices,
                               error_messages={"invalid_choice": "Vælg en status fra listen."})
