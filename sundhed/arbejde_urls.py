from django.urls import include, path

from aftaler import views_opgaver
from sundhed import arbejde_views

# The URL root composes the apps (as sundhed/urls.py does): the one place in sundhed that names them.
app_name = "arbejde"
urlpatterns = [
    path("", views_opgaver.forside, name="forside"),
    path("rettigheder/", arbejde_views.rettigheder, name="rettigheder"),
]

urlpatterns += [path("", include("organisation.arbejde_urls")), path("", include("aftaler.arbejde_urls"))]
