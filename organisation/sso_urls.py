"""Single sign-on's addresses. They always resolve (so `reverse` works whatever the settings were when
the URLconf was first imported), and answer 404 unless settings.OIDC_* configure SSO (organisation/sso.py)."""

from django.http import Http404
from django.urls import path
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from organisation import sso
from organisation.views import sso as sso_views


def kun_med_sso(visning):
    """The view when single sign-on is on; 404, as for an address that does not exist, when it is off."""

    def indpakket(request, *args, **kwargs):
        if not sso.slaaet_til():
            raise Http404
        return visning(request, *args, **kwargs)

    return indpakket


# mozilla-django-oidc's two views under the names it reverses; its logout view is not used: the portal's
# own /log-ud/ (here, always on) ends the session, and after a sign-in through the organisation the
# provider's too.
urlpatterns = [
    path("log-ud/", sso_views.LogUd.as_view(), name="logout"),
    path("oidc/authenticate/", kun_med_sso(OIDCAuthenticationRequestView.as_view()),
         name="oidc_authentication_init"),
    path("oidc/callback/", kun_med_sso(sso_views.SsoCallback.as_view()), name="oidc_authentication_callback"),
    path("log-ind/ukendt/", kun_med_sso(sso_views.sso_ukendt), name="sso-ukendt"),
]
