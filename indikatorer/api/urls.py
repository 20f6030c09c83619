from django.urls import path

from indikatorer.api import views

_liste = views.IndikatorViewSet.as_view({"get": "list"})
_detalje = views.IndikatorViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path("indikatorer/", _liste, name="api-indikator-liste"),
    path("indikatorer/import/", views.ImportView.as_view(), name="api-import"),
    path("indikatorer/import/<int:pk>/", views.ImportStatus.as_view(), name="api-import-status"),
    path("indikatorer/<slug:kode>/", _detalje, name="api-indikator-detalje"),
    path("indikatorer/<slug:kode>/maalinger/", views.MaalingListe.as_view(), name="api-indikator-maalinger"),
    path("klynger/<slug:slug>/maal/", views.LokaleMaalListe.as_view(), name="api-lokale-maal"),
    path("klynger/<slug:slug>/maal/<int:pk>/", views.LokaltMaalDetalje.as_view(), name="api-lokalt-maal"),
]
