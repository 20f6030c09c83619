from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sundhed import views

handler400 = "sundhed.views.ugyldig_forespoergsel"
handler403 = "sundhed.views.forbudt"
handler404 = "sundhed.views.ikke_fundet"
handler500 = "sundhed.views.serverfejl"

urlpatterns = [
    path("", views.forside, name="forside"),
    path("tilgaengelighed/", views.tilgaengelighed, name="tilgaengelighed"),
    path("healthz", views.healthz, name="healthz"),
    path("log-ind/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("organisation.urls")),
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
