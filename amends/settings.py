"""Settings for Amends, read from the environment with safe defaults.

Everything a deployment changes comes from environment variables (or `*_FILE` for secrets),
validated here so that a wrong value stops the start-up with a clear message.
"""

import ipaddress
import os
import re
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd credentials)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc}") from None
    return os.environ.get(name, default)


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("AMENDS_DATA_DIR", str(PROJECT_DIR / "data"))).resolve()


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    given = env_secret("SECRET_KEY")
    if given:
        return given
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Created with owner-only permissions, and never overwritten if another process won the race.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "amends.accounts",
    "amends.cases",
    "amends.intake",
    "amends.resolution",
    "amends.portal",
    "amends.insights",
    "amends.recurrence",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "amends.urls"
WSGI_APPLICATION = "amends.wsgi.application"

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
                "django.template.context_processors.i18n",
                "amends.cases.context_processors.desk",
            ],
        },
    },
]

# SQLite by default (WAL, immediate transactions, busy timeout); DATABASE_URL switches to PostgreSQL.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not valid: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "amends.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:my-cases"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("pl", _("Polish")),
    ("bg", _("Bulgarian")),
    ("fi", _("Finnish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Europe/Warsaw")

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

# The cache holds API rate-limit counters: per process by default; REDIS_URL shares it between
# processes and machines.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

# Background work: Django's Tasks API, database backend by default; TASKS_BACKEND=rq with REDIS_URL at scale.
TASKS_BACKEND = env("TASKS_BACKEND", "db")
TASKS: dict[str, dict[str, Any]] = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND != "db":
    raise ImproperlyConfigured(f"TASKS_BACKEND must be db or rq, not {TASKS_BACKEND!r}.")

EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Amends <complaints@localhost>")
if env("EMAIL_BACKEND"):
    EMAIL_BACKEND = env("EMAIL_BACKEND")
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif not env("EMAIL_HOST"):
    # No mail server configured (a fresh `make run`, the demo): keep every outgoing message as
    # an .eml file in the data folder instead of failing to reach localhost:25.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "outbox"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# Security headers. HTTPS-only cookies and HSTS when served over TLS (AMENDS_HTTPS=true).
HTTPS = env_bool("AMENDS_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The task worker logs every idle round at INFO; keep its warnings and errors only.
        "django_tasks_db": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Organisation defaults (managers can change them in the admin: OrganisationSettings).
AMENDS_DEFAULT_COMMITMENT_DAYS = env_int("AMENDS_DEFAULT_COMMITMENT_DAYS", 7)
AMENDS_API_RATE_LIMIT = env("AMENDS_API_RATE_LIMIT", "600/m")
# The largest request body the API reads, in MB (JSON with base64 attachments); the web pages keep
# Django's DATA_UPLOAD_MAX_MEMORY_SIZE. Unset: room for the most the intake accepts (135 MB for
# ten 10 MB files), worked out from its limits by amends.api.body.default_max_body_mb.
AMENDS_API_MAX_BODY_MB: int | None = env_int("AMENDS_API_MAX_BODY_MB", 0) or None
if env("AMENDS_API_MAX_BODY_MB") and (AMENDS_API_MAX_BODY_MB or 0) < 1:
    raise ImproperlyConfigured("AMENDS_API_MAX_BODY_MB must be at least 1.")
# From this many stored vectors the similar cases come from the HNSW index on disk (built by
# `amends embed-cases --rebuild-index`); below it from an exact search in memory.
AMENDS_SIMILAR_INDEX_MIN = env_int("AMENDS_SIMILAR_INDEX_MIN", 50_000)
if AMENDS_SIMILAR_INDEX_MIN < 1:
    raise ImproperlyConfigured("AMENDS_SIMILAR_INDEX_MIN must be at least 1.")
# Posts of the public complaint form per client address (fixed window, e.g. "10/hour"; empty: off).
AMENDS_FORM_RATE_LIMIT = env("AMENDS_FORM_RATE_LIMIT", "10/hour").strip()
if AMENDS_FORM_RATE_LIMIT and not re.fullmatch(
    r"\d+\s*/\s*(s|sec|m|min|h|hour|d|day)", AMENDS_FORM_RATE_LIMIT, re.IGNORECASE
):
    raise ImproperlyConfigured(
        f"AMENDS_FORM_RATE_LIMIT must look like 10/hour (per s, m, h or d), not {AMENDS_FORM_RATE_LIMIT!r}"
    )

# Proxies whose X-Forwarded-For names the client for the rate limits (API, public form, customer's
# view): comma-separated addresses or networks, e.g. "127.0.0.1,10.0.0.0/8". Empty: no proxy is
# trusted and the direct peer is the client (amends.api.throttle.client_ip).
AMENDS_TRUSTED_PROXIES = env_list("AMENDS_TRUSTED_PROXIES", "")
for _proxy in AMENDS_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"AMENDS_TRUSTED_PROXIES must list IP addresses or networks, not {_proxy!r}"
        ) from None

# The customer's view: how long a signed link works, and requests per client address to it.
AMENDS_PORTAL_LINK_DAYS = env_int("AMENDS_PORTAL_LINK_DAYS", 60)
if AMENDS_PORTAL_LINK_DAYS < 1:
    raise ImproperlyConfigured("AMENDS_PORTAL_LINK_DAYS must be at least 1.")
AMENDS_PORTAL_RATE_LIMIT = env("AMENDS_PORTAL_RATE_LIMIT", "300/hour").strip()
if AMENDS_PORTAL_RATE_LIMIT and not re.fullmatch(
    r"\d+\s*/\s*(s|sec|m|min|h|hour|d|day)", AMENDS_PORTAL_RATE_LIMIT, re.IGNORECASE
):
    raise ImproperlyConfigured(
        f"AMENDS_PORTAL_RATE_LIMIT must look like 300/hour (per s, m, h or d), not {AMENDS_PORTAL_RATE_LIMIT!r}"
    )

# The insights dashboard is read from a snapshot younger than this many seconds, else computed
# live and kept (amends/insights/snapshots.py; the worker refreshes them, --insights-every).
AMENDS_INSIGHTS_MAX_AGE = env_int("AMENDS_INSIGHTS_MAX_AGE", 900)
if AMENDS_INSIGHTS_MAX_AGE < 1:
    raise ImproperlyConfigured("AMENDS_INSIGHTS_MAX_AGE must be at least 1.")
