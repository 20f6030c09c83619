"""The agreements' routes: `urlpatterns` for the public site (included at the root by sundhed/urls.py)
and `arbejde_urlpatterns` for the staff site (included under /arbejde/ in the "arbejde" namespace by
sundhed/arbejde_urls.py). DESIGN.md's contract: keep these paths and names exactly.

The views are grouped by resource in aftaler/views/, each module holding both sites' views of it.
"""

from django.urls import path

from aftaler import feeds, sitemaps
from aftaler.views import (
    aaben_data,
    aftaler,
    beslutninger,
    bilag,
    hoeringer,
    implementering,
    kommentarer,
    moeder,
    moedesystem,
    opgaver,
    overgange,
    proevehandlinger,
    soegning,
    versioner,
)

urlpatterns = [
    path("aftaler/", soegning.aftale_liste, name="aftale-liste"),
    path("aftaler.csv", aaben_data.aftaler_csv, name="aftaler-csv"),
    path("aftaler.json", aaben_data.aftaler_json, name="aftaler-json"),
    path("aftaler/<slug:slug>.pdf", aftaler.aftale_pdf, name="aftale-pdf"),
    path("aftaler/<slug:slug>/", aftaler.aftale_detalje, name="aftale-detalje"),
    path("aftaler/<slug:slug>/versioner/<int:nummer>/", versioner.aftale_version, name="aftale-version"),
    path("aftaler/<slug:slug>/sammenlign/", versioner.aftale_sammenlign_valg, name="aftale-sammenlign-valg"),
    path("aftaler/<slug:slug>/sammenlign/<int:a>/<int:b>/", versioner.aftale_sammenlign, name="aftale-sammenlign"),
    path("aftaler/<slug:slug>/bilag/<int:pk>/", bilag.aftale_bilag, name="aftale-bilag"),
    path("feeds/aftaler/", feeds.aftaler_feed, name="feed-aftaler"),
    path("feeds/klynger/<slug:slug>/", feeds.klynge_feed, name="feed-klynge"),
    path("sitemap.xml", sitemaps.sitemap_view, name="sitemap"),
]

arbejde_urlpatterns = [
    # 'Mine opgaver', the staff start page (/arbejde/).
    path("", opgaver.forside, name="forside"),
    # The agreements: list, create, overview, editor.
    path("aftaler/", aftaler.arbejde_liste, name="aftale-liste"),
    path("aftaler/ny/", aftaler.arbejde_ny, name="aftale-ny"),
    path("aftaler/<slug:slug>/", aftaler.arbejde_aftale, name="aftale"),
    path("aftaler/<slug:slug>/rediger/", aftaler.arbejde_rediger, name="aftale-rediger"),
    path("aftaler/<slug:slug>/bilag/", bilag.arbejde_bilag, name="aftale-bilag"),
    path("aftaler/<slug:slug>/bilag/<int:pk>/", bilag.arbejde_bilag_hent, name="bilag-hent"),
    path("aftaler/<slug:slug>/versioner/", versioner.arbejde_versioner, name="aftale-versioner"),
    path("aftaler/<slug:slug>/versioner/<int:nummer>/", versioner.arbejde_version, name="aftale-version"),
    path("aftaler/<slug:slug>/sammenlign/<int:a>/<int:b>/", versioner.arbejde_sammenlign, name="aftale-sammenlign"),
    # The lifecycle.
    path("aftaler/<slug:slug>/handling/<str:handling>/", overgange.aftale_handling, name="aftale-handling"),
    path("aftaler/<slug:slug>/behandling/", overgange.aftale_behandling, name="aftale-behandling"),
    path("aftaler/<slug:slug>/parter/", overgange.aftale_parter, name="aftale-parter"),
    # What the councils, clusters and parties do.
    path("aftaler/<slug:slug>/beslutning/<slug:part>/", beslutninger.beslutning_registrer,
         name="beslutning-registrer"),
    # The decision filled from the council's own meeting system (an export file or a FirstAgenda address).
    path("aftaler/<slug:slug>/beslutning/<slug:part>/moedesystem/", moedesystem.beslutning_moedesystem,
         name="beslutning-moedesystem"),
    path("aftaler/<slug:slug>/godkendelser/", beslutninger.godkendelser, name="godkendelser"),
    path("aftaler/<slug:slug>/hoering/<str:type>/<slug:afsender>/", hoeringer.hoering_svar, name="hoering-svar"),
    path("aftaler/<slug:slug>/hoeringssvar/", hoeringer.hoeringssvar_oversigt, name="hoeringssvar-oversigt"),
    path("aftaler/<slug:slug>/implementering/<slug:klynge>/", implementering.implementering_rediger,
         name="implementering-rediger"),
    path("implementering/", implementering.implementering_matrix, name="implementering-matrix"),
    path("proevehandlinger/", proevehandlinger.proevehandling_liste, name="proevehandling-liste"),
    path("proevehandlinger/ny/", proevehandlinger.proevehandling_ny, name="proevehandling-ny"),
    path("proevehandlinger/<slug:slug>/", proevehandlinger.proevehandling, name="proevehandling"),
    # The agreement an agenda item concerns (the item page is organisation's).
    path("moeder/<int:pk>/punkter/<int:punkt>/sag/", moeder.punkt_sag, name="punkt-sag"),
    # Comments on drafts, for the drafting audience only (aftaler.policies.kan_se_kommentarer).
    path("aftaler/<slug:slug>/kommentarer/", kommentarer.kommentarer_side, name="aftale-kommentarer"),
    path("aftaler/<slug:slug>/kommentarer/<int:pk>/behandlet/", kommentarer.kommentar_behandl,
         name="kommentar-behandl"),
]
