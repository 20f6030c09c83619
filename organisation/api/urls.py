from rest_framework.routers import SimpleRouter

from organisation.api import views

router = SimpleRouter()
router.register("parter", views.PartViewSet, basename="part")
router.register("klynger", views.KlyngeViewSet, basename="klynge")
router.register("fora", views.ForumViewSet, basename="forum")
urlpatterns = router.urls
