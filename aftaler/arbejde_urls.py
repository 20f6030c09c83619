"""Staff pages for agreements, included under /arbejde/ in the "arbejde" namespace.

Two view modules: drafting and the lifecycle (views_redaktion) and what the councils, clusters
and parties do (views_deltagere).
"""

from aftaler import views_deltagere, views_redaktion

urlpatterns = views_redaktion.urlpatterns + views_deltagere.urlpatterns
