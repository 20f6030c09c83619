"""Settings for the portal: one module, every value from the environment (see README).

Embedded default (no variables set): SQLite file, no broker (Celery tasks run in-process
after commit), e-mail to the console, DEBUG on. Production sets SECRET_KEY, DEBUG=0,
DATABASE_URL and REDIS_URL.
"""

import datetime
import os
import tempfile
import urllib.parse
import warnings
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from whitenoise.compress import Compressor

from sundhed.env import ImproperlyConfiguredEnv, env_bool, env_email, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfiguredEnv("SECRET_KEY skal sættes, når DEBUG er slået fra.")
    SECRET_KEY = "kun-til-udvikling-ikke-hemmelig"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "axes",
    # The second factor (sundhed/mfa.py): TOTP devices, and static devices for the recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sundhed",
    "organisation",
    "aftaler",
    "indikatorer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request's address and browser for the audit rows written while answering it; logs refusals.
    "sundhed.kilde.KildeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Ends idle (30 min) and old (12 h) sessions; after auth and messages, which it uses.
    "sundhed.sikkerhed.SessionsgraenseMiddleware",
    # Turns a locked-out sign-in (HTML form or token endpoint) into the Danish lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sundhed.urls"
WSGI_APPLICATION = "sundhed.wsgi.application"
ASGI_APPLICATION = "sundhed.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sundhed.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or anything dj-database-url reads) via DATABASE_URL.
DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
                                                  conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            # A file, not shared-cache memory, for the test database: concurrent writers in the tests
            # then queue on SQLite's lock (busy timeout) instead of failing with "table is locked".
            "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"sundhed-test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account and source before the password is even checked.
    "sundhed.sikkerhed.SpaerreBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "arbejde:forside"
LOGOUT_REDIRECT_URL = "forside"
ANONYMOUS_USER_NAME = None  # guardian: anonymous users get no object permissions

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# Django's Danish formats, with the clock as Danish writes it ("kl. 14.30"): sundhed/formats/da/formats.py.
FORMAT_MODULE_PATH = ["sundhed.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# WhiteNoise serves collected files in production; in development and tests the directory need not exist.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Source maps are fetched only by a developer's browser tools: compressing them (gzip and brotli, the
# Swagger UI and ReDoc maps are megabytes) took a third of collectstatic's time in the image build.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

# Cache: Redis when configured (shared by every web container), else per-process memory.
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss"))
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis broker when REDIS_URL is set; otherwise tasks run eagerly (in-process),
# and sundhed.tasks.enqueue only calls them after the surrounding transaction commits.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# A message not acknowledged within the visibility timeout is delivered again: it must outlast the
# longest task (an indicator import, a report PDF: minutes), or a slow task would run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60)}
CELERY_TASK_TIME_LIMIT = 60 * 60
# Notifications (sundhed.udbakke): the hour of the daily digest, and how long a row may stay "sender"
# before the sweeper takes it to belong to a dead worker (longer than one mail's sending).
NOTIFIKATION_SAMMENDRAG_TIME = env_int("NOTIFIKATION_SAMMENDRAG_TIME", 7)
UDBAKKE_OPTAGET_SEKUNDER = env_int("UDBAKKE_OPTAGET_SEKUNDER", 300)
CELERY_BEAT_SCHEDULE = {
    "medlemskaber-synkroniser": {
        "task": "organisation.tasks.synkroniser_rettigheder",
        "schedule": 60 * 60,
    },
    "udbakke-fej": {"task": "sundhed.tasks.udbakke_fej", "schedule": 60},
    "udbakke-sammendrag": {
        "task": "sundhed.tasks.udbakke_sammendrag",
        "schedule": crontab(hour=NOTIFIKATION_SAMMENDRAG_TIME, minute=0),
    },
    "paamindelser": {"task": "aftaler.tasks.paamindelser", "schedule": crontab(hour=6, minute=30)},
    "soegeindeks-synkroniser": {"task": "aftaler.tasks_offentlig.indeks_synkroniser_opgave", "schedule": 10 * 60},
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if not env_str("EMAIL_HOST") else
    "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Where the file backend (django.core.mail.backends.filebased.EmailBackend) writes mail: the
# production rehearsal (scripts/prod_rehearsal.py) reads the worker's mail there.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "")
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend" and not EMAIL_FILE_PATH:
    raise ImproperlyConfiguredEnv("EMAIL_FILE_PATH skal sættes, når EMAIL_BACKEND er den filbaserede.")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sundhedssamarbejdet@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sundhed.sikkerhed.UdloebendeTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "sundhed.api.Sidedeling",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "sundhed.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sundhedssamarbejdet i Region Midtjylland – API",
    "DESCRIPTION": "Struktur, samarbejdsaftaler og indikatorer. Fejl returneres som JSON med danske beskeder.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI files come from the drf-spectacular-sidecar package: nothing loads from the web.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # drf-spectacular's own hook, then ours: every operation that takes a body documents its 415 (sundhed.api).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "sundhed.api.dokumenter_415"],
    # Several models have a `type`/`status` field; name their enums after the choices classes.
    "ENUM_NAME_OVERRIDES": {
        "PartTypeEnum": "organisation.choices.PartType",
        "ForumTypeEnum": "organisation.choices.ForumType",
        "RolleEnum": "organisation.choices.Rolle",
        "AftaleStatusEnum": "aftaler.choices.Status",
        "BeslutningEnum": "aftaler.choices.Beslutning",
        "ImplementeringStatusEnum": "aftaler.choices.ImplementeringStatus",
        "LeveringEnum": "sundhed.models.Levering",
    },
}

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# TLS ends in front of the containers (the organisation's proxy or load balancer), which says with
# X-Forwarded-Proto whether the browser used HTTPS. Trusted only when BAG_PROXY says such a proxy is in
# front and overwrites the header: reached directly, anyone could send it and pass for HTTPS.
BAG_PROXY = env_bool("BAG_PROXY", False)
if BAG_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS goes out on HTTPS requests only. One hour by default in production: a broken certificate or
# proxy is then undone within the hour; raise it to a year (31536000) once HTTPS is known to work.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# In production behind a proxy that reports the scheme, a plain http:// request is sent to https:// by
# the application too. Without one the application cannot tell HTTPS from HTTP (every request looks
# like HTTP), so redirecting is the TLS terminator's job. The health check (plain HTTP from inside the
# container) stays exempt.
# Empty (compose passes it so) means the default.
SECURE_SSL_REDIRECT = (env_bool("SECURE_SSL_REDIRECT") if env_str("SECURE_SSL_REDIRECT").strip()
                       else BAG_PROXY and not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SILENCED_SYSTEM_CHECKS = [
    # includeSubDomains and preload bind every host under the portal's domain, and preload is close to
    # irreversible: the domain's owner decides (SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD).
    "security.W005",
    "security.W021",
]
if not BAG_PROXY:
    # No proxy reports the scheme, so the application cannot redirect to HTTPS (see above).
    SILENCED_SYSTEM_CHECKS.append("security.W008")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The portal's own Danish page (JSON under /api/) instead of Django's English one.
CSRF_FAILURE_VIEW = "sundhed.views.csrf_fejl"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles and everything else from the portal's own origin
# only, so no inline <script> or style="" (the templates load static files; htmx's own indicator styles
# are off, see base.html). Images also as data: URIs (the empty favicon, Swagger UI's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Sign-in and sessions (ASVS V6/V7, sundhed/sikkerhed.py). A session ends after SESSION_INAKTIV_MINUTTER
# without a request and SESSION_MAKS_TIMER after the sign-in, whatever happens in between.
SESSION_INAKTIV_MINUTTER = env_int("SESSION_INAKTIV_MINUTTER", 30)
SESSION_MAKS_TIMER = env_int("SESSION_MAKS_TIMER", 12)
SESSION_COOKIE_AGE = SESSION_MAKS_TIMER * 60 * 60
# API tokens expire this many days after they were issued; the owner sees and revokes them at /arbejde/tokens/.
API_TOKEN_DAGE = env_int("API_TOKEN_DAGE", 30)
# Lockout (django-axes): after LOGIN_FORSOEG failed sign-ins for one account from one address (the HTML
# form and the token endpoint count together) that pair is refused for LOGIN_SPAERRING_MINUTTER. Never
# global: the same account from another address, and other accounts, still sign in. Administrators unlock
# in /admin/ (Adgangsforsøg) or with `manage.py axes_reset_username <brugernavn>`.
AXES_FAILURE_LIMIT = env_int("LOGIN_FORSOEG", 10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_SPAERRING_MINUTTER", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "sundhed.sikkerhed.klient_ip"
AXES_LOCKOUT_CALLABLE = "sundhed.sikkerhed.spaerret_svar"
AXES_SENSITIVE_PARAMETERS = ["password", "token", "kode"]
# The second factor (sundhed/mfa.py): TOTP codes of the previous, current and next 30 seconds are taken,
# each once; the accepted window does not follow a device's drift (a fixed window is easier to reason
# about). Wrong codes in a row make the next try wait (django-otp's throttling, 1, 2, 4 ... seconds) and
# count as failed sign-ins toward the lockout above. The admin shows no secrets.
OTP_TOTP_SYNC = False
OTP_TOTP_ISSUER = "Sundhedssamarbejdet Midtjylland"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AXES_VERBOSE = False  # no banner on every manage.py command

# Single sign-on with OpenID Connect (mozilla-django-oidc; organisation/sso.py): on when the organisation's
# identity provider (a broker in front of MitID Erhverv, a municipality's own login) and this portal's client
# are configured, off when every OIDC_* variable is unset; half a configuration stops the start-up. A person
# is matched by the claim OIDC_BRUGER_CLAIM ("sub" by default) against Person.sso_id, never by e-mail, and
# no account is ever created: powers still come only from memberships.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID").strip()
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET").strip()
_OIDC_SKEMAER = ("https",) if not DEBUG else ("https", "http")  # plain HTTP only for a local test provider
OIDC_OP_AUTHORIZATION_ENDPOINT = env_url("OIDC_OP_AUTHORIZATION_ENDPOINT", _OIDC_SKEMAER)
OIDC_OP_TOKEN_ENDPOINT = env_url("OIDC_OP_TOKEN_ENDPOINT", _OIDC_SKEMAER)
OIDC_OP_USER_ENDPOINT = env_url("OIDC_OP_USER_ENDPOINT", _OIDC_SKEMAER)
OIDC_OP_JWKS_ENDPOINT = env_url("OIDC_OP_JWKS_ENDPOINT", _OIDC_SKEMAER)
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256").strip() or "RS256"
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid").strip() or "openid"
OIDC_BRUGER_CLAIM = env_str("OIDC_BRUGER_CLAIM", "sub").strip() or "sub"
OIDC_UDBYDER_NAVN = env_str("OIDC_UDBYDER_NAVN").strip()
# The provider's end_session_endpoint (optional): signing out of the portal after a sign-in through the
# organisation then ends the session at the provider too (RP-initiated logout, organisation/views/sso.py).
OIDC_OP_LOGOUT_ENDPOINT = env_url("OIDC_OP_LOGOUT_ENDPOINT", _OIDC_SKEMAER)
_OIDC_KRAEVET = {
    "OIDC_RP_CLIENT_ID": OIDC_RP_CLIENT_ID, "OIDC_RP_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT, "OIDC_OP_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
    "OIDC_OP_USER_ENDPOINT": OIDC_OP_USER_ENDPOINT, "OIDC_OP_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
}
OIDC_SLAAET_TIL = all(_OIDC_KRAEVET.values())
if any(_OIDC_KRAEVET.values()) and not OIDC_SLAAET_TIL:
    raise ImproperlyConfiguredEnv("Log ind med OpenID Connect kræver også " + ", ".join(
        navn for navn, vaerdi in _OIDC_KRAEVET.items() if not vaerdi) + ".")
if OIDC_SLAAET_TIL and OIDC_OP_LOGOUT_ENDPOINT:
    # The sign-out is a form (POST /log-ud/) whose answer redirects to the provider: browsers hold such a
    # redirect to the form-action directive, so the provider's origin is allowed there, and nothing more.
    _udbyder = urllib.parse.urlsplit(OIDC_OP_LOGOUT_ENDPOINT)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = [SELF, f"{_udbyder.scheme}://{_udbyder.netloc}"]
if OIDC_SLAAET_TIL:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "organisation.sso.SsoBackend"]
    # The callback's sign-in has no username: django-axes must not count it (organisation/sso.py says why).
    AXES_WHITELIST_CALLABLE = "organisation.sso.axes_undtaget"
OIDC_CREATE_USER = False  # an unknown person gets organisation's Danish page, never an account
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # kept in the session as the logout's id_token_hint
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)  # seconds for each call to the provider (token, keys, userinfo)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Eager tasks in the embedded default would log every success; keep Celery to warnings.
    "loggers": {"celery": {"level": "WARNING"}},
}

PORTAL_NAVN = "Sundhedssamarbejdet i Region Midtjylland"

# The accessibility statement (/tilgaengelighed/): the direct contact the law requires, and the
# statement as published on Digitaliseringsstyrelsen's WAS tool (was.digst.dk) once it is there.
TILGAENGELIGHED_EMAIL = env_email("TILGAENGELIGHED_EMAIL")
TILGAENGELIGHED_WAS_URL = env_url("TILGAENGELIGHED_WAS_URL", ("https",))
