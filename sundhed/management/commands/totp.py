"""`python manage.py totp <brugernavn>`: the current TOTP code of a user's authenticator (demo and tests)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sundhed import mfa


class Command(BaseCommand):
    help = ("Viser den engangskode, som brugerens godkendelsesapp viser lige nu (til demobrugerne: "
            "`python manage.py totp sekretariat`).")

    def add_arguments(self, parser):
        parser.add_argument("brugernavn")
        parser.add_argument(
            "--force", action="store_true",
            help="Vis koden også når DEBUG er slået fra (den giver adgang sammen med adgangskoden).",
        )

    def handle(self, *args, brugernavn: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Engangskoder vises kun, når DEBUG er slået til (demo). Brug --force, hvis du "
                               "alligevel vil se den.")
        bruger = get_user_model().objects.filter(username=brugernavn).first()
        enhed = mfa.totp_enhed(bruger) if bruger is not None else None
        if enhed is None:
            raise CommandError(f"Brugeren {brugernavn!r} findes ikke eller har ikke totrinsbekræftelse slået til.")
        self.stdout.write(mfa.kode_nu(enhed.key))
        self.stderr.write("Koden skifter hvert 30. sekund og kan bruges én gang.")
