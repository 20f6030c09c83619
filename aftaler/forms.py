"""Forms of the staff pages for drafting agreements and running their lifecycle.

Forms only check and convert input; the views hand `cleaned_data` to a service, which decides
(and refuses with a Danish DomainError naming the field). Nothing here saves.
"""

import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape, linebreaks

from aftaler import kommentarer, policies, selectors
from aftaler.choices import Omfang, Oprindelse, Status, Udfald
from aftaler.models import Indsatsomraade, Proevehandling, Samarbejdsaftale
from aftaler.workflow import Overgangsregel
from organisation.choices import PartType
from organisation.models import Forum, Klynge, Part
from sundhed.formularer import DkfdsForm

TEKST_HJAELP = (
    "Teksten gemmes som HTML. Værktøjslinjen formaterer den for dig. Uden JavaScript skriver du enten "
    "almindelig tekst (en tom linje giver et nyt afsnit) eller HTML, fx <h2>Overskrift</h2>, "
    "<p>Afsnit</p> og <ul><li>Punkt</li></ul>. Tilladt er overskrifter "
    "(h2–h4), afsnit, lister, fed, kursiv, understregning, citater, tabeller og links (http, https, mailto); "
    "alt andet fjernes, når du gemmer."
)

_HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z]")


class DatoInput(forms.DateInput):
    """The browser's date field; the value travels as ÅÅÅÅ-MM-DD whatever the locale shows."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def tekst_som_html(tekst: str) -> str:
    """Plain text typed without the editor becomes paragraphs; HTML is left for the service to clean."""
    tekst = (tekst or "").strip()
    if not tekst or _HTML_TAG.search(tekst):
        return tekst
    return linebreaks(escape(tekst))


class ProevehandlingValg(forms.ModelChoiceField):
    def label_from_instance(self, obj: Proevehandling) -> str:
        return f"{obj.titel} ({obj.klynge.navn})"


class AftaleDetaljerForm(DkfdsForm):
    """The agreement's details, shared by the create form and the editor."""

    titel = forms.CharField(label="Titel", max_length=250, widget=forms.TextInput(attrs={"class": "felt-bred"}))
    resume = forms.CharField(label="Resumé", required=False,
                             widget=forms.Textarea(attrs={"rows": 3, "class": "felt-bred"}),
                             help_text="Et kort resumé til oversigter og den offentlige side.")
    maalgruppe = forms.CharField(label="Målgruppe", required=False,
                                 widget=forms.Textarea(attrs={"rows": 2, "class": "felt-bred"}))
    indsatsomraade = forms.ModelChoiceField(
        label="Indsatsområde", required=False, empty_label="Intet indsatsområde",
        queryset=Indsatsomraade.objects.order_by("sundhedsaftale", "sortering", "navn"),
    )
    ejer_forum = forms.ModelChoiceField(label="Ejer (forum)", queryset=Forum.objects.none(), required=False,
                                        empty_label="Ingen ejende gruppe (sekretariatet)",
                                        help_text="Gruppen, der skriver og ejer aftalen.")
    omfang = forms.ChoiceField(label="Omfang", choices=Omfang.choices, initial=Omfang.REGIONAL)
    klynge = forms.ModelChoiceField(label="Klynge", required=False, queryset=Klynge.objects.none(),
                                    empty_label="Ingen (regional aftale)",
                                    help_text="Kun for lokale aftaler: den klynge, aftalen gælder.")
    oprindelse = forms.ChoiceField(label="Oprindelse", choices=Oprindelse.choices, initial=Oprindelse.BESTILLING)
    oprindelse_reference = forms.CharField(
        label="Reference", max_length=300, required=False, widget=forms.TextInput(attrs={"class": "felt-bred"}),
        help_text="Fx mødet og punktet, hvor udvalget bestilte aftalen.",
    )
    proevehandling = ProevehandlingValg(
        label="Prøvehandling", required=False, empty_label="Ingen prøvehandling",
        queryset=Proevehandling.objects.select_related("klynge").order_by("titel"),
        help_text="Den prøvehandling i en klynge, aftalen udspringer af.",
    )

    DETALJEFELTER = ("titel", "resume", "maalgruppe", "indsatsomraade", "ejer_forum", "omfang", "klynge",
                     "oprindelse", "oprindelse_reference", "proevehandling")

    def __init__(self, *args, bruger, aftale=None, **kwargs):
        super().__init__(*args, **kwargs)
        felt = self.fields["ejer_forum"]
        felt.queryset = policies.ejer_fora(bruger, aftale.ejer_forum if aftale else None)
        if not policies.redigerer_alle_aftaler(bruger):
            # A group member drafts for their own group (or, on a cluster's political level, a local agreement).
            felt.required = not policies.kan_redigere_lokale_aftaler(bruger)
            felt.empty_label = "Vælg gruppe" if felt.required else "Ingen ejende gruppe (klyngens lokale aftale)"
            egne = list(felt.queryset[:2])
            if aftale is None and felt.required and len(egne) == 1:
                felt.initial = egne[0]  # a member of one group drafts for that group
        klynger = Klynge.objects.aktive()
        if aftale is not None and aftale.klynge_id:
            klynger = Klynge.objects.filter(Q(pk__in=klynger.values("pk")) | Q(pk=aftale.klynge_id))
        self.fields["klynge"].queryset = klynger.order_by("navn")

    def detaljer(self) -> dict:
        """The cleaned details, as the services' keyword arguments."""
        return {navn: self.cleaned_data[navn] for navn in self.DETALJEFELTER}


class AftaleOpretForm(AftaleDetaljerForm):
    tekst = forms.CharField(label="Aftaletekst", required=False,
                            widget=forms.Textarea(attrs={"rows": 16, "data-editor": "squire"}),
                            help_text=TEKST_HJAELP)

    def clean_tekst(self) -> str:
        return tekst_som_html(self.cleaned_data["tekst"])


class AftaleRedigerForm(AftaleOpretForm):
    aendringsnote = forms.CharField(label="Ændringsnote", max_length=500, required=False,
                                    widget=forms.TextInput(attrs={"class": "felt-bred"}),
                                    help_text="Hvad er ændret, og hvorfor? Vises i versionshistorikken.")
    ny_version = forms.BooleanField(
        label="Gem som ny version", required=False,
        help_text="Den nuværende version bevares uændret i versionshistorikken, og dine ændringer bliver en ny "
                  "version. Ellers gemmes ændringerne i den nuværende version, så længe den ikke er frosset.")
    # The agreement's revision when the editor was opened: a save carrying an older one is stale.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class BilagForm(DkfdsForm):
    fil = forms.FileField(
        label="Fil", help_text="PDF, Word (DOCX) eller Excel (XLSX), højst 20 MB. Filtypen kontrolleres ud fra "
                               "indholdet, ikke navnet.",
        widget=forms.FileInput(attrs={
            "accept": ".pdf,.docx,.xlsx,application/pdf,"
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }),
    )
    titel = forms.CharField(label="Titel", max_length=250, required=False,
                            help_text="Valgfri; ellers bruges filnavnet.")


class OvergangForm(DkfdsForm):
    """The fields an action of the lifecycle table asks for (Overgangsregel.felter); others are removed."""

    hoeringsfrist = forms.DateField(label="Høringsfrist", widget=DatoInput,
                                    help_text="Sidste dag for høringssvar fra klynger og myndigheder.")
    forum = forms.ModelChoiceField(label="Indstillende forum", queryset=Forum.objects.none(),
                                   help_text="Forummet, der har indstillet aftalen til godkendelse.")
    dato = forms.DateField(label="Dato for indstillingen", widget=DatoInput)
    beslutningsfrist = forms.DateField(
        label="Frist for beslutninger", widget=DatoInput,
        help_text="Kommunalbestyrelserne og regionsrådet skal have besluttet senest denne dag.",
    )
    ikrafttraedelse = forms.DateField(label="Ikrafttrædelse", widget=DatoInput)
    revisionsdato = forms.DateField(label="Revisionsdato", widget=DatoInput, required=False,
                                    help_text="Valgfri: hvornår aftalen skal revideres.")
    note = forms.CharField(label="Note", required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "class": "felt-bred"}),
                           help_text="Gemmes i aftalens historik.")

    def __init__(self, *args, regel: Overgangsregel, aftale, **kwargs):
        super().__init__(*args, **kwargs)
        for navn in list(self.fields):
            if navn not in regel.felter:
                del self.fields[navn]
        if "forum" in self.fields:
            # Only bodies that recommend on some date are offered; the service checks the chosen date
            # (a recommendation may be recorded after the body that made it has ended).
            self.fields["forum"].queryset = selectors.mulige_indstillere(aftale)
            self.fields["forum"].initial = selectors.indstillende_fora(aftale).first()
            self.fields["forum"].error_messages["invalid_choice"] = (
                "Vælg det forum, der indstiller aftalen (for en lokal aftale også klyngens politiske niveau "
                "eller sundhedsrådet).")
        if "dato" in self.fields:
            self.fields["dato"].initial = timezone.localdate()

    def data_til_service(self) -> dict:
        """The cleaned fields as keyword arguments of services.aftale_overgang (note separately)."""
        return {navn: vaerdi for navn, vaerdi in self.cleaned_data.items() if navn != "note"}


class BehandlingForm(DkfdsForm):
    forum = forms.ModelChoiceField(label="Forum", queryset=Forum.objects.none())
    dato = forms.DateField(label="Dato", widget=DatoInput)
    udfald = forms.ChoiceField(label="Udfald", choices=[("", "Vælg udfald"), *Udfald.choices])
    note = forms.CharField(label="Note", required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "class": "felt-bred"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = Forum.objects.aktive().order_by("sortering", "navn")
        self.fields["dato"].initial = timezone.localdate()


class ParterForm(DkfdsForm):
    parter = forms.ModelMultipleChoiceField(
        label="Ekstra godkendende parter", required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        queryset=Part.objects.none(),
        help_text="Kommunerne og regionen skal altid godkende. Vælg de parter, der også skal godkende, "
                  "fx PLO-Midtjylland.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parter"].queryset = (
            Part.objects.aktive().exclude(type__in=[PartType.KOMMUNE, PartType.REGION]).order_by("type", "navn")
        )


class SammenlignForm(forms.Form):
    """Two version numbers to compare (a GET form on the version history)."""

    a = forms.TypedChoiceField(label="Fra version", coerce=int)
    b = forms.TypedChoiceField(label="Til version", coerce=int)

    def __init__(self, *args, numre: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        valg = [(n, f"Version {n}") for n in numre]
        for navn in ("a", "b"):
            self.fields[navn].choices = valg
            self.fields[navn].widget.attrs["class"] = "form-select"
        if len(numre) >= 2:
            self.fields["a"].initial, self.fields["b"].initial = numre[-2], numre[-1]


class KommentarForm(DkfdsForm):
    """Comment and optional quote; the service checks both (lengths, the quote in the text) and names
    the field at fault, so a refused comment comes back with everything typed."""

    tekst = forms.CharField(label="Kommentar", strip=False, error_messages={"required": "Skriv en kommentar."},
                            widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=f"Højst {kommentarer.TEKST_MAKS:,} tegn.".replace(",", "."))
    citat = forms.CharField(label="Citat fra teksten", required=False, strip=False,
                            widget=forms.Textarea(attrs={"rows": 2, "data-kommentar-citat": ""}),
                            help_text="Det stykke af aftaleteksten, kommentaren handler om. Kopiér det fra teksten; "
                                      "markerer du tekst i aftaleteksten, udfyldes feltet.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_kommentar_%s")
        super().__init__(*args, **kwargs)


class PunktSagForm(DkfdsForm):
    aftale = forms.ModelChoiceField(label="Aftale", queryset=Samarbejdsaftale.objects.none(), to_field_name="slug",
                                    empty_label="Vælg aftale",
                                    error_messages={"required": "Vælg den aftale, punktet handler om.",
                                                    "invalid_choice": "Vælg den aftale, punktet handler om."})
    udfald = forms.ChoiceField(label="Udfald", required=False,
                               choices=[("", "Intet udfald endnu (punktet knyttes kun til aftalen)"), *Udfald.choices],
                               help_text="Anbefaler det indstillende forum aftalen, er det indstillingen til rådene.")
    beslutningsfrist = forms.DateField(label="Frist for rådenes beslutninger", required=False, widget=DatoInput,
                                       help_text="Kun når det indstillende forum anbefaler aftalen.")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, bruger, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aftale"].queryset = policies.synlige_aftaler(
            bruger, Samarbejdsaftale.objects.exclude(status=Status.OPHAEVET)).order_by("titel")
