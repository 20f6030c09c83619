from django.urls import include, path

from sundhed import mig_views
from sundhed.api_views import TokenView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("mig/", mig_views.MigView.as_view(), name="api-mig"),
    path("mig/notifikationer/", mig_views.NotifikationsvalgView.as_view(), name="api-mig-notifikationer"),
    path("mig/abonnementer/", mig_views.AbonnementerView.as_view(), name="api-mig-abonnementer"),
    path("", include("organisation.api.urls")),
    path("", include("aftaler.api.urls")),
    path("", include("indikatorer.api.urls")),
]
