"""/api/v1/aftaler/...: the agreement API (the paths are part of the contract in DESIGN.md)."""

from django.urls import path

from aftaler.api import kommentarer, moeder, views

urlpatterns = [
    path("aftaler/", views.AftaleListeView.as_view(), name="api-aftale-liste"),
    path("aftaler/<slug:slug>/", views.AftaleDetaljeView.as_view(), name="api-aftale-detalje"),
    path("aftaler/<slug:slug>/versioner/", views.VersionListeView.as_view(), name="api-aftale-versioner"),
    path("aftaler/<slug:slug>/versioner/<int:nummer>/", views.VersionDetaljeView.as_view(),
         name="api-aftale-version"),
    path("aftaler/<slug:slug>/overgange/", views.OvergangView.as_view(), name="api-aftale-overgange"),
    path("aftaler/<slug:slug>/godkendelser/", views.GodkendelseView.as_view(), name="api-aftale-godkendelser"),
    path("aftaler/<slug:slug>/implementering/", views.ImplementeringListeView.as_view(),
         name="api-aftale-implementeringer"),
    path("aftaler/<slug:slug>/implementering/<slug:klynge>/", views.ImplementeringView.as_view(),
         name="api-aftale-implementering"),
    path("aftaler/<slug:slug>/behandlinger/", views.BehandlingView.as_view(), name="api-aftale-behandlinger"),
    path("aftaler/<slug:slug>/hoeringssvar/", views.HoeringssvarView.as_view(), name="api-aftale-hoeringssvar"),
    path("aftaler/<slug:slug>/kommentarer/", kommentarer.KommentarListeView.as_view(),
         name="api-aftale-kommentarer"),
    # A meeting's items with the agreement each concerns: served here, since organisation never imports aftaler.
    path("moeder/<int:pk>/punkter/", moeder.SagPunktListeView.as_view(), name="api-moede-punkter"),
]
