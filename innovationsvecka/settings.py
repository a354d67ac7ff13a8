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
    "innovationsvecka",  # its template tags (innovationsvecka/templatetags)
    "events",
    "organisers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "innovationsvecka.request_limits.RequestBodyLimitMiddleware",  # before anything reads the body
    "innovationsvecka.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "innovationsvecka.middleware.DatabaseUnavailableMiddleware",
    # Early, so a page served from memory skips everything below; see innovationsvecka.pagecache.
    "innovationsvecka.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "innovationsvecka.throttle.LoginThrottleMiddleware",  # before the CSRF check, so every login post counts
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "innovationsvecka.pagecache.StaffMarkerMiddleware",  # who may bypass the page cache
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
                "innovationsvecka.context_processors.site",
            ],
        },
    },
    {
        # The one Jinja2 template, the programme's list items (templates/jinja2/; see events/listing.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "events.listing.jinja2_environment"},
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
# A database that hangs must not hang the site: a visitor gets the "temporarily unavailable" page (503) within
# 5 seconds, and the first request after the database is back is served again. DJANGO_DB_TIMEOUT seconds (default 2)
# for connecting and for waiting on any answer. A statement that runs longer is cancelled by PostgreSQL itself a
# little earlier (three quarters of it), which keeps the connection; a frozen server cannot cancel anything, so the
# client gives up then (innovationsvecka/postgresql/base.py). Worst case: the health check of a kept connection
# times out, then a new connection does: 2 + 2 s. 0 waits for ever (e.g. for a very long maintenance command).
_db_timeout = os.environ.get("DJANGO_DB_TIMEOUT", "").strip() or "2"
try:
    DATABASE_TIMEOUT = float(_db_timeout)
except ValueError:
    raise ImproperlyConfigured(f"DJANGO_DB_TIMEOUT is {_db_timeout!r}; set it to a number of seconds.") from None
DATABASE_ANSWER_TIMEOUT = max(DATABASE_TIMEOUT, 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "innovationsvecka.postgresql"
    if DATABASE_TIMEOUT > 0:
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            # libpq counts whole seconds, at least 2
            connect_timeout=max(round(DATABASE_TIMEOUT), 2),
            options=f"-c statement_timeout={round(DATABASE_TIMEOUT * 750)}",
        )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging: readers never wait for a writer (two gunicorn workers and the mail worker share the
    # file), and a commit no longer waits for the disk (synchronous=NORMAL is still safe against a crash of
    # the site; only a power cut can lose the last commits). A commit waiting for fsync was most of what a
    # cache write cost: the first visitor after an edit paid it twice.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
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
# The shared page cache for anonymous visitors (innovationsvecka.pagecache); 0 measures the pages' raw cost.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)
# Each app server process also keeps the pages it served last in memory, up to this size (innovationsvecka.pagecache).
PAGE_MEMORY_BYTES = int(os.environ.get("DJANGO_PAGE_MEMORY_MB", "32")) * 1024 * 1024
# …and the feed events and API items it used last (events.fragments), up to this size.
FRAGMENT_MEMORY_BYTES = int(os.environ.get("DJANGO_FRAGMENT_MEMORY_MB", "16")) * 1024 * 1024

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

# Request bodies: at most 5 MB in all (nginx's client_max_body_size too; a logo is at most 2 MB, an import file a few
# hundred kB), refused with 413 before it is read (innovationsvecka/request_limits.py). The fields of a form, without
# its files, at most 1 MB (Django answers 400 beyond it); the longest, a session's description, is a few kB.
REQUEST_BODY_MAX_BYTES = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The public site's own address, used in calendar feeds and e-mails where no request is at hand. Production must
# say it: a feed or an e-mail pointing at 127.0.0.1 would reach nobody.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/")
if not SITE_URL and DEBUG:
    SITE_URL = "http://127.0.0.1:8000"
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"DJANGO_SITE_URL is {SITE_URL!r}; set it to the site's public address, e.g. https://siv.regionsormland.se "
        "(it is used in calendar feeds and e-mails)."
    )


def without_traceback(record):
    """A logging filter: the message only. A request with a Host header that is not ours (any scanner sends them)
    is answered 400 and worth one line in the log, not a traceback of Django's own code."""
    record.exc_info = record.exc_text = record.stack_info = None
    return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": lambda: without_traceback}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.security.DisallowedHost": {"filters": ["without_traceback"]}},
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
# Who may frame the one frameable page, the embed for actors' websites (events.embed): any https site, and
# in local HTTP mode (development, the browser tests) pages on this machine's own ports too.
EMBED_FRAME_ANCESTORS = ["https:"] + (["http://127.0.0.1:*", "http://localhost:*"] if LOCAL_HTTP else [])
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
    "innovationsvecka.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# "That address" is the visitor's, also behind the proxy: axes asks django-ipware (AXES_IPWARE_* above).
# And at most this many login posts a minute from one address, whatever the user names (innovationsvecka/throttle.py).
LOGIN_POSTS_PER_MINUTE = 20

# E-mail: SMTP when DJANGO_EMAIL_HOST is set. Printing e-mails to the console instead (development, `make run`) must
# be asked for with DJANGO_EMAIL_BACKEND=console: a production server without an SMTP host would otherwise lose every
# confirmation and notification without a word. With DEBUG on, the console is the default.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "").strip()
_email_backend = os.environ.get("DJANGO_EMAIL_BACKEND", "").strip().lower()
if not _email_backend:
    _email_backend = "smtp" if EMAIL_HOST else "console" if DEBUG else ""
if _email_backend == "smtp" and EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif _email_backend == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email_backend in ("", "smtp"):
    raise ImproperlyConfigured(
        "No way to send e-mail: set DJANGO_EMAIL_HOST (and the other DJANGO_EMAIL_* variables) for SMTP, or "
        "DJANGO_EMAIL_BACKEND=console to print e-mails to the log instead."
    )
else:
    raise ImproperlyConfigured(f"DJANGO_EMAIL_BACKEND is {_email_backend!r}; set it to smtp or console.")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "").strip()
if not DEFAULT_FROM_EMAIL and EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    # Mail servers refuse or bin mail from @localhost, so real e-mail needs a real sender.
    raise ImproperlyConfigured(
        "DJANGO_DEFAULT_FROM_EMAIL is not set; with SMTP set it to the sender of confirmations and notifications, "
        "e.g. Sörmlands innovationsvecka <noreply@regionsormland.se>."
    )
DEFAULT_FROM_EMAIL = DEFAULT_FROM_EMAIL or "Sörmlands innovationsvecka <noreply@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who hears about new programme proposals; empty means the active members of the group Programredaktör.
STAFF_EMAILS = env_list("DJANGO_STAFF_EMAIL")

# --- The e-mail queue (issue 16): django-mailer, see innovationsvecka/mail.py ---------------------------------
# send_mail() only stores the message in the database (QueueBackend); the worker, `manage.py mail_worker`
# (deploy/siv-mail-worker.service; `make run` starts it beside gunicorn), hands it to the backend chosen above,
# SMTP or the console. A message the mail server does not take is deferred and tried again every
# MAIL_RETRY_SECONDS, at most MAILER_EMAIL_MAX_RETRIES times (48 × 5 min: four hours); after that the admin shows it
# as failed. /healthz answers 503 once a message has waited longer than MAIL_QUEUE_MAX_AGE seconds.
INSTALLED_APPS += ["mailer"]
MAILER_EMAIL_BACKEND = EMAIL_BACKEND
EMAIL_BACKEND = "innovationsvecka.mail.QueueBackend"
MAILER_ERROR_HANDLER = "innovationsvecka.mail.defer_on_any_error"
MAILER_EMAIL_MAX_RETRIES = 48
MAILER_USE_FILE_LOCK = False  # one worker; rows are taken with SELECT … FOR UPDATE NOWAIT where the database can
MAIL_POLL_SECONDS = 5
MAIL_RETRY_SECONDS = 300
MAIL_QUEUE_MAX_AGE = int(os.environ.get("DJANGO_MAIL_QUEUE_MAX_AGE", "900"))


# --- Second factor for staff (issue 11, item 24) and password reset (issue 15) --------------------
# django-otp keeps the devices: an authenticator app (TOTP) and ten one-time recovery codes (static tokens).
# innovationsvecka.twofactor decides who must use them and sends a signed-in user who has not passed the second
# factor to the code page (or, the first time, to the set-up page) before any admin page is served.
INSTALLED_APPS += [
    "django_otp",
    "innovationsvecka.twofactor_apps.AppDevicesConfig",  # django_otp.plugins.otp_totp, named in Swedish
    "innovationsvecka.twofactor_apps.RecoveryCodesConfig",  # django_otp.plugins.otp_static
]
_after_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE[_after_auth:_after_auth] = [
    "django_otp.middleware.OTPMiddleware",
    "innovationsvecka.twofactor.SecondFactorMiddleware",
]
TEMPLATES[0]["OPTIONS"]["context_processors"].append("innovationsvecka.twofactor.second_factor_context")
# Required for everyone who can publish (superusers, Programredaktör) in production; `make run` and the tests
# (DJANGO_LOCAL_HTTP=1) and DEBUG only offer it, so a newcomer can try the admin at once. Actor editors may opt in.
OTP_REQUIRED = env_bool("DJANGO_OTP_REQUIRED", not (DEBUG or LOCAL_HTTP))
OTP_TOTP_ISSUER = "Sörmlands innovationsvecka"
# Wrong codes wait 1, 2, 4, 8 … seconds before the next try, per device (app and recovery codes alike).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# A password-reset link works for one hour (Django's default is three days). innovationsvecka.password_reset
# limits how often a link may be asked for, per address and per e-mail.
PASSWORD_RESET_TIMEOUT = 60 * 60
