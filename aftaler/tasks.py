"""Background work for agreements. Thin: load by id, do one thing, retry on failure."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone

from sundhed import dansk
from sundhed.text import en_linje


@shared_task
def aftale_aendret(aftale_id: int) -> None:
    """Mark the agreement changed (cached public pages key on this stamp) and re-index its public text."""
    from aftaler.tasks_offentlig import offentlig_opdater

    cache.set(f"aftale-aendret:{aftale_id}", timezone.now().isoformat(), None)
    offentlig_opdater(aftale_id)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def underret_om_overgang(self, overgang_id: int) -> int:
    """E-mail those who must act now: councils when an agreement awaits their decision or is in
    consultation, the secretariat when it has been approved."""
    from aftaler import selectors
    from aftaler.choices import Status
    from aftaler.models import Overgang
    from organisation.choices import ForumType, Rolle
    from organisation.models import Medlemskab

    overgang = Overgang.objects.select_related("aftale").filter(pk=overgang_id).first()
    if overgang is None:
        return 0
    aftale = overgang.aftale
    medlemskaber = Medlemskab.objects.aktive().select_related("person", "person__bruger")
    if overgang.til_status in (Status.INDSTILLET, Status.HOERING):
        parter = [p.pk for p in selectors.paakraevede_parter(aftale)]
        modtagere = medlemskaber.filter(
            rolle=Rolle.SEKRETAER, forum__type__in=[ForumType.KOMMUNALBESTYRELSE, ForumType.REGIONSRAAD],
            forum__part__in=parter,
        )
        emne = {
            Status.INDSTILLET: f"Til beslutning: {aftale.titel}",
            Status.HOERING: f"I høring: {aftale.titel}",
        }[overgang.til_status]
    elif overgang.til_status in (Status.GODKENDT, Status.I_KRAFT):
        modtagere = medlemskaber.filter(forum__type=ForumType.FAELLES_SEKRETARIAT)
        emne = f"{aftale.get_status_display()}: {aftale.titel}"
    else:
        return 0
    adresser = sorted({m.person.email or (m.person.bruger.email if m.person.bruger else "") for m in modtagere} - {""})
    if not adresser:
        return 0
    link = f"{settings.SITE_URL}{reverse('arbejde:aftale', args=[aftale.slug])}"
    frist = aftale.beslutningsfrist if overgang.til_status == Status.INDSTILLET else aftale.hoeringsfrist
    tekst = (
        f"Samarbejdsaftalen «{aftale.titel}» har nu status: {aftale.get_status_display()}.\n"
        + (f"Frist: {dansk.dato(frist)}.\n" if frist and overgang.til_status in (Status.INDSTILLET, Status.HOERING)
           else "")
        + f"\nSe aftalen: {link}\n\nVenlig hilsen\nFælles sekretariat for sundhedsaftalen"
    )
    return send_mass_mail([(_en_linje(emne), tekst, settings.DEFAULT_FROM_EMAIL, [a]) for a in adresser])


def _en_linje(emne: str) -> str:
    """A subject is one header line: a title with a line break (or a tab, or U+2028) would make
    Django refuse the whole batch (BadHeaderError) and lose every council's mail."""
    return en_linje(emne)
