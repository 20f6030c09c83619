"""Staff pages for councils, clusters and parties: consultation answers, decisions, implementation, pilots."""

urlpatterns = []
