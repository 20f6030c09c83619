"""Django admin for the structure. Saves and deletes go through organisation.services."""

from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from organisation import services
from organisation.models import Dagsordenpunkt, Forum, Klynge, Medlemskab, Moede, Part, Person


class ServiceAdmin(admin.ModelAdmin):
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
    list_filter = [GyldighedFilter]
    filter_horizontal = ["kommuner"]
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
    list_display = ["forum", "dato", "titel"]
    list_filter = ["forum__type"]
    inlines = [DagsordenpunktInline]
    autocomplete_fields = ["forum"]
