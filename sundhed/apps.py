from django.apps import AppConfig


class SundhedConfig(AppConfig):
    name = "sundhed"
    verbose_name = "Portal"

    def ready(self) -> None:
        # Connects the sign-in's signal receivers: the session limits' start time, and revoking API
        # tokens when a password changes or an account is closed; and the audit trail's: sign-ins,
        # sign-outs, failed sign-ins and the admin's changes (sundhed.revision).
        from sundhed import konti, revision, sikkerhed  # noqa: F401
