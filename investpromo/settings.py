"""Django settings. Environments differ only through environment variables."""

import os
from pathlib import Path

import dj_database_url
from csp import constants as csp

from investpromo.core.secret_key import key_file, load_or_create_secret_key

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("INVESTPROMO_DATA_DIR", PROJECT_DIR / "data"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DJANGO_DEBUG", False)
# No key is written in the code, where anyone could read it and forge sessions: without
# DJANGO_SECRET_KEY one is made at the first start and kept in the data folder, readable by its
# owner only (`investpromo check --deploy` says where; the README says how to rotate it).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
INVESTPROMO_SECRET_KEY_FILE = None if SECRET_KEY else key_file(DATA_DIR)
SECRET_KEY = SECRET_KEY or load_or_create_secret_key(DATA_DIR)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "investpromo.core",
    "investpromo.accounts",
    "investpromo.geo",
    "investpromo.sectors",
    "investpromo.orgs",
    "investpromo.events",
    "investpromo.projects",
    "investpromo.integrity",
    "investpromo.jobs",
    "investpromo.imports",
    "investpromo.followup",
    "investpromo.reports",
    "investpromo.participants",
    "investpromo.matchmaking",
    "investpromo.scheduling",
    "investpromo.demo",
    "investpromo.web",
    "investpromo.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "investpromo.urls"
WSGI_APPLICATION = "investpromo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'investpromo.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default lives in the checkout's data folder, which a fresh clone lacks.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the dashboard read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
# WhiteNoise also serves straight from the apps and node_modules, so pages never depend on
# `collectstatic` having run (tests, a first start); the empty folder keeps it from warning.
WHITENOISE_USE_FINDERS = _env_bool("WHITENOISE_USE_FINDERS", True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [p for p in [PROJECT_DIR / "node_modules" / "echarts" / "dist"] if p.exists()]
MEDIA_ROOT = DATA_DIR / "media"

# Nothing that must be shared between processes or servers is kept in the cache (sign-in attempts
# and jobs are in the database), so each process's own memory will do; INVESTPROMO_CACHE_URL
# (redis://, rediss:// or unix://; needs the redis package) shares one Redis server instead.
CACHE_URL = os.environ.get("INVESTPROMO_CACHE_URL", "").strip()
# Proxies whose X-Forwarded-For names the client (for sign-in limits per address): addresses or
# networks, comma-separated; empty trusts none and uses the connection's own address.
INVESTPROMO_TRUSTED_PROXIES = os.environ.get("INVESTPROMO_TRUSTED_PROXIES", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Long work runs as tasks of the database queue (django-tasks with its ORM backend): no server
# beyond the database, and every app server and worker sharing it sees every job.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("INVESTPROMO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}
# A file job runs in a child process of the worker with these limits ("inline" runs it in the
# worker itself: for tests and debugging only).
INVESTPROMO_JOB_ISOLATION = os.environ.get("INVESTPROMO_JOB_ISOLATION", "process")
INVESTPROMO_JOB_MAX_MEMORY = int(os.environ.get("INVESTPROMO_JOB_MAX_MEMORY", str(1 << 30)))
INVESTPROMO_JOB_MAX_SECONDS = int(os.environ.get("INVESTPROMO_JOB_MAX_SECONDS", "600"))
# Days an API token is accepted after it was issued; then POST /api/auth/token/ gives a new one.
INVESTPROMO_TOKEN_DAYS = int(os.environ.get("INVESTPROMO_TOKEN_DAYS", "30"))

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_AGE", str(8 * 3600)))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# With secure cookies the site is served over HTTPS: browsers are told to keep to it (HSTS, not
# for subdomains, which may be other agencies' sites) and plain HTTP is redirected. A proxy that
# ends HTTPS must send X-Forwarded-Proto and be listed in INVESTPROMO_TRUSTED_PROXIES, or redirect
# itself (DJANGO_SSL_REDIRECT=0). `make run` serves plain HTTP with secure cookies off.
SECURE_SSL_REDIRECT = _env_bool("DJANGO_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = (
    int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600))) if SESSION_COOKIE_SECURE else 0
)
if INVESTPROMO_TRUSTED_PROXIES.strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Every page loads only the app's own files: no inline script (data for the charts travels in
# json_script blocks, which do not run), nothing from another site. Style attributes are allowed
# (ECharts writes them into its tooltips; they cannot run code); <style> elements are not, except
# on the API documentation pages, whose third-party UIs build their styles at run time.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "style-src-attr": [csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes DRF answer 401, not 403, to anonymous calls.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "investpromo.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "investpromo.api.permissions.RoleWritePermission",
    ],
    # JSON only: the interactive documentation is /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "investpromo.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "investpromo.api.filtering.FilterBackend",
        "investpromo.api.ordering.StableOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "investpromo.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "investpromo.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
# The schema and its documentation pages describe every endpoint: by default only signed-in
# users see them (INVESTPROMO_API_DOCS_REQUIRE_LOGIN=0 publishes them, e.g. for a partner portal).
INVESTPROMO_API_DOCS_REQUIRE_LOGIN = _env_bool("INVESTPROMO_API_DOCS_REQUIRE_LOGIN", True)
SPECTACULAR_SETTINGS = {
    "TITLE": "InvestPromo API",
    "DESCRIPTION": "The signed-project ledger, its reference data and figures.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components, so read-only fields are not demanded on input.
    "COMPONENT_SPLIT_REQUEST": True,
    # Local assets (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Fields named "kind" take different choices in different places: each set its own name.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "investpromo.orgs.models.Organisation.Kind",
        "ParticipantKindEnum": "investpromo.participants.models.ParticipantKind",
        "JobKindEnum": "investpromo.jobs.models.Job.Kind",
        "DeclineReasonEnum": "investpromo.participants.models.DeclineReason",
        "LanguageEnum": "investpromo.participants.models.Language",
    },
    # No validator badge: Swagger UI would fetch it from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# Mail (participants' portal links): printed to the console unless an SMTP host is set.
EMAIL_HOST = os.environ.get("INVESTPROMO_EMAIL_HOST", "").strip()
EMAIL_BACKEND = os.environ.get(
    "INVESTPROMO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("INVESTPROMO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("INVESTPROMO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("INVESTPROMO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("INVESTPROMO_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("INVESTPROMO_EMAIL_FROM", "investpromo@localhost")
# Where participants open their portal links (scheme and host, e.g. https://promo.example.cn).
INVESTPROMO_PUBLIC_URL = os.environ.get("INVESTPROMO_PUBLIC_URL", "http://localhost:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
