"""Django admin for the structure. Saves and deletes go through organisation.services."""

from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from organisation import services
from organisation.models import (
    Dagsordenpunkt,
    Forum,
    Indstillingsret,
    Klynge,
    Medlemskab,
    Moede,
    Ophoer,
    Part,
    Person,
    Strukturaendring,
)
from sundhed.admin_base import RevideretModelAdmin


class ServiceAdmin(RevideretModelAdmin):
    """Admin whose writes are the services' writes: validated, audited, permissions re-synced."""

    def save_model(self, request, obj, form, change):
        services.struktur_gem(obj=obj, bruger=request.user)

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields are written through the service, so they get their audit row too.
        for navn, vaerdi in form.cleaned_data.items():
            if navn in {f.name for f in form.instance._meta.many_to_many}:
                services.struktur_m2m_gem(obj=form.instance, felt=navn, vaerdier=list(vaerdi), bruger=request.user)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            services.struktur_gem(obj=obj, bruger=request.user)
        for obj in formset.deleted_objects:
            services.struktur_slet(obj=obj, bruger=request.user)

    def delete_model(self, request, obj):
        services.struktur_slet(obj=obj, bruger=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.struktur_slet(obj=obj, bruger=request.user)


class GyldighedFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("aktiv", "Aktiv"), ("arkiveret", "Arkiveret")]

    def queryset(self, request, queryset):
        if self.value() == "aktiv":
            return queryset.aktive()
        if self.value() == "arkiveret":
            return queryset.arkiverede()
        return queryset


@admin.register(Part)
class PartAdmin(ServiceAdmin, GuardedModelAdmin):
    list_display = ["navn", "slug", "type", "valid_from", "valid_to"]
    list_filter = ["type", GyldighedFilter]
    search_fields = ["navn", "slug"]
    prepopulated_fields = {"slug": ["navn"]}


@admin.register(Klynge)
class KlyngeAdmin(ServiceAdmin, GuardedModelAdmin):
    list_display = ["navn", "slug", "akuthospital", "valid_from", "valid_to"]
    list_filter = ["art", GyldighedFilter]
    filter_horizontal = ["kommuner", "efterfoelgere"]
    prepopulated_fields = {"slug": ["navn"]}


class MedlemskabInline(admin.TabularInline):
    model = Medlemskab
    extra = 0
    autocomplete_fields = ["person", "repraesenterer"]


@admin.register(Forum)
class ForumAdmin(ServiceAdmin, GuardedModelAdmin):
    list_display = ["navn", "type", "klynge", "part", "valid_from", "valid_to"]
    list_filter = ["type", "klynge", GyldighedFilter]
    search_fields = ["navn", "slug"]
    prepopulated_fields = {"slug": ["navn"]}
    inlines = [MedlemskabInline]
    list_select_related = ["klynge", "part"]
    filter_horizontal = ["efterfoelgere"]


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    list_display = ["navn", "titel", "part", "bruger"]
    search_fields = ["navn", "titel"]
    list_select_related = ["part", "bruger"]
    raw_id_fields = ["bruger"]


@admin.register(Medlemskab)
class MedlemskabAdmin(ServiceAdmin):
    list_display = ["person", "forum", "rolle", "repraesenterer", "valid_from", "valid_to"]
    list_filter = ["rolle", "forum__type", GyldighedFilter]
    search_fields = ["person__navn", "forum__navn"]
    autocomplete_fields = ["person", "forum", "repraesenterer"]
    list_select_related = ["person", "forum", "repraesenterer"]


class DagsordenpunktInline(admin.StackedInline):
    model = Dagsordenpunkt
    extra = 0


@admin.register(Moede)
class MoedeAdmin(ServiceAdmin):
    """Meetings are planned under /arbejde/moeder/ (organisation.moeder_services); the admin shows them,
    and its saves still go through the structure service. State and sequence change only by the services."""

    list_display = ["forum", "start", "titel", "status"]
    list_filter = ["status", "forum__type"]
    inlines = [DagsordenpunktInline]
    autocomplete_fields = ["forum"]
    readonly_fields = ["status", "sekvens", "dagsorden_offentliggjort", "referat_offentliggjort", "oprettet",
                       "opdateret"]
    list_select_related = ["forum"]


@admin.register(Indstillingsret)
class IndstillingsretAdmin(ServiceAdmin):
    """Which forum recommends agreements to the councils, from when to when (after the 2027 reform:
    the body the administrator names)."""

    list_display = ["forum", "valid_from", "valid_to"]
    autocomplete_fields = ["forum"]
    list_select_related = ["forum"]


class OphoerInline(admin.TabularInline):
    model = Ophoer
    extra = 0
    fields = ["forum", "klynge", "efterfoelgere"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Strukturaendring)
class StrukturaendringAdmin(RevideretModelAdmin):
    """Read-only: a structure change is run from /arbejde/struktur/aendringer/ny/ and never edited."""

    list_display = ["beskrivelse", "dato", "udfoert", "udfoert_af_navn"]
    readonly_fields = ["dato", "beskrivelse", "udfoert", "udfoert_af", "udfoert_af_navn", "plan"]
    inlines = [OphoerInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
