"""Settings of the test provider: everything from the environment that fixtures.py sets."""

import json
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SECRET_KEY = "kun-til-test-af-oidc"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.oidc_udbyder.urls"
USE_TZ = True
LANGUAGE_CODE = "da"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [os.path.join(os.path.dirname(__file__), "templates")],
    "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["UDBYDER_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # test users only
LOGIN_URL = "/log-ind/"

# The portal and the provider both live on 127.0.0.1 (other ports): cookies do not tell ports apart, so the
# provider's cookies have names of their own and the two sessions do not overwrite each other.
SESSION_COOKIE_NAME = "udbyder_session"
CSRF_COOKIE_NAME = "udbyder_csrftoken"

_noegle = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _noegle.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption(),
    ).decode(),
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "OpenID Connect", "profile": "Profil", "email": "E-mail"},
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_udbyder.validator.Validator",
    # The portal's sign-out ends the session here too (RP-initiated logout), without asking again when the
    # ID token it sends is this session's.
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
}

# {"brugernavn": {"adgangskode": "...", "claims": {"sub": "...", ...}}}: the people this provider knows.
PERSONER = json.loads(os.environ.get("UDBYDER_PERSONER", "{}"))
# {"client_id": ..., "client_secret": ..., "redirect_uri": ..., "post_logout_redirect_uri": ...}: the portal as
# this provider's client.
KLIENT = json.loads(os.environ.get("UDBYDER_KLIENT", "{}"))
