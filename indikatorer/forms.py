from django import forms

from indikatorer import importer


class ImportForm(forms.Form):
    """Upload of a CSV or XLSX file; the rows are checked by the service, the size here first."""

    fil = forms.FileField(
        label="Fil med indikatordata",
        help_text="CSV (; eller , som skilletegn, decimalkomma eller -punktum) eller Excel (.xlsx). Kolonner: "
        "kode, geografi, periode, vaerdi og eventuelt taeller og naevner. Højst 20 MB.",
        error_messages={"required": "Vælg en fil.", "empty": "Filen er tom.", "invalid": "Vælg en fil."},
    )

    def clean_fil(self):
        fil = self.cleaned_data["fil"]
        if fil.size > importer.MAKS_STOERRELSE:
            raise forms.ValidationError(importer.for_stor_besked(fil.size))
        return fil
