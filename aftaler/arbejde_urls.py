from django.urls import path

from aftaler import arbejde_views as v

# Included under the "arbejde" namespace (sundhed/arbejde_urls.py).
urlpatterns = [
    path("<slug:slug>/", v.aftale, name="aftale"),
]
