from django.urls import include, path

from sundhed.api_views import TokenView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("", include("organisation.api.urls")),
    path("", include("aftaler.api.urls")),
    path("", include("indikatorer.api.urls")),
]
