"""Admin: indicators are edited here (through the service); measurements and batches are read-only,
since imports and rollbacks are the only ways data changes."""

from django.contrib import admin

from indikatorer import services
from indikatorer.models import Halvaarsrapport, ImportBatch, Indikator, Maaling


@admin.register(Indikator)
class IndikatorAdmin(admin.ModelAdmin):
    list_display = ["kode", "navn", "enhed", "retning", "frekvens", "aktiv", "sortering"]
    list_filter = ["frekvens", "retning", "aktiv"]
    search_fields = ["kode", "navn"]

    def save_model(self, request, obj, form, change):
        services.indikator_gem(indikator=obj, bruger=request.user)


class _KunLaes(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(_KunLaes):
    list_display = ["pk", "filnavn", "status", "kilde", "antal_raekker", "oprettet_af", "oprettet", "afsluttet"]
    list_filter = ["status", "kilde", "syntetisk"]
    exclude = ["indhold"]


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
