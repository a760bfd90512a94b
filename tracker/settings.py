"""Counterpoint settings: one module, configured from the environment.

Every variable is read through a typed helper that fails loudly on a bad value, so a
misconfigured deployment stops at start-up instead of misbehaving later.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def env_url(name: str, default: str | None = None, *, public: bool) -> str:
    """An http(s) base URL without a trailing slash. public: it must be an address readers
    can reach, so a loopback one (localhost, 127.0.0.0/8, [::1], 0.0.0.0) is refused."""
    raw = env_str(name, default).strip()
    parts = urlsplit(raw)
    try:
        host, _ = parts.hostname, parts.port  # the port is parsed (and checked) lazily
    except ValueError:
        host = None
    if parts.scheme not in {"http", "https"} or not host or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name} must be an http:// or https:// URL such as https://counterpoint.example, "
            f"not {raw!r}."
        )
    if public and _is_loopback(host):
        raise ImproperlyConfigured(
            f"{name} must be the public address readers use, not the loopback address {raw!r}: "
            "feeds, sitemaps and permalinks would point at the reader's own machine."
        )
    return raw.rstrip("/")


DEBUG = env_bool("DEBUG", False)

# A development key is acceptable only while DEBUG is on; production must supply its own.
_DEV_SECRET_KEY = "django-insecure-counterpoint-development-key-not-for-production-use"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else None)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its templates render sitemap.xml; no models, and no django.contrib.sites (the domain
    # comes from SITE_URL, see claims/sitemaps.py).
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "axes",
    "sources",
    "claims",
    # Last: its ready() watches every database connection for writes to page data.
    "tracker.apps.TrackerConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above everything that can answer, static files included, so every response has a CSP.
    "tracker.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and auth, which would look the session key up in the database.
    "tracker.middleware.refuse_control_characters_in_urls",
    # Above compression (pages are stored compressed) and above sessions, auth and the rest,
    # which a cached page does not need; below the headers, which every hit still gets.
    "tracker.page_cache.PageCacheMiddleware",
    "tracker.compression.ReaderGZipMiddleware",
    # Below compression, so the ETag is of the page itself, the same for every encoding.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout raised by authenticate() into a page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

# A page waits at most this long for the database: a few seconds to connect, and a
# statement limit below gunicorn's 30 s worker timeout, so PostgreSQL cancels a runaway
# query (the page becomes a 503, see tracker/errors.py) before gunicorn kills the worker.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3)
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 20_000)
# What the 503 page tells clients (Retry-After) while the database is unreachable.
DATABASE_RETRY_AFTER_SECONDS = env_int("DATABASE_RETRY_AFTER_SECONDS", 5)

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A persistent connection broken by a database restart is replaced, not reused.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": DATABASE_CONNECT_TIMEOUT,
        # jit=off: every page runs short indexed queries, for which PostgreSQL's JIT costs
        # more than it saves (58 ms of compiling in the parties index's 124 ms at 100,000
        # claims).
        "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS} -c jit=off",
        **DATABASES["default"].get("OPTIONS", {}),
    }
else:
    # SQLite's analogue of a slow statement is waiting for another writer's lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": DATABASE_STATEMENT_TIMEOUT_MS / 1000,
        **DATABASES["default"].get("OPTIONS", {}),
    }

# The shared cache: pages, the data generation (tracker/cache.py) and share images. Redis
# when REDIS_URL is set, shared by every worker and machine; without it, files under
# CACHE_DIR, shared by the processes of one machine (gunicorn's workers) with no server to
# run. Not Django's local-memory cache: each worker would keep its own, and a bump in one
# would not reach the others. Not the database cache: a hit would cost a query.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "counterpoint"),
            # A Redis that stops answering costs a page a quarter of a second, not a hang:
            # the page is built uncached (tracker/page_cache.py).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 10_000)},
        }
    }
# Whole pages for anonymous readers (tracker/page_cache.py); off for the cold benchmark.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# How long a stored page is kept. Not what keeps pages fresh (the data generation does, at
# once): only how long an unread page takes up room, and a bound if Redis was unreachable
# when a change was saved.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Bytes of recently served pages each worker also keeps in its own memory (0: none). Never
# stale, since keys hold the data generation; see tracker/page_cache.py LocalPages.
PAGE_CACHE_LOCAL_BYTES = env_int("PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024)
# Apps whose rows public pages show: a write to any of their tables changes the generation.
PAGE_CACHE_DATA_APPS = ["sources", "claims"]
# Never cached, compressed or marked public: staff pages, and the benchmark's bare view,
# which measures the framework without the cache.
PAGE_CACHE_EXCLUDED_PATHS = ("/admin/", "/_bench/")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Dates are typed as YYYY-MM-DD (the admin calendar too): tracker/formats/en_GB.
FORMAT_MODULE_PATH = ["tracker.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files while developing and testing
        # so that a test run needs no collectstatic.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}

# Largest source upload an analyst may attach (and largest body text, however it comes in),
# and the largest request body Django buffers. The buffer is well above the body limit so an
# oversized paste reaches the source form, which refuses it with a message and keeps the text,
# instead of Django's bare "Bad Request (400)" that loses it.
SOURCE_UPLOAD_MAX_BYTES = env_int("SOURCE_UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * SOURCE_UPLOAD_MAX_BYTES)
FILE_UPLOAD_MAX_MEMORY_SIZE = SOURCE_UPLOAD_MAX_BYTES + 512 * 1024

# Public base URL used in permalinks, "cite this" blocks, link previews, feeds and the
# sitemap. Production must say where it is served; a development server is at the default.
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000" if DEBUG else None, public=not DEBUG)

# Share images are drawn in Pillow's bundled font unless this names a TrueType file with
# wider coverage: DejaVuSans.ttf for accents and symbols, a Noto CJK font for Chinese.
SHARE_IMAGE_FONT = env_str("SHARE_IMAGE_FONT", "")
if SHARE_IMAGE_FONT and not Path(SHARE_IMAGE_FONT).is_file():
    raise ImproperlyConfigured(f"SHARE_IMAGE_FONT names no file: {SHARE_IMAGE_FONT!r}.")

# Headers, chosen against Mozilla HTTP Observatory's scoring rules (see the README).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: the admin and our forms send the token in the form.
CSRF_COOKIE_HTTPONLY = True
# Lax, not Strict: a link to the admin from an email or chat still arrives logged in.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# One year (Observatory asks for six months or more); preload is opt-out because the
# preload list is hard to leave: SECURE_HSTS_PRELOAD=false before submitting the domain.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Leaving preload out is then a decision, not an oversight the deploy check should flag.
SILENCED_SYSTEM_CHECKS = ["security.W021"] if "SECURE_HSTS_PRELOAD" in os.environ else []
SECURE_CONTENT_TYPE_NOSNIFF = True
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Stricter than strict-origin-when-cross-origin: sources we link to learn nothing of
# which claim a reader came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The open-data API (claims/api/): anonymous, read-only, JSON only (the browsable renderer
# writes inline scripts, which the coming Content-Security-Policy forbids; /api/docs/ is the
# page to browse). No authentication at all, so no session or CSRF state reaches it.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.Pagination",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Counterpoint open data",
    "DESCRIPTION": (
        "Read-only JSON: parties, sources, claims with their citations, figures and "
        "relations, metrics with how their values relate, and disputes. Every record has a "
        "stable id and its permalink on the site."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from drf-spectacular-sidecar's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "sources.dates.DatePrecision",
        "VerdictEnum": "claims.verdicts.Verdict",
        "UnitEnum": "claims.models.figures.Metric.Unit",
        "PartyKindEnum": "claims.models.parties.Party.Kind",
        "ClaimKindEnum": "claims.models.claims.Claim.Kind",
        "SourceKindEnum": "sources.models.Source.Kind",
        "RelationKindEnum": "claims.models.relations.ClaimRelation.Kind",
    },
}

# Pages under this prefix are embedded by other sites (oEmbed iframes): they may be framed
# by anyone, see tracker/security.py. Every other page refuses to be framed.
EMBED_PATH_PREFIX = "/embed/"
# Nothing inline anywhere, the admin included (tests/browser/test_admin_csp.py checks).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Admin login throttling (django-axes): the 5th failure for one username from one address
# locks that pair out until AXES_COOLOFF_MINUTES pass without another failure; others are
# unaffected, so an attacker cannot lock a colleague out from elsewhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_CLIENT_IP_CALLABLE = "tracker.security.client_ip_address"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Benchmark-only URLs (tracker/bench.py: /_bench/bare/), mounted only when this is true;
# `make bench` sets it on its own server. Never on in production.
BENCH_VIEWS = env_bool("BENCH_VIEWS", False)
