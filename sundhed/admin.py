from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from sundhed import services, udbakke
from sundhed.admin_base import RevideretModelAdmin, RevisionMixin, revider_registrerede
from sundhed.models import Abonnement, Haendelse, Udbakke


@admin.register(Haendelse)
class HaendelseAdmin(RevideretModelAdmin):
    """The audit log is append-only: administrators may read it, never change it (the database refuses too,
    migration 0004). The portal's own page with filters and CSV is /arbejde/revision/ (sundhed.revision)."""

    list_display = ["tidspunkt", "bruger_navn", "bruger", "handling", "objekt_type", "beskrivelse", "ip"]
    list_filter = ["handling", "objekt_type"]
    search_fields = ["beskrivelse", "objekt_id", "bruger_navn", "ip"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Udbakke)
class UdbakkeAdmin(RevideretModelAdmin):
    """The outbox: what waits, what failed (with its error) and who could not be reached. Rows are
    written by services and delivered by the worker; an administrator may only ask for a retry now."""

    list_display = ["oprettet", "slags", "tilstand", "levering", "modtager_navn", "modtager_email", "objekt_navn",
                    "forsoeg", "naeste_forsoeg", "sendt", "sidste_fejl"]
    list_filter = ["tilstand", "kanal", "levering", "slags"]
    search_fields = ["modtager_email", "modtager_navn", "objekt_navn", "noegle"]
    readonly_fields = [f.name for f in Udbakke._meta.fields]
    actions = ["proev_igen"]

    @admin.action(description="Prøv igen nu")
    def proev_igen(self, request, queryset):
        antal = udbakke.proev_igen(queryset)
        self.message_user(request, f"{antal} række(r) forsøges leveret igen nu.")
        from sundhed import tasks

        tasks.send_sikkert(tasks.lever_udbakke)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Abonnement)
class AbonnementAdmin(RevideretModelAdmin):
    list_display = ["bruger", "objekt_type", "slug", "oprettet"]
    list_filter = ["objekt_type"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class BrugerAdmin(RevisionMixin, UserAdmin):
    """Users are deactivated, not deleted, once they have recorded anything: their decisions,
    transitions and audit rows refer to them with PROTECT, and the delete page then lists those
    rows instead of deleting. Deleting, deactivating and reactivating go into the audit log."""

    def save_model(self, request, obj, form, change):
        if change and "is_active" in form.changed_data:
            skift = services.bruger_genaktiver if obj.is_active else services.bruger_deaktiver
            skift(bruger=request.user, konto=obj)
        else:
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        services.bruger_slet(bruger=request.user, konto=obj)

    def delete_queryset(self, request, queryset):
        for konto in queryset:
            services.bruger_slet(bruger=request.user, konto=konto)

    def get_deleted_objects(self, objs, request):
        """The delete page refuses what cannot be deleted; one's own account is among it (the audit row
        of a deletion names who deleted)."""
        slettes, antal, mangler, beskyttede = super().get_deleted_objects(objs, request)
        if any(konto.pk == request.user.pk for konto in objs):
            beskyttede = [*beskyttede, f"Din egen bruger ({request.user.get_username()}) kan du ikke slette."]
        if beskyttede:
            # Django counts the protected rows' models as lacking delete permission (nobody may delete
            # audit rows) and would say that instead; nothing is deleted either way, so say what protects.
            mangler = set()
        return slettes, antal, mangler, beskyttede


# The admins the apps before this one registered (auth's groups, DRF's tokens, django-axes, django-otp) get
# the audit log's bulk deletions too (sundhed.admin_base); the project's own admins derive from it.
revider_registrerede()
