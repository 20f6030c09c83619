from django.urls import path

from organisation import feeds, ical
from organisation.views import moeder, struktur

urlpatterns = [
    path("organisation/", struktur.organisation, name="organisation"),
    path("organisation/fora/<slug:slug>/", struktur.forum_detalje, name="forum-detalje"),
    path("organisation/fora/<slug:slug>/moeder/", moeder.forum_moeder, name="forum-moeder"),
    path("organisation/fora/<slug:slug>/moeder.ics", ical.forum_ical, name="forum-moeder-ical"),
    path("klynger/", struktur.klynge_liste, name="klynge-liste"),
    path("klynger/<slug:slug>/", struktur.klynge_detalje, name="klynge-detalje"),
    path("moeder/", moeder.moede_liste, name="moede-liste"),
    path("moeder/<int:pk>/", moeder.moede_detalje, name="moede-detalje"),
    path("moeder/<int:pk>.ics", ical.moede_ical, name="moede-ical"),
    path("moeder/<int:pk>/bilag/<int:bilag>/", moeder.moede_bilag, name="moede-bilag"),
    path("feeds/moeder/", feeds.MoedeFeed(), name="feed-moeder"),
]
