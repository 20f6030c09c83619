"""Forms of the structure's staff pages: the structure change, in steps that work without JavaScript."""

from __future__ import annotations

import datetime

from django import forms

from organisation.choices import ForumType
from organisation.models import Forum, Klynge
from organisation.strukturaendring import Afloesning
from sundhed.formularer import DkfdsForm

Organ = Forum | Klynge


def noegle(organ: Organ) -> str:
    """A body's key in the form: 'k12' for a cluster/area, 'f34' for a forum."""
    return f"{'k' if isinstance(organ, Klynge) else 'f'}{organ.pk}"


class DatoForm(DkfdsForm):
    """Step 1: the date the successors take over (the ending bodies end the day before)."""

    dato = forms.DateField(
        label="Ændringsdato", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Den første dag, efterfølgerne har ansvaret. De organer, der ophører, ophører dagen før.",
        error_messages={"required": "Angiv ændringsdatoen.", "invalid": "Skriv datoen som åååå-mm-dd."},
    )


class StrukturaendringForm(DkfdsForm):
    """Steps 2-4: the ending bodies, each one's successors, preview and run. The choices are the
    bodies in force the day before the date (that may end) and on the date (that may succeed)."""

    dato = forms.DateField(widget=forms.HiddenInput)
    beskrivelse = forms.CharField(
        label="Beskrivelse", max_length=300, required=False,
        help_text="Vises i listen over strukturændringer, fx «Sundhedsreformen 2027».",
    )
    ophoerer = forms.MultipleChoiceField(
        label="Organer, der ophører", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Vælg mindst ét organ, der ophører."},
    )

    def ophoerer_grupper(self) -> list[tuple[str, list]]:
        """The checkboxes of the ending bodies, in their groups: (group name, [bound checkbox, ...]). A page
        of about sixty bodies is read group by group (one fieldset each), not as one long list."""
        felt = self["ophoerer"]
        pr_vaerdi = {str(v.data["value"]): v for v in felt}
        return [(gruppe, [pr_vaerdi[str(vaerdi)] for vaerdi, _ in valg]) for gruppe, valg in felt.field.choices if valg]

    def __init__(self, *args, dato: datetime.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dato = dato
        sidste_dag = dato - datetime.timedelta(days=1)
        klynger = list(Klynge.objects.aktive(sidste_dag).filter(ophoer__isnull=True).order_by("navn"))
        fora = list(Forum.objects.aktive(sidste_dag).filter(ophoer__isnull=True).order_by("sortering", "navn"))
        self.organer: dict[str, Organ] = {noegle(o): o for o in [*klynger, *fora]}
        # Grouped as the page shows them (ophoerer_grupper): the clusters and areas, then the fora by kind
        # in the order of ForumType (the committee first, the councils last).
        pr_type: dict[str, list[tuple[str, str]]] = {}
        for f in fora:
            pr_type.setdefault(f.type, []).append((noegle(f), f"{f.navn} ({f.get_type_display().lower()})"))
        self.fields["ophoerer"].choices = [
            ("Klynger og områder", [(noegle(k), k.navn) for k in klynger]),
            *((ForumType(t).label, pr_type[t]) for t in ForumType.values if t in pr_type),
        ]
        self.kandidater: dict[str, Organ] = {
            noegle(o): o for o in [*Klynge.objects.aktive(dato).order_by("navn"),
                                   *Forum.objects.aktive(dato).order_by("sortering", "navn")]
        }
        valgte = self.data.getlist(self.add_prefix("ophoerer")) if self.is_bound else []
        self.efterfoelgerfelter: list[tuple[Organ, str]] = []
        for k in valgte:
            organ = self.organer.get(k)
            if organ is None:
                continue
            navn = f"efterfoelgere_{k}"
            self.fields[navn] = forms.MultipleChoiceField(
                label=f"Efterfølgere for {organ.navn}", required=False,
                choices=[(n, o.navn) for n, o in self.kandidater.items()
                         if type(o) is type(organ) and n not in valgte],
                help_text="Vælg et eller flere (hold Ctrl nede for flere). Intet valg: ophører uden efterfølger.",
                widget=forms.SelectMultiple(attrs={"size": 6, "class": "form-select"}),
            )
            self.efterfoelgerfelter.append((organ, navn))

    def afloesninger(self) -> list[Afloesning]:
        return [
            Afloesning(organ, tuple(self.kandidater[n] for n in self.cleaned_data.get(felt, [])))
            for organ, felt in self.efterfoelgerfelter
        ]
