"""Public URLs of the agreements (DESIGN.md's contract: keep these paths exactly)."""

from django.urls import path

from aftaler import feeds, sitemaps
from aftaler import views_offentlig as views

urlpatterns = [
    path("aftaler/", views.aftale_liste, name="aftale-liste"),
    path("aftaler.csv", views.aftaler_csv, name="aftaler-csv"),
    path("aftaler.json", views.aftaler_json, name="aftaler-json"),
    path("aftaler/<slug:slug>.pdf", views.aftale_pdf, name="aftale-pdf"),
    path("aftaler/<slug:slug>/", views.aftale_detalje, name="aftale-detalje"),
    path("aftaler/<slug:slug>/versioner/<int:nummer>/", views.aftale_version, name="aftale-version"),
    path("aftaler/<slug:slug>/sammenlign/", views.aftale_sammenlign_valg, name="aftale-sammenlign-valg"),
    path("aftaler/<slug:slug>/sammenlign/<int:a>/<int:b>/", views.aftale_sammenlign, name="aftale-sammenlign"),
    path("aftaler/<slug:slug>/bilag/<int:pk>/", views.aftale_bilag, name="aftale-bilag"),
    path("feeds/aftaler/", feeds.aftaler_feed, name="feed-aftaler"),
    path("feeds/klynger/<slug:slug>/", feeds.klynge_feed, name="feed-klynge"),
    path("sitemap.xml", sitemaps.sitemap_view, name="sitemap"),
]
