"""Production-safe defaults. dev.py and test.py relax them; production.py reads the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from mieplan_site.settings import public_origin, register_extra_languages

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "home",
    "plan",
    "consultations",
    "progress",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Sign-in hardening (docs/SECURITY.md): lockout after failed attempts, TOTP second factor for staff.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "mieplan_site.pagecache.PageCacheMiddleware",  # outermost: it must see the cookies every other layer set
    "django.middleware.security.SecurityMiddleware",
    "mieplan_site.security.SecurityHeadersMiddleware",  # CSP, Permissions-Policy: outermost, so redirects get them too
    "mieplan_site.security.PublicMethodsMiddleware",  # 405 for PUT, DELETE, PATCH … outside the admin
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mieplan_site.requestmemo.RequestMemoMiddleware",  # lookups several tags and models share, once per request
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "home.furigana.FuriganaMiddleware",  # ?ruby=1: ふりがな on a Japanese page, before the page cache stores it
    "mieplan_site.sites.CachedSiteMiddleware",  # Wagtail's Site lookup: one query per request otherwise
    "mieplan_site.health.DatabaseUnavailableMiddleware",  # 503 "try again" in the reader's language, not a 500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): was the one-time code given?
    "home.signin.SecondFactorMiddleware",  # a session that needs the code and lacks it counts as anonymous
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out sign-in into the lockout page (429)
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "mieplan_site.urls"
WSGI_APPLICATION = "mieplan_site.wsgi.application"

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

# The embedded default is SQLite; DATABASE_URL (PostgreSQL in production) replaces it.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Japanese is the source; the others are the largest groups of Mie's foreign residents.
LANGUAGE_CODE = "ja"
LANGUAGES = [
    ("ja", "日本語"),
    # やさしい日本語 (easy Japanese): an interface language only, served under /ja-easy/ from the Japanese pages
    # (home/easy.py). It has its own catalogue (locale/ja_Easy) but no Wagtail locale: see CONTENT_LANGUAGES.
    ("ja-easy", "やさしい日本語"),
    ("en", "English"),
    ("pt-br", "Português (Brasil)"),
    ("vi", "Tiếng Việt"),
    ("zh-hans", "简体中文"),
    ("fil", "Filipino"),
    ("es", "Español"),
    ("ko", "한국어"),
]
# Django ships no language info for Filipino (nor for やさしい日本語); Wagtail and {% get_language_info %} need it.
EXTRA_LANG_INFO = {
    "fil": {"bidi": False, "code": "fil", "name": "Filipino", "name_local": "Filipino"},
    "ja-easy": {"bidi": False, "code": "ja-easy", "name": "Easy Japanese", "name_local": "やさしい日本語"},
}
register_extra_languages(EXTRA_LANG_INFO)
WAGTAIL_I18N_ENABLED = True
# The languages pages are written in (one Wagtail locale each). Wagtail maps the interface language ja-easy to
# the ja pages (Locale.get_active) and builds their URLs under /ja-easy/ while it is active.
WAGTAIL_CONTENT_LANGUAGES = [(code, name) for code, name in LANGUAGES if code != "ja-easy"]
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# Cache and Celery: Redis when REDIS_URL is set, otherwise in-process and eager.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # While Redis is down it acts as an empty cache: Wagtail reads it on nearly every request.
            "BACKEND": "mieplan_site.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mieplan",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
        # Whole pages for anonymous readers (mieplan_site/pagecache.py): shared by every app server, so a purge on
        # publish reaches them all.
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mieplan",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        # Rate-limit counters (comments, status look-ups): shared by every app server.
        "limits": {
            "BACKEND": "mieplan_site.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mieplan",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Local memory is one per process: `make serve`'s gunicorn workers would each count on their own.
        "limits": {"BACKEND": "mieplan_site.limits.LockedFileCache", "LOCATION": BASE_DIR / "var" / "limits"},
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# One immediate retry, then give up: a resident must not wait on a dead broker (beat resends later).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {
        "task": "plan.tasks.publish_scheduled_pages",
        "schedule": timedelta(minutes=1),
    },
    "send-pending-comment-mail": {
        "task": "consultations.tasks.send_pending_mail",
        "schedule": crontab(minute="*/5"),
    },
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "digital@pref.mie.lg.jp")

# Wagtail
WAGTAIL_SITE_NAME = _("みえのデジタル社会の形成に向けた戦略推進計画")
# The public origin: sitemap, canonical and hreflang links, robots.txt, open data and mails (home/origin.py).
PUBLIC_ORIGIN = public_origin(os.environ.get("PUBLIC_ORIGIN", "http://127.0.0.1:8000"))
WAGTAILADMIN_BASE_URL = PUBLIC_ORIGIN
# Wagtail's database backend with our Japanese tokenisation (search/japanese.py); "simple" keeps PostgreSQL
# from stemming the tokens as English.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend", "SEARCH_CONFIG": "simple"}}
SEARCH_JA_READINGS = True
# Our page models replace Page's title search fields with Japanese-aware ones (search/fields.py), which this
# check would report as missing.
SILENCED_SYSTEM_CHECKS = ["wagtailsearch.W001"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ja", "日本語"), ("en", "English")]

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "home.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Wagtail's own task runner logs every search-index update at INFO: noise at our volume.
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
    },
}

# How long each process keeps the Site record for a host (mieplan_site/sites.py); 0: look it up per request.
SITE_CACHE_SECONDS = float(os.environ.get("SITE_CACHE_SECONDS", "30"))

# Full-page cache for anonymous readers (mieplan_site/pagecache.py); 0 turns it off. Purged on publish, so the TTL
# only bounds what nothing purges (e.g. a cache that missed a purge while unreachable).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_ALIAS = "pages"
FRONTEND_CACHE_SECONDS = 60  # production.py: how long a CDN in front may keep a page (when one is configured)
# Each process also keeps what it just served for this long (0 turns it off): a purge reaches the other
# processes within it. Issue 6 asks for new text within 1 s of publishing.
PAGE_CACHE_LOCAL_SECONDS = float(os.environ.get("PAGE_CACHE_LOCAL_SECONDS", "0.5"))

# Consultation
COMMENT_RATE_LIMIT = int(os.environ.get("COMMENT_RATE_LIMIT", "5"))
COMMENT_RATE_WINDOW_SECONDS = int(os.environ.get("COMMENT_RATE_WINDOW_SECONDS", "600"))
COMMENT_MIN_FILL_SECONDS = 3
COMMENT_FORM_MAX_AGE_SECONDS = 24 * 60 * 60
COMMENT_MODERATOR_EMAILS = [a for a in os.environ.get("COMMENT_MODERATOR_EMAILS", "").split(",") if a]
# Fail fast when the broker is down: the comment is already stored and beat resends its mail later.
CELERY_TASK_PUBLISH_RETRY = False
# Only behind a load balancer that sets X-Forwarded-For; otherwise clients could forge their address.
USE_X_FORWARDED_FOR = os.environ.get("USE_X_FORWARDED_FOR", "false") == "true"

# Machine translation for translators (wagtail-localize) and moderators: DeepL when a key is configured,
# otherwise the offline memory of shipped translations (no network; tests and the demo).
DEEPL_API_KEY = os.environ.get("DEEPL_API_KEY", "")
if DEEPL_API_KEY:
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": DEEPL_API_KEY},
    }
else:
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {"CLASS": "plan.machine_translation.ShippedTranslationMemory", "OPTIONS": {}}

# Security hardening (docs/SECURITY.md) ----------------------------------------------------------------------
# CSP and Permissions-Policy come from mieplan_site.security.SecurityHeadersMiddleware; Django's SecurityMiddleware
# sends this one (its default, stated so a reader of the settings sees it).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Gravatar would send a hash of each editor's address to a third party, and the CSP would block the image.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The admin's release check calls a third-party server, which the admin CSP does not allow; requirements.txt
# is where upgrades are tracked.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Sign-in throttling (django-axes): 5 failures for one user name from one address lock that pair for 15 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before any password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "home.signin.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["otp_token"]
# No permanent log of every staff sign-in (address, browser): the audit log records what staff did.
AXES_DISABLE_ACCESS_LOG = True
# The same client address as the comment rate limit: the last X-Forwarded-For entry when USE_X_FORWARDED_FOR
# (the one our load balancer appended), else REMOTE_ADDR. ipware's default picks the first routable entry,
# which the client itself can forge.
AXES_CLIENT_IP_CALLABLE = "consultations.views.client_address"

# Two-factor sign-in for staff (home/signin.py): "off", "optional" (asked of users with a device) or "required".
STAFF_TWO_FACTOR = "optional"
WAGTAILADMIN_USER_LOGIN_FORM = "home.signin.StaffLoginForm"
OTP_TOTP_ISSUER = "Mie digital plan"

# Uploads in the admin: no SVG or HTML (they can carry script), and bounded sizes.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# Comments per Celery chunk of an analysis run's per-comment steps (masking, words, fingerprints): with several
# workers the chunks run in parallel; the output is the same for any size.
ANALYSIS_CHUNK_SIZE = int(os.environ.get("ANALYSIS_CHUNK_SIZE", "2000"))
