"""Forms for what councils, clusters and parties do. They only collect and parse input: every
rule (state, who may, dates in the future, ...) is the service's, and its DomainError is shown
at the field it names."""

import html
import re

from django import forms
from django.utils import timezone

from aftaler.choices import Beslutning, ImplementeringStatus
from organisation.models import Klynge

DATO_HJAELP = "Skriv datoen som dd.mm.åååå, fx 23.06.2021."


class DatoFelt(forms.DateField):
    """A date typed as dd.mm.åååå (or ÅÅÅÅ-MM-DD): works with the keyboard in every browser."""

    widget = forms.DateInput(format="%d.%m.%Y", attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {"invalid": "Skriv en gyldig dato som dd.mm.åååå, fx 23.06.2021."}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"])
        kwargs.setdefault("help_text", DATO_HJAELP)
        super().__init__(**kwargs)


# --- plain text <-> the stored (sanitized) HTML of consultation answers -------------------------

_AFSNIT = re.compile(r"\n\s*\n")


def tekst_til_html(tekst: str) -> str:
    """Paragraphs (blank lines) and line breaks of a textarea as HTML; the service sanitizes it."""
    afsnit = [a.strip() for a in _AFSNIT.split(tekst.replace("\r\n", "\n")) if a.strip()]
    return "".join(f"<p>{html.escape(a).replace(chr(10), '<br>')}</p>" for a in afsnit)


def html_til_tekst(vaerdi: str) -> str:
    """The stored HTML back as plain text for the textarea: paragraphs become blank lines."""
    tekst = re.sub(r"(?i)<br\s*/?>", "\n", vaerdi or "")
    tekst = re.sub(r"(?i)</(p|h[2-4]|li|blockquote|tr)>", "\n\n", tekst)
    tekst = re.sub(r"<[^>]+>", "", tekst)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(tekst)).strip()


# --- forms ----------------------------------------------------------------------------------------


class BeslutningForm(forms.Form):
    """A council's decision as its minutes record it (seed 004: case number, decision, date)."""

    beslutning = forms.ChoiceField(
        label="Beslutning", choices=Beslutning.choices, widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        error_messages={"required": "Vælg godkendt, afvist eller udsat."},
        help_text="Vælg udsat, hvis sagen er udsat; den endelige beslutning registreres senere.",
    )
    dato = DatoFelt(label="Dato for beslutningen", error_messages={"required": "Angiv datoen for beslutningen."})
    sagsnummer = forms.CharField(label="Sagsnummer", max_length=60, required=False,
                                 help_text="Fx 21/7419, som i dagsordenen.")
    referat_url = forms.URLField(label="Link til referat", required=False, assume_scheme="https",
                                 help_text="Adressen på referatet på myndighedens hjemmeside.",
                                 error_messages={"invalid": "Skriv en gyldig adresse, fx https://www.aarhus.dk/..."})
    bemaerkning = forms.CharField(label="Bemærkning", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="Fx forbehold, eller hvorfor sagen er udsat.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("dato", timezone.localdate())


class HoeringssvarForm(forms.Form):
    tekst = forms.CharField(
        label="Høringssvar", widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Skriv et høringssvar."},
        help_text="Adskil afsnit med en tom linje.",
    )


class ImplementeringForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ImplementeringStatus.choices,
                               widget=forms.RadioSelect(attrs={"class": "form-radio"}),
                               error_messages={"required": "Vælg en status."})
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text="Fx hvad der er gjort, og hvad der mangler.")


class ProevehandlingForm(forms.Form):
    klynge = forms.ModelChoiceField(label="Klynge", queryset=Klynge.objects.none(), empty_label=None,
                                    error_messages={"required": "Vælg klyngen."})
    titel = forms.CharField(label="Titel", max_length=250, error_messages={"required": "Skriv en titel."})
    beskrivelse = forms.CharField(label="Beskrivelse", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    periode_fra = DatoFelt(label="Periode fra", required=False)
    periode_til = DatoFelt(label="Periode til", required=False)
    resultater = forms.CharField(label="Resultater", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text="Hvad viste prøvehandlingen? Resultaterne præsenteres for udvalget.")

    def __init__(self, *args, klynger, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klynge"].queryset = klynger


class PraesenteretForm(forms.Form):
    praesenteret_dato = DatoFelt(label="Præsenteret for udvalget den",
                                 error_messages={"required": "Angiv datoen for præsentationen."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("praesenteret_dato", timezone.localdate())


class StartAftaleForm(forms.Form):
    titel = forms.CharField(label="Titel på samarbejdsaftalen", max_length=250, required=False,
                            help_text="Lad feltet stå tomt for at bruge prøvehandlingens titel.")
