from django.urls import path, re_path

from organisation import ical
from organisation.views import moeder, strukturaendringer

urlpatterns = [
    path("struktur/aendringer/", strukturaendringer.aendringer, name="strukturaendringer"),
    path("struktur/aendringer/ny/", strukturaendringer.ny, name="strukturaendring-ny"),
    path("struktur/aendringer/<int:pk>/", strukturaendringer.aendring, name="strukturaendring"),
    path("kalender/", moeder.kalender, name="kalender"),
    # Fetched by calendar apps without a session: the token is the credential (organisation/ical.py).
    re_path(r"^kalender/(?P<noegle>[A-Za-z0-9_-]{20,100})\.ics$", ical.personlig_ical, name="kalender-ics"),
    path("moeder/", moeder.arbejde_liste, name="moeder"),
    path("moeder/ny/", moeder.arbejde_ny, name="moede-ny"),
    path("moeder/<int:pk>/", moeder.arbejde_moede, name="moede"),
    path("moeder/<int:pk>/rediger/", moeder.arbejde_rediger, name="moede-rediger"),
    path("moeder/<int:pk>/handling/", moeder.arbejde_handling, name="moede-handling"),
    path("moeder/<int:pk>/punkter/ny/", moeder.arbejde_punkt_ny, name="punkt-ny"),
    path("moeder/<int:pk>/punkter/<int:punkt>/", moeder.arbejde_punkt, name="punkt"),
    path("moeder/<int:pk>/punkter/<int:punkt>/flyt/", moeder.arbejde_punkt_flyt, name="punkt-flyt"),
    path("moeder/<int:pk>/punkter/<int:punkt>/slet/", moeder.arbejde_punkt_slet, name="punkt-slet"),
    path("moeder/<int:pk>/punkter/<int:punkt>/bilag/<int:bilag>/slet/", moeder.arbejde_bilag_slet,
         name="punktbilag-slet"),
]
