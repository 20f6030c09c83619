from django.urls import path

from organisation import views

urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/fora/<slug:slug>/", views.forum_detalje, name="forum-detalje"),
    path("klynger/", views.klynge_liste, name="klynge-liste"),
    path("klynger/<slug:slug>/", views.klynge_detalje, name="klynge-detalje"),
]
