from django.urls import path

from organisation import views_arbejde, views_moeder

urlpatterns = [
    path("struktur/aendringer/", views_arbejde.aendringer, name="strukturaendringer"),
    path("struktur/aendringer/ny/", views_arbejde.ny, name="strukturaendring-ny"),
    path("struktur/aendringer/<int:pk>/", views_arbejde.aendring, name="strukturaendring"),
    path("moeder/", views_moeder.arbejde_liste, name="moeder"),
    path("moeder/ny/", views_moeder.arbejde_ny, name="moede-ny"),
    path("moeder/<int:pk>/", views_moeder.arbejde_moede, name="moede"),
    path("moeder/<int:pk>/rediger/", views_moeder.arbejde_rediger, name="moede-rediger"),
    path("moeder/<int:pk>/handling/", views_moeder.arbejde_handling, name="moede-handling"),
    path("moeder/<int:pk>/punkter/ny/", views_moeder.arbejde_punkt_ny, name="punkt-ny"),
    path("moeder/<int:pk>/punkter/<int:punkt>/", views_moeder.arbejde_punkt, name="punkt"),
    path("moeder/<int:pk>/punkter/<int:punkt>/flyt/", views_moeder.arbejde_punkt_flyt, name="punkt-flyt"),
    path("moeder/<int:pk>/punkter/<int:punkt>/slet/", views_moeder.arbejde_punkt_slet, name="punkt-slet"),
    path("moeder/<int:pk>/punkter/<int:punkt>/bilag/<int:bilag>/slet/", views_moeder.arbejde_bilag_slet,
         name="punktbilag-slet"),
]
