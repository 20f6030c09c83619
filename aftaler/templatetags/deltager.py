"""Template helpers for the councils', clusters' and parties' pages, and the panels on the
agreement overview (templates/aftaler/arbejde/deltager_paneler.html)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.forms import BoundField

from aftaler import policies, selectors
from aftaler.choices import OFFENTLIGE_STATUS, Status
from aftaler.models import Hoeringssvar, Implementering, Samarbejdsaftale
from organisation.models import Klynge

register = template.Library()

_KLASSER = {"textarea": "form-input", "select": "form-select", "radioselect": "", "checkboxinput": "form-checkbox"}


@register.simple_tag
def dkfds_input(felt: BoundField, bredde: str = "") -> str:
    """The field's widget with DKFDS classes, and its hint and error tied to it for screen readers."""
    klasse = _KLASSER.get(felt.widget_type, "form-input")
    if bredde:
        klasse = f"{klasse} {bredde}".strip()
    beskrevet = [f"{felt.auto_id}-fejl"] if felt.errors else []
    if felt.help_text:
        beskrevet.append(f"{felt.auto_id}-hjaelp")
    attrs = {"class": klasse} if klasse else {}
    if beskrevet:
        attrs["aria-describedby"] = " ".join(beskrevet)
    if felt.errors:
        attrs["aria-invalid"] = "true"
    return felt.as_widget(attrs=attrs)


@register.filter
def beslutning_klasse(beslutning: str | None) -> str:
    """DKFDS badge variant for a decision; the text is always shown too (never colour alone)."""
    return {"godkendt": "badge-success", "afvist": "badge-error", "udsat": "badge-warning"}.get(beslutning or "",
                                                                                                "badge-info")


@register.filter
def implementering_klasse(status: str | None) -> str:
    return {"implementeret": "badge-success", "i_gang": "badge-info", "ikke_startet": "badge-warning"}.get(
        status or "", "")


@dataclass
class Partknap:
    part: object
    beslutning: object = None  # the final decision, when there is one


@dataclass
class Hoeringsknap:
    afsender: object
    type: str
    besvaret: bool = False


@dataclass
class Paneler:
    """What the agreement overview shows the current user about decisions, consultation and implementation."""

    fremdrift: selectors.Fremdrift | None = None
    beslutningsknapper: list[Partknap] = field(default_factory=list)
    hoeringsknapper: list[Hoeringsknap] = field(default_factory=list)
    se_hoeringssvar: bool = False
    antal_hoeringssvar: int = 0
    implementeringer: list[dict] = field(default_factory=list)
    tidligere_beslutninger: bool = False

    @property
    def tom(self) -> bool:
        return not (self.fremdrift or self.beslutningsknapper or self.hoeringsknapper or self.se_hoeringssvar
                    or self.implementeringer or self.tidligere_beslutninger)




@register.simple_tag(takes_context=True)
def deltager_paneler(context, aftale: Samarbejdsaftale) -> Paneler:
    """Compute the panels for `aftale` and the user of the request in the context."""
    request = context.get("request")
    user = request.user if request is not None else None
    p = Paneler()
    if user is None or not user.is_authenticated:
        return p
    if aftale.status in OFFENTLIGE_STATUS and aftale.aktuel_version_id:
        p.fremdrift = selectors.fremdrift(aftale)
        endelige = {ps.part.pk: ps.endelig for ps in p.fremdrift.parter}
        p.beslutningsknapper = [Partknap(part=part, beslutning=endelige.get(part.pk))
                                for part in policies.beslutningsparter(user, aftale)]
    else:
        p.tidligere_beslutninger = aftale.indstillet_dato is not None

    laeser_internt = policies.laeser_internt(user)
    svar = []
    if aftale.status == Status.HOERING or laeser_internt:
        svar = list(Hoeringssvar.objects.filter(version__aftale=aftale).values_list("version_id", "part_id",
                                                                                     "klynge_id"))
    p.se_hoeringssvar = laeser_internt and (aftale.status == Status.HOERING or bool(svar))
    p.antal_hoeringssvar = sum(1 for v, _p, _k in svar if v == aftale.aktuel_version_id)
    if aftale.status == Status.HOERING:
        besvaret = {("part", pa) for v, pa, _k in svar if pa and v == aftale.aktuel_version_id}
        besvaret |= {("klynge", k) for v, _p, k in svar if k and v == aftale.aktuel_version_id}
        for afsender in policies.hoeringsafsendere(user, aftale):
            type_ = "klynge" if afsender._meta.model_name == "klynge" else "part"
            p.hoeringsknapper.append(Hoeringsknap(afsender=afsender, type=type_,
                                                  besvaret=(type_, afsender.pk) in besvaret))

    if aftale.offentliggjort_version_id:
        # The areas in force today; a row carried over by a structure change names the one it continues.
        raekker = (Implementering.objects.filter(aftale=aftale, klynge__in=Klynge.objects.aktive())
                   .select_related("klynge", "forgaenger__klynge").order_by("klynge__navn"))
        for impl in raekker:
            p.implementeringer.append({
                "implementering": impl,
                "kan_redigere": policies.kan_registrere_implementering(user, aftale, impl.klynge),
            })
    return p
