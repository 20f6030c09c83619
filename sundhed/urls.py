from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sundhed import mfa_views, views

handler400 = "sundhed.views.ugyldig_forespoergsel"
handler403 = "sundhed.views.forbudt"
handler404 = "sundhed.views.ikke_fundet"
handler500 = "sundhed.views.serverfejl"

urlpatterns = [
    path("", views.forside, name="forside"),
    path("tilgaengelighed/", views.tilgaengelighed, name="tilgaengelighed"),
    path("healthz", views.healthz, name="healthz"),
    # The password sign-in and its second step (sundhed/mfa_views.py). The admin's own login form would
    # skip the second factor: it sends to this one.
    path("log-ind/", mfa_views.AdgangskodeLogin.as_view(), name="login"),
    path("log-ind/kode/", mfa_views.kode, name="login-kode"),
    path("log-ind/totp/", mfa_views.opret_ved_login, name="login-totp-opret"),
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("", include("organisation.urls")),
    # Single sign-on (404 when OIDC_* is unset) and the sign-out (/log-ud/, which also ends an SSO session).
    path("", include("organisation.sso_urls")),
    path("", include("aftaler.urls")),
    path("", include("indikatorer.urls")),
    path("arbejde/", include("sundhed.arbejde_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("sundhed.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script=): the
    # Content-Security-Policy allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
