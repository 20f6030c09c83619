"""`python manage.py drill [--antal 1000] [--udfald 60] [--kun nedbrud|to|redis]`: the outbox's reliability
drills (aftaler.drill), with their figures: events, delivered, lost, duplicated. Needs `redis-server` on
the PATH (each drill starts its own, on a free port) and, for meaningful figures, PostgreSQL
(DATABASE_URL); the outage drill needs the demo data (manage.py demo)."""

import logging

from django.core.management.base import BaseCommand

from aftaler import drill


class Command(BaseCommand):
    help = "Kør udbakkens pålidelighedsøvelser og skriv tallene: hændelser, leveret, tabt, dubletter."

    def add_arguments(self, parser):
        parser.add_argument("--antal", type=int, default=1000, help="Hændelser i de to første øvelser.")
        parser.add_argument("--udfald", type=float, default=60, help="Sekunder, Redis er stoppet.")
        parser.add_argument("--kun", choices=["nedbrud", "to", "redis"], help="Kør kun én øvelse.")

    def handle(self, *args, antal, udfald, kun, **options):
        # The outage is expected: keep its logged warnings (one per request) out of the figures.
        for navn in ("sundhed.tasks", "sundhed.cachesikker", "kombu", "celery", "redis"):
            logging.getLogger(navn).setLevel(logging.ERROR)
        resultater = []
        if kun in (None, "nedbrud"):
            resultater.append(drill.nedbrud(antal))
        if kun in (None, "to"):
            resultater.append(drill.to_arbejdere(antal))
        if kun in (None, "redis"):
            resultater.append(drill.redis_udfald(drill.web_skrivninger(), sekunder=udfald))
        fejl = False
        for tal in resultater:
            self.stdout.write(tal.linje())
            for note in tal.noter:
                self.stdout.write(f"  ({note})")
            fejl |= bool(tal.tabt or tal.dubletter or tal.serverfejl)
        if fejl:
            self.stderr.write("Øvelserne fandt tab, dubletter eller serverfejl.")
            raise SystemExit(1)
