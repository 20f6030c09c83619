"""Admin: indicators are edited here (through the service); measurements and batches are read-only,
since imports and rollbacks are the only ways data changes."""

from django.contrib import admin

from indikatorer import services
from indikatorer.models import Halvaarsrapport, ImportBatch, Indikator, Maaling
from sundhed.admin_base import RevideretModelAdmin


@admin.register(Indikator)
class IndikatorAdmin(RevideretModelAdmin):
    list_display = ["kode", "navn", "enhed", "retning", "frekvens", "aktiv", "sortering"]
    list_filter = ["frekvens", "retning", "aktiv"]
    search_fields = ["kode", "navn"]

    def save_model(self, request, obj, form, change):
        services.indikator_gem(indikator=obj, bruger=request.user)


class _KunLaes(RevideretModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(_KunLaes):
    """A batch a dead worker left "Venter" or "Kører" shows here (filter by status): resume or cancel it."""

    list_display = ["pk", "filnavn", "status", "kilde", "antal_raekker", "oprettet_af", "oprettet", "godkendt",
                    "afsluttet"]
    list_filter = ["status", "kilde", "syntetisk"]
    exclude = ["indhold"]
    actions = ["genoptag", "annuller"]

    def _koer(self, request, queryset, service, udfoert: str) -> None:
        from django.contrib import messages

        from sundhed.exceptions import DomainError

        for batch in queryset:
            try:
                service(batch=batch, bruger=request.user)
            except DomainError as fejl:
                self.message_user(request, f"{batch}: {fejl.message}", messages.ERROR)
            else:
                self.message_user(request, f"{batch}: {udfoert}")

    @admin.action(description="Genoptag hængende import")
    def genoptag(self, request, queryset):
        self._koer(request, queryset, services.import_genoptag, "sendt til baggrundsjobbet igen.")

    @admin.action(description="Annullér import (intet er gemt)")
    def annuller(self, request, queryset):
        self._koer(request, queryset, services.import_annuller, "annulleret.")


@admin.register(Maaling)
class MaalingAdmin(_KunLaes):
    list_display = ["indikator", "geografi_slug", "periode", "vaerdi", "syntetisk", "batch", "erstattet_af"]
    list_filter = ["geografi_type", "syntetisk", "indikator"]
    search_fields = ["geografi_slug", "periode", "indikator__kode"]
    list_select_related = ["indikator", "batch", "erstattet_af"]


@admin.register(Halvaarsrapport)
class HalvaarsrapportAdmin(_KunLaes):
    list_display = ["periode", "status", "sendt", "antal_modtagere"]
    exclude = ["pdf"]
