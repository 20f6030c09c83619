from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "Organisation"

    def ready(self) -> None:
        # Clusters and fora are public: anyone logged in may follow one that exists (sundhed.abonnementer).
        from organisation.models import Forum, Klynge
        from sundhed import abonnementer

        abonnementer.registrer("klynge", lambda bruger, slug: Klynge.objects.filter(slug=slug).first())
        abonnementer.registrer("forum", lambda bruger, slug: Forum.objects.filter(slug=slug).first())
