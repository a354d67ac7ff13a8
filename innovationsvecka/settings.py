"""Settings for the SIV programme site.

One file, driven by DJANGO_* environment variables. Without any variables it is a
production configuration that refuses to start without a secret key; `make run`
and the tests set what they need explicitly.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from innovationsvecka.client_ip import ipware_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-used-when-DJANGO_DEBUG-is-on"
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string in production, "
            "or set DJANGO_DEBUG=1 for local development (`make run` writes one to var/secret_key)."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "events",
    "organisers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "innovationsvecka.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "innovationsvecka.middleware.DatabaseUnavailableMiddleware",
    # Early, so a page served from memory skips everything below; see events.caching.
    "events.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "innovationsvecka.urls"
# Where the admin lives, e.g. DJANGO_ADMIN_PATH=personal/ to keep it off the well-known address.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin").strip("/") + "/"
WSGI_APPLICATION = "innovationsvecka.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "events.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url):
    """DJANGO_CACHE_URL: redis://host:6379/0 (shared by several app servers), locmem:// (one process,
    tests), or empty for a table in the database, which every app server shares without extra services
    (`manage.py createcachetable`, run by `make run` and the test database setup)."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "siv"}
    if url.startswith("locmem://"):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "siv",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    if url in ("", "db://"):
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "siv_cache",
            "KEY_PREFIX": "siv",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    raise ImproperlyConfigured(f"DJANGO_CACHE_URL must start with redis://, rediss:// or locmem://, not {url!r}.")


CACHES = {"default": cache_from_url(os.environ.get("DJANGO_CACHE_URL", "").strip())}
# Sessions stay in the database (Django's default), so any app server can answer any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The shared page cache for anonymous visitors (events.caching); 0 measures the pages' raw cost.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)
# Each app server process also keeps the pages it served last in memory, up to this size (events.caching).
PAGE_MEMORY_BYTES = int(os.environ.get("DJANGO_PAGE_MEMORY_MB", "32")) * 1024 * 1024

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The public site's own address, used in calendar feeds and e-mails where no request is at hand.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}


# --- Security -------------------------------------------------------------------------------
# Production is the default whenever DEBUG is off: HTTPS only, HSTS, secure cookies. The one
# documented way to serve plain HTTP (`make run` on 127.0.0.1, the test suite's live server) is
# DJANGO_LOCAL_HTTP=1; nothing else weakens these values.
LOCAL_HTTP = env_bool("DJANGO_LOCAL_HTTP", False)
HTTPS_ONLY = not (DEBUG or LOCAL_HTTP)

SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SESSION_COOKIE_HTTPONLY = True
# Forms carry the token in the page ({% csrf_token %}); no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only behind a proxy that sets X-Forwarded-Proto itself (and strips it from clients) may Django
# trust that header; otherwise anyone could claim a request came over HTTPS.
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", False)
# How many reverse proxies of our own sit in front of the app, each appending to X-Forwarded-For (nginx: 1). The
# visitor's address is the entry that many places from the right; the admin lockout and the proposal rate limit key
# on it. 0, the default, uses REMOTE_ADDR and ignores the header: the only safe value when clients can reach the app
# directly, since they can put anything in X-Forwarded-For.
_proxy_count = os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "").strip() or "0"
if not _proxy_count.isdecimal():
    raise ImproperlyConfigured(
        f"DJANGO_TRUSTED_PROXY_COUNT is {_proxy_count!r}; set it to 0 (no proxy) or the number of proxies in front."
    )
TRUSTED_PROXY_COUNT = int(_proxy_count)
# django-ipware finds that address: django-axes reads these AXES_IPWARE_* settings itself, and
# innovationsvecka.client_ip passes the same ones for the proposal limit. Not strict: entries a client wrote to the
# left of the visitor are skipped, not a reason to give up on the header.
_ipware = ipware_settings(TRUSTED_PROXY_COUNT)
AXES_IPWARE_META_PRECEDENCE_ORDER = _ipware["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = _ipware["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_PROXY_ORDER = "left-most"  # X-Forwarded-For as every proxy writes it: visitor first, then each proxy
IPWARE_STRICT = False

# All JavaScript and CSS are static files, so the policy needs no 'unsafe-inline' or 'unsafe-eval'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# Browser features the site never uses; denied for the page and anything it might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), "
    "xr-spatial-tracking=()"
)


# --- Admin logins and e-mail -----------------------------------------------------------------------
# django-axes: 5 wrong passwords for one user name from one address lock that pair out for an hour;
# a successful login resets the count. The first backend only watches; ModelBackend checks passwords.
AUTHENTICATION_BACKENDS = [
    "events.admin_login.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# "That address" is the visitor's, also behind the proxy: axes asks django-ipware (AXES_IPWARE_* above).

# E-mail: SMTP when DJANGO_EMAIL_HOST is set, otherwise printed to the console (development).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Sörmlands innovationsvecka <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who hears about new programme proposals; empty means the active members of the group Programredaktör.
STAFF_EMAILS = env_list("DJANGO_STAFF_EMAIL")
