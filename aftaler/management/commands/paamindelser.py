"""`python manage.py paamindelser [--dato ÅÅÅÅ-MM-DD]`: the day's deadline reminders (beat runs the same
daily). Written to the outbox and delivered; running it twice on the same day sends nothing twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from aftaler import notifikationer
from sundhed import udbakke


class Command(BaseCommand):
    help = "Send dagens påmindelser om beslutningsfrister (7 dage før og dagen efter fristen)."

    def add_arguments(self, parser):
        parser.add_argument("--dato", help="Kør som om det var denne dato (ÅÅÅÅ-MM-DD).")

    def handle(self, *args, dato=None, **options):
        try:
            idag = datetime.date.fromisoformat(dato) if dato else None
        except ValueError as exc:
            raise CommandError("--dato skal skrives som ÅÅÅÅ-MM-DD.") from exc
        skrevet = notifikationer.paamindelser(idag=idag)
        leveret = udbakke.lever()
        self.stdout.write(f"Påmindelser: {skrevet} nye, {leveret} leveret.")
