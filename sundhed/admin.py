from django.contrib import admin

from sundhed.models import Haendelse


@admin.register(Haendelse)
class HaendelseAdmin(admin.ModelAdmin):
    """The audit log is append-only: administrators may read it, never change it."""

    list_display = ["tidspunkt", "bruger", "handling", "objekt_type", "beskrivelse"]
    list_filter = ["handling", "objekt_type"]
    search_fields = ["beskrivelse", "objekt_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
