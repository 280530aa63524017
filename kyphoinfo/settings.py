"""
Settings for kyphoinfo, read from the environment.

Local defaults suit `make run`; production sets DJANGO_DEBUG=0 and the variables
listed in the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


DEBUG = env_flag("DJANGO_DEBUG", True)

SITE_NAME = os.environ.get("KYPHOINFO_SITE_NAME", "KyphoInfo")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
        )
    # Only ever used with DEBUG on, on a developer's own machine.
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
)

INSTALLED_APPS = [
    # Before the admin, so that its fields for each language exist when the
    # admin classes are built.
    "modeltranslation",
    "articles.admin_site.EditorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_ckeditor_5",
    "reversion",
    "axes",
    "articles",
]

MIDDLEWARE = [
    # First, so that every log line of the request, and every response, even
    # one from the page cache or an error page, carries the request id.
    "articles.request_id.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so that cached pages get the current policies too.
    "articles.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so that a fresh page is compressed too; cached
    # copies are stored compressed and pass through untouched.
    "django.middleware.gzip.GZipMiddleware",
    "articles.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.redirects.RedirectFallbackMiddleware",
    # Last, as django-axes asks: it turns a sign-in refused during a lockout
    # into the "signing in is paused" page (articles.login_throttle).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kyphoinfo.urls"

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
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "kyphoinfo.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so that the admin's check of
    # an article's version and its save cannot interleave with another save.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

# The cache is shared by every application process: it holds the patient pages
# and the content version that retires them all when an editor saves
# (articles.page_cache). Redis when REDIS_URL is set; otherwise files in a
# directory, which all processes on this machine share (a per-process memory
# cache could not hear about another process's edits).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("KYPHOINFO_CACHE_KEY_PREFIX", "kyphoinfo")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get(
                "KYPHOINFO_CACHE_DIR", str(BASE_DIR / "var" / "cache")
            ),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Seconds a patient page may be served from the cache to visitors who are not
# signed in; 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("KYPHOINFO_PAGE_CACHE_SECONDS", "300"))

# Editors' sessions: with Redis, read from it and written through to the
# database, so that any application server finds them without a query and a
# Redis restart signs nobody out.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Every password set in the admin, on the invitation link or with
# `changepassword` is checked against these.
PASSWORD_MIN_LENGTH = int(os.environ.get("KYPHOINFO_PASSWORD_MIN_LENGTH", "12"))
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Patient pages carry a language prefix from the start (/en/...), so links that
# doctors print today keep working when more languages are added.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "articles" / "locale"]

# Practices, locations and doctors are shared by both languages; the text
# patients read on them has a column per language (articles/model_translations.py).
# Spanish pages show the English text where no one has translated it yet.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",)}
MODELTRANSLATION_TRANSLATION_FILES = ["articles.model_translations"]


def label_with_language(verbose_name, language):
    """'short description (Spanish)' rather than modeltranslation's '[es]', for editors."""
    return f"{verbose_name} ({dict(LANGUAGES)[language]})"


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = label_with_language
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

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

# Locally (and in tests) WhiteNoise serves straight from the source folders;
# production serves the collected, hashed and compressed copies.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploads: a hard ceiling on what Django accepts in memory or on disk per request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers. HTTPS is on by default in production; DJANGO_HTTPS=0 serves
# a production-like site over plain HTTP on 127.0.0.1 for local checks.
HTTPS = env_flag("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    # For a TLS-terminating proxy, e.g. "HTTP_X_FORWARDED_PROTO,https".
    header, _sep, value = os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"].partition(",")
    SECURE_PROXY_SSL_HEADER = (header.strip(), value.strip() or "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# --- Content-Security-Policy and Permissions-Policy ---------------------------
# Patient pages load nothing but our own stylesheet, images and fonts, and run
# no script at all (their JSON-LD is data, not script). The admin gets this
# policy plus the allowances CKEditor needs, for its paths only
# (articles.security.ADMIN_POLICY_UPDATE).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": HTTPS,
    }
}
# No page of the site uses any of these browser features, so no page, and no
# frame inside one, can ask the visitor for them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

LOGIN_URL = "admin:login"

# --- Sign-in throttling (django-axes) -----------------------------------------
# Failed sign-ins are counted per username and, separately, per client address:
# five of either pause signing in for that username (from anywhere) or from that
# address (as anyone) for 15 minutes. Site administrators unlock sooner in the
# admin (Axes → Access attempts) or with `manage.py axes_reset_username`.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out sign-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Attempts made during the pause are not counted, so the time the lockout page
# names holds, even for someone who keeps trying the right password.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful sign-in keeps the count: axes would clear every failure from the
# same address too, so an attacker with an account of their own could sign in
# between guesses at someone else's password and never be paused.
AXES_RESET_ON_SUCCESS = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "articles.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "articles.login_throttle.client_ip"
# Behind a load balancer or reverse proxy every request comes from its address:
# set how many proxies that we run stand in front of the application, and the
# client's address is read from X-Forwarded-For instead (see the README).
TRUSTED_PROXY_COUNT = int(os.environ.get("KYPHOINFO_TRUSTED_PROXY_COUNT", "0"))

# The rich-text editor: CKEditor 5 from our own static files. Its image uploads
# go through our validated image pipeline (articles.views.editor_image_upload).
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "editor_image_upload"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "webp", "gif"]
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CKEDITOR_5_CONFIGS = {
    "default": {
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "bulletedList",
                "numberedList",
                "|",
                "insertTable",
                "imageUpload",
                "|",
                "undo",
                "redo",
            ],
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Paragraph"},
                {"model": "heading2", "view": "h2", "title": "Heading 2"},
                {"model": "heading3", "view": "h3", "title": "Heading 3"},
                {"model": "heading4", "view": "h4", "title": "Heading 4"},
            ]
        },
        "image": {
            "toolbar": ["imageTextAlternative"],
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow"]},
        "link": {"defaultProtocol": "https://"},
    },
}

# Logs go to stderr: one JSON object a line in production, for the log
# collector; plain lines while developing. KYPHOINFO_LOG_FORMAT=json or text
# chooses. Lines logged during a request carry its id (articles.request_id).
LOG_FORMAT = os.environ.get("KYPHOINFO_LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("KYPHOINFO_LOG_FORMAT must be json or text.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "articles.request_id.RequestLogFilter"}},
    "formatters": {
        "json": {
            "()": "articles.request_id.RequestJsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "timestamp": True,
        },
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "articles": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

FORMAT_MODULE_PATH = ["kyphoinfo.formats"]

# Phone numbers typed without a country code are read as numbers of this region.
PHONE_REGION = os.environ.get("KYPHOINFO_PHONE_REGION", "US")
