from django.urls import path, re_path

from indikatorer import views

_HALVAAR = r"(?P<periode>\d{4}H[12])"

# Fixed paths before "<kode>": 'import' and 'rapport' are reserved and can never be indicator codes.
urlpatterns = [
    path("indikatorer/", views.oversigt, name="indikator-liste"),
    path("indikatorer/rapport/", views.rapport_liste, name="rapport-liste"),
    re_path(rf"^indikatorer/rapport/{_HALVAAR}/$", views.rapport_side, name="rapport"),
    re_path(rf"^indikatorer/rapport/{_HALVAAR}\.pdf$", views.rapport_pdf, name="rapport-pdf"),
    re_path(rf"^indikatorer/rapport/{_HALVAAR}/udsendt\.pdf$", views.rapport_udsendt_pdf, name="rapport-udsendt"),
    path("indikatorer/import/", views.import_upload, name="import"),
    path("indikatorer/import/<int:pk>/", views.import_preview, name="import-preview"),
    path("indikatorer/import/<int:pk>/godkend/", views.import_godkend, name="import-godkend"),
    path("indikatorer/import/<int:pk>/annuller/", views.import_annuller, name="import-annuller"),
    path("indikatorer/import/koersler/", views.batch_liste, name="import-batches"),
    path("indikatorer/import/koersler/<int:pk>/", views.batch_detalje, name="import-batch"),
    path("indikatorer/import/koersler/<int:pk>/tilbagerul/", views.batch_tilbagerul, name="import-tilbagerul"),
    path("indikatorer/<slug:kode>/", views.detalje, name="indikator-detalje"),
    path("klynger/<slug:slug>/arbejde/", views.arbejdsrum, name="klynge-arbejde"),
    path("klynger/<slug:slug>/arbejde/maal/<int:pk>/", views.lokalt_maal_rediger, name="klynge-lokalt-maal"),
    path("indikatorer/<slug:kode>/data.csv", views.csv_download, name="indikator-csv"),
]
