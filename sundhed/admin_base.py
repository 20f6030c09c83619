"""What every admin on the site shares: a bulk deletion goes into the audit log (sundhed.revision).

Django's admin logs each change as a LogEntry, and sundhed.revision mirrors each one into sundhed.Haendelse
when it is saved (post_save). The entries of a bulk deletion (the action "Slet valgte ...") are written with
one bulk_create, which sends no post_save; ModelAdmin.log_deletions (Django 5.1+), the admin's hook that
logs deletions before they happen, hands them to revision.admin_sletninger_spejl instead.

- The project's own admins derive from RevideretModelAdmin (organisation's also from guardian's
  GuardedModelAdmin, after it), or put RevisionMixin before a third-party admin they extend (sundhed.admin's
  BrugerAdmin on auth's UserAdmin).
- The admins other apps registered before sundhed (auth's groups, DRF's tokens, django-axes, django-otp;
  INSTALLED_APPS lists them first) are registered again with RevisionMixin at the end of sundhed.admin
  (`revider_registrerede`), their own behaviour unchanged.

tests/sundhed/test_admin_base.py checks that every admin on the site has the mixin.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin

from sundhed import revision


class RevisionMixin:
    """A ModelAdmin whose bulk deletions are mirrored into the audit log too (put it first among the bases)."""

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        revision.admin_sletninger_spejl(entries)
        return entries


class RevideretModelAdmin(RevisionMixin, admin.ModelAdmin):
    """The base of the project's admins (instead of admin.ModelAdmin)."""


def revider_registrerede(site: admin.AdminSite = admin.site) -> None:
    """Register every admin on `site` that lacks RevisionMixin again, as a subclass with it first."""
    for model in apps.get_models():
        if not site.is_registered(model):
            continue
        klasse = type(site.get_model_admin(model))
        if issubclass(klasse, RevisionMixin):
            continue
        site.unregister(model)
        site.register(model, type(klasse.__name__, (RevisionMixin, klasse), {
            "__module__": __name__, "__doc__": klasse.__doc__,
        }))
