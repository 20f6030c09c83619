"""`python manage.py demo`: load the real structure, example agreements and demo users (DESIGN.md)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

# Each app's loader, in dependency order: later loaders build on the structure the first one loads.
# A loader is `indlaes(*, stdout=None) -> None` and must be idempotent.
LOADERS = [
    "organisation.demo.indlaes",
    "aftaler.demo.indlaes",
    "indikatorer.demo.indlaes",
    "organisation.demo.reform",  # the 2027 structure change, once the rows it carries over exist
]


class Command(BaseCommand):
    help = "Indlæser demodata: Region Midtjyllands struktur, eksempler og demobrugere (adgangskode 'demo')."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Indlæs også når DEBUG er slået fra (demobrugerne har en kendt adgangskode).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demodata indlæses kun, når DEBUG er slået til: demobrugerne har adgangskoden 'demo'. "
                "Brug --force, hvis du alligevel vil indlæse dem."
            )
        start = time.monotonic()
        # All or nothing: a loader that fails leaves the database as it was.
        with transaction.atomic():
            for sti in LOADERS:
                import_string(sti)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(
            f"Demodata er indlæst ({len(LOADERS)} indlæser{'e' if len(LOADERS) != 1 else ''}, "
            f"{time.monotonic() - start:.1f} s). Demobrugerne har adgangskoden 'demo'."
        ))
