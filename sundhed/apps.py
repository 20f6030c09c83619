from django.apps import AppConfig


class SundhedConfig(AppConfig):
    name = "sundhed"
    verbose_name = "Portal"

    def ready(self) -> None:
        # Connects the sign-in's signal receivers: the session limits' start time, and revoking API
        # tokens when a password changes or an account is closed.
        from sundhed import konti, sikkerhed  # noqa: F401
