from django.apps import AppConfig


class AftalerConfig(AppConfig):
    name = "aftaler"

    def ready(self) -> None:
        from aftaler import strukturaendring
        from organisation.strukturaendring import registrer_videreforsel

        registrer_videreforsel(strukturaendring.implementeringer)
