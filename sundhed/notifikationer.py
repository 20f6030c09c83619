"""How a notification is written and sent. Who hears what is decided by each app's own module
(aftaler.notifikationer: an agreement's transitions; indikatorer.notifikationer: the half-year
report), which hands this module its recipients and the templates of its texts.

A text is two Django templates, `<skabelon>_emne.txt` (the subject) and `<skabelon>_tekst.txt` (the
body), plain text (the templates turn autoescaping off). They are rendered in Danish whatever
language is active, since a Celery worker has no request; dates go into the context already written
by sundhed.dansk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation

from sundhed import dansk
from sundhed.text import en_linje


@dataclass(frozen=True)
class Modtager:
    """One person who hears of an event: where the mail goes, and who that is (the person and the
    user account, when known), so that a person's own choices can be applied to them later."""

    email: str
    navn: str = ""
    person_id: int | None = None
    bruger_id: int | None = None


@dataclass(frozen=True)
class Besked:
    """A rendered notification: a one-line subject and a plain-text body."""

    emne: str
    tekst: str


def modtagere_fra(medlemskaber: Iterable, *, uden_adresse: bool = False) -> list[Modtager]:
    """The recipients behind memberships (with `person` and `person__bruger` joined): the person's own
    address, else their user account's; one per address, sorted by address; no address, no mail. With
    `uden_adresse`, those without an address follow (one per person, by name, `email` empty): the
    outbox lists them for the secretariat as unreachable instead of skipping them silently."""
    pr_adresse: dict[str, Modtager] = {}
    uden: dict[int, Modtager] = {}
    for m in medlemskaber:
        person = m.person
        bruger = person.bruger
        email = person.email or (bruger.email if bruger else "")
        if email and email not in pr_adresse:
            pr_adresse[email] = Modtager(email=email, navn=person.navn, person_id=person.pk,
                                         bruger_id=bruger.pk if bruger else None)
        elif not email and uden_adresse:
            uden[person.pk] = Modtager(email="", navn=person.navn, person_id=person.pk,
                                       bruger_id=bruger.pk if bruger else None)
    return [pr_adresse[email] for email in sorted(pr_adresse)] + sorted(uden.values(), key=lambda m: m.navn)


def skriv(skabelon: str, kontekst: dict) -> Besked:
    """Render `<skabelon>_emne.txt` and `<skabelon>_tekst.txt`. The subject is made one header line:
    a title with a line break (or a tab, or U+2028) would make Django refuse the whole batch
    (BadHeaderError) and lose every recipient's mail."""
    with translation.override(dansk.SPROG):
        emne = render_to_string(f"{skabelon}_emne.txt", kontekst)
        tekst = render_to_string(f"{skabelon}_tekst.txt", kontekst)
    return Besked(emne=en_linje(emne), tekst=tekst.strip())


def send(modtagere: Iterable[Modtager], besked: Besked) -> int:
    """One mail per recipient, so no one sees the others' addresses, over one connection; returns
    how many were sent. An SMTP failure is raised (an OSError) for the calling task to retry."""
    return send_mass_mail([(besked.emne, besked.tekst, settings.DEFAULT_FROM_EMAIL, [m.email]) for m in modtagere])
