"""The staff site under /arbejde/, in the "arbejde" namespace: the URL root that composes the apps' staff
routes, as sundhed/urls.py does for the public site.

The one import of a feature app in sundhed is here (pyproject.toml's import contract names it): a
namespace is included once, so aftaler's staff routes, which also hold the start page 'Mine opgaver',
are included as its list `aftaler.urls.arbejde_urlpatterns` rather than by the module's name.
"""

from django.urls import include, path

from aftaler import urls as aftaler_urls
from sundhed import arbejde_views, konti_views, mfa_views, mig_views, revision_views, udbakke_views

app_name = "arbejde"
urlpatterns = [
    path("rettigheder/", arbejde_views.rettigheder, name="rettigheder"),
    path("notifikationer/", mig_views.notifikationer, name="notifikationer"),
    path("notifikationer/uden-adresse/", udbakke_views.uden_adresse, name="udbakke-uden-adresse"),
    path("abonnementer/", mig_views.abonnement, name="abonnement"),
    path("tokens/", konti_views.api_noegler, name="api-noegler"),
    path("revision/", revision_views.revisionsspor, name="revision"),
    path("revision/csv", revision_views.revisionsspor_csv, name="revision-csv"),
    path("sikkerhed/", mfa_views.sikkerhed_side, name="sikkerhed"),
    path("sikkerhed/totp/", mfa_views.sikkerhed_opret, name="sikkerhed-totp"),
    path("sikkerhed/gendannelseskoder/", mfa_views.gendannelseskoder, name="gendannelseskoder"),
    path("sikkerhed/fjern/", mfa_views.sikkerhed_fjern, name="sikkerhed-fjern"),
    path("", include("organisation.arbejde_urls")),
    path("", include(aftaler_urls.arbejde_urlpatterns)),
]
