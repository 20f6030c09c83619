from django.conf import settings


def portal(request):
    return {"PORTAL_NAVN": settings.PORTAL_NAVN}
