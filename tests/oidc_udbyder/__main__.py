"""`python -m tests.oidc_udbyder PORT`: migrate a fresh database, create the client and people, serve."""

import os
import sys


def main() -> None:
    port = int(sys.argv[1])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_udbyder.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0, interactive=False)
    for navn, person in settings.PERSONER.items():
        get_user_model().objects.create_user(username=navn, password=person["adgangskode"])
    application = get_application_model()
    klient = settings.KLIENT
    application.objects.create(
        name="Portalen", client_id=klient["client_id"], client_secret=klient["client_secret"],
        client_type=application.CLIENT_CONFIDENTIAL, authorization_grant_type=application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=klient["redirect_uri"], post_logout_redirect_uris=klient.get("post_logout_redirect_uri", ""),
        skip_authorization=True, algorithm=application.RS256_ALGORITHM,
    )
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
