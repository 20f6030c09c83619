from django.urls import include, path

from sundhed import arbejde_views

app_name = "arbejde"
urlpatterns = [
    path("", arbejde_views.forside, name="forside"),
    path("rettigheder/", arbejde_views.rettigheder, name="rettigheder"),
]

urlpatterns += [path("", include("aftaler.arbejde_urls"))]
