"""Harambee settings, read from the environment.

Two modes:
- development (the default): SQLite under var/, a Celery broker and the cache on the
  file system under var/, so nothing else needs to run;
- production (HARAMBEE_PRODUCTION=true): no default secret, HTTPS only, strict
  cookies, HSTS and a content security policy.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from harambee.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HARAMBEE_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_bool("HARAMBEE_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
else:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-key-never-use-in-production")  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The public address, for links in emails.
SITE_URL = env_str("SITE_URL") if PRODUCTION else env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "modeltranslation",  # before admin, so the admin sees the translated fields
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "csp",
    "django_countries",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "harambee",
    "accounts",
    "partnerships",
    "communities",
    "scorecards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cached anonymous pages are served from here on, before sessions and users are looked
    # at; they are stored compressed. See harambee/middleware.py and docs/performance.md.
    "harambee.middleware.PageCacheMiddleware",
    "harambee.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# Static files. With DEBUG on (`make run`, the tests), the development server serves them
# from the source folders under their own names, so an edited stylesheet shows at once.
# Everywhere else (gunicorn, docker compose, production or not) WhiteNoise serves what
# `collectstatic` gathered: names with a content hash, "immutable" for a year, gzip and
# Brotli files made ahead of time. Django itself never hashes names while DEBUG is on.
SERVE_STATIC_WITH_WHITENOISE = not DEBUG
if SERVE_STATIC_WITH_WHITENOISE:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "harambee.urls"
WSGI_APPLICATION = "harambee.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'harambee.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the write lock when their transaction starts and wait for it, so of two
    # concurrent transitions the second sees the first's result and gets its refusal
    # message, not "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_work"

# django-allauth: email is the login; it must be verified before the account is used.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Account emails name the site (subject, greeting, sign-off), not the host a request came to.
HARAMBEE_SITE_NAME = "Harambee"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{HARAMBEE_SITE_NAME}] "
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}

# Languages: English is the source; French, Spanish and Swahili ship with the product.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish")), ("sw", _("Swahili"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# Numbers and dates as each language writes them (250,000 / 250 000 / 250.000). Whatever a
# machine reads (ids, URLs, data-* attributes, form values, exports) stays plain: see
# harambee/formats/ for the languages Django lacks or writes otherwise, and |unlocalize.
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["harambee.formats"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr", "es", "sw")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if SERVE_STATIC_WITH_WHITENOISE
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Email: console in development, SMTP when EMAIL_URL-style settings are given.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Harambee <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Cache and Celery: Redis when REDIS_URL is set, otherwise nothing to install or run. The
# cache is shared by every web and worker process (the page cache's version is bumped by
# whichever process changed public content), so without Redis it is a folder under var/,
# never a per-process memory cache. HARAMBEE_CACHE_PREFIX lets several sites share a Redis.
REDIS_URL = env_str("REDIS_URL", "")
_cache_prefix = env_str("HARAMBEE_CACHE_PREFIX", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend, reusing its redis-py client (see harambee/cache.py).
            "BACKEND": "harambee.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _cache_prefix,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": _cache_prefix,
            # Old pages' files are removed as new ones come (a third at a time past this).
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }

# Anonymous pages and site-wide figures are cached under the public version (see
# harambee/pagecache.py). Whole pages are cached with DEBUG off; with DEBUG on an edited
# template shows at once (HARAMBEE_CACHE_PAGES=true caches them there too, and false
# switches them off anywhere: the load benchmark measures both).
HARAMBEE_PAGE_CACHE = "default"
HARAMBEE_CACHE_PAGES = env_bool("HARAMBEE_CACHE_PAGES", not DEBUG)
# Parts of pages that every reader sees alike, kept under the same version: the cards, rows
# and filter forms of the lists, the body of a public partnership's and an organisation's
# page (harambee.pagecache.fragments_enabled). Kept whether whole pages are or not; off with
# DEBUG on, so that an edited template shows at once.
HARAMBEE_CACHE_FRAGMENTS = env_bool("HARAMBEE_CACHE_FRAGMENTS", not DEBUG)

CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Every indicator's status, the day's snapshots and transitions, and the digests.
    "recheck-outcomes": {
        "task": "scorecards.recheck_outcomes",
        "schedule": crontab(hour=2, minute=15),
    },
}

# Statistical disclosure control for published counts.
HARAMBEE_SUPPRESSION_THRESHOLD = env_int("HARAMBEE_SUPPRESSION_THRESHOLD", 5)
HARAMBEE_SENSITIVE_SUPPRESSION_THRESHOLD = env_int("HARAMBEE_SENSITIVE_SUPPRESSION_THRESHOLD", 10)
HARAMBEE_SENSITIVE_DIMENSIONS = {"disability"}

# Scorecards: a reading is overdue this many days after its due date; evidence files
# (attendance sheets, photos) are kept private under HARAMBEE_EVIDENCE_ROOT, never MEDIA_ROOT.
HARAMBEE_OVERDUE_GRACE_DAYS = env_int("HARAMBEE_OVERDUE_GRACE_DAYS", 30)
HARAMBEE_EVIDENCE_MAX_BYTES = env_int("HARAMBEE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
HARAMBEE_EVIDENCE_ROOT = Path(env_str("HARAMBEE_EVIDENCE_ROOT", str(VAR_DIR / "evidence")))

# Security headers. The CSP allows only the site's own assets: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF],
        "script-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

PAGE_SIZE = 20
