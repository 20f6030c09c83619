"""Staff pages for agreements, included under /arbejde/ in the "arbejde" namespace.

Three view modules: drafting and the lifecycle (views_redaktion), what the councils, clusters and
parties do (views_deltagere), and the agreement an agenda item concerns (views_moeder).
"""

from aftaler import views_deltagere, views_moeder, views_redaktion

urlpatterns = views_redaktion.urlpatterns + views_deltagere.urlpatterns + views_moeder.urlpatterns
