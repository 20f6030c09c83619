"""`python manage.py soegeindeks`: rebuild the public search index (aftaler.search) from scratch."""

import time

from django.core.management.base import BaseCommand

from aftaler import search


class Command(BaseCommand):
    help = "Genopbygger søgeindekset for de offentlige samarbejdsaftaler."

    def add_arguments(self, parser):
        parser.add_argument("--kun-aendrede", action="store_true",
                            help="Indekser kun aftaler, der er ændret siden sidst (i stedet for alle).")

    def handle(self, *args, **options):
        start = time.monotonic()
        if options["kun_aendrede"]:
            antal = search.indeks_synkroniser()
        else:
            antal = search.indeks_genopbyg()
        motor = "PostgreSQL, dansk fuldtekstsøgning" if search.er_postgres() else "SQLite, foldet tekst"
        self.stdout.write(self.style.SUCCESS(
            f"Søgeindeks: {antal} aftale{'r' if antal != 1 else ''} indekseret ({motor}) "
            f"på {time.monotonic() - start:.1f} s."))
