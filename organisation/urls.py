from django.urls import path

from organisation import feeds, ical, views, views_moeder

urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/fora/<slug:slug>/", views.forum_detalje, name="forum-detalje"),
    path("organisation/fora/<slug:slug>/moeder/", views_moeder.forum_moeder, name="forum-moeder"),
    path("organisation/fora/<slug:slug>/moeder.ics", ical.forum_ical, name="forum-moeder-ical"),
    path("klynger/", views.klynge_liste, name="klynge-liste"),
    path("klynger/<slug:slug>/", views.klynge_detalje, name="klynge-detalje"),
    path("moeder/", views_moeder.moede_liste, name="moede-liste"),
    path("moeder/<int:pk>/", views_moeder.moede_detalje, name="moede-detalje"),
    path("moeder/<int:pk>.ics", ical.moede_ical, name="moede-ical"),
    path("moeder/<int:pk>/bilag/<int:bilag>/", views_moeder.moede_bilag, name="moede-bilag"),
    path("feeds/moeder/", feeds.MoedeFeed(), name="feed-moeder"),
]
