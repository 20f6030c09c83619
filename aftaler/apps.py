from django.apps import AppConfig


class AftalerConfig(AppConfig):
    name = "aftaler"

    def ready(self) -> None:
        from aftaler import strukturaendring
        from organisation.strukturaendring import registrer_videreforsel

        registrer_videreforsel(strukturaendring.implementeringer)

        from aftaler import notifikationer
        from sundhed import abonnementer

        abonnementer.registrer("aftale", notifikationer.synlig_aftale)
