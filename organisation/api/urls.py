from django.urls import path
from rest_framework.routers import SimpleRouter

from organisation.api import moeder, views

router = SimpleRouter()
router.register("parter", views.PartViewSet, basename="part")
router.register("klynger", views.KlyngeViewSet, basename="klynge")
router.register("fora", views.ForumViewSet, basename="forum")
urlpatterns = router.urls + [
    path("moeder/", moeder.MoedeListeView.as_view(), name="api-moede-liste"),
    path("moeder/<int:pk>/", moeder.MoedeDetaljeView.as_view(), name="api-moede-detalje"),
    # moeder/<id>/punkter/ is served by aftaler.api (the items' `aftale` and `udfald` need agreements).
    path("moeder/<int:pk>/overgange/", moeder.MoedeOvergangView.as_view(), name="api-moede-overgange"),
]
