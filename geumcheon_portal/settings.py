"""Settings for the 금천구청 portal, driven by environment variables.

Everything a deployment changes comes from the environment; the defaults are
the embedded development set-up (SQLite in ``var/``, local-memory cache).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from boards.editor_extensions import PROSE_EDITOR_EXTENSIONS

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "staff.admin_apps.PortalAdminConfig",  # django.contrib.admin with the second-factor site (staff/sites.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "import_export",  # 고시공고 가져오기 (notices/importing.py): its admin templates and translations
    "files",
    "privacy",
    "boards",
    "editorial",
    "notices",
    "recruitment",
    "contracts",
    "press",
    "tourism",
    "home",
    "staff",
    "search",
    "feedback",
    "opendata",  # the open API (/api/v1/) and the 공공데이터 page
    "subscriptions",  # 이메일 알림: residents subscribe to boards and keywords
    "backups",  # backup_site / restore_site: the database and every stored file together
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "geumcheon_portal.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "staff.middleware.StaffGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "geumcheon_portal.urls"

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
                "geumcheon_portal.context_processors.site",
            ],
            # {% url %} answered from a per-process memory (the same syntax and output as Django's).
            "builtins": ["geumcheon_portal.addresses"],
        },
    },
]

WSGI_APPLICATION = "geumcheon_portal.wsgi.application"

# Database: DATABASE_URL, SQLite file in var/ by default.
DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "0"))
ADMIN_STATEMENT_TIMEOUT_MS = int(os.environ.get("ADMIN_STATEMENT_TIMEOUT_MS", "60000"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DB_CONNECT_TIMEOUT", "3")  # a database that is away answers 503 within 5 s
    )
    # A statement running longer is cancelled and the resident gets the Korean 503 page. gunicorn.conf.py
    # sets it for web workers; commands (migrate, imports) run without one. Admin requests get more.
    # No JIT: compiling costs hundreds of ms, far more than the portal's short statements take, and
    # a statement over many small index lookups (a list search over 통합검색's quarters) looks big enough.
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off" + (
        f" -c statement_timeout={DB_STATEMENT_TIMEOUT_MS}" if DB_STATEMENT_TIMEOUT_MS else ""
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, keeping triggers through table remakes (geumcheon_portal/sqlite/).
    DATABASES["default"]["ENGINE"] = "geumcheon_portal.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; Django's Redis cache when REDIS_URL is set.
# Redis errors degrade to "no cache" with short timeouts and a brief back-off (geumcheon_portal/cache.py).
if os.environ.get("REDIS_URL"):
    CACHE_TIMEOUT_SECONDS = float(os.environ.get("CACHE_TIMEOUT_SECONDS", "0.25"))
    CACHES = {
        "default": {
            "BACKEND": "geumcheon_portal.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "geumcheon",
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
                "socket_timeout": CACHE_TIMEOUT_SECONDS,
                "BACKOFF_SECONDS": float(os.environ.get("CACHE_BACKOFF_SECONDS", "2")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# gunicorn's worker count (gunicorn.conf.py; 0: its default, several). With more than one and DEBUG off,
# a page cache in each process's memory is refused (boards/pagecache.py check_one_cache_truth).
WEB_WORKERS = int(os.environ.get("GUNICORN_WORKERS", "0"))
ALLOW_PROCESS_CACHE = os.environ.get("ALLOW_PROCESS_CACHE", "") == "1"
# Once the shared cache answers again: drop every cached page (a save may have happened while it was away).
CACHE_RECOVERED_HOOK = "boards.pagecache.bump_content_version"
# The menu and footer of base.html, rendered once per process: they change only with a deploy
# (no content in them, so a staff save has nothing to drop there).
CACHES["chrome"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "chrome"}
# 통합검색 results: always this process's own memory, a bounded number of entries,
# so a flood of different queries cannot push pages out of the shared cache.
CACHES["search"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "search",
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("SEARCH_CACHE_ENTRIES", "500"))},
}

# AxesBackend first: a locked-out account or address is refused before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko-kr"
# Korean for what third-party apps show staff without shipping it (django-axes).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("ko", "한국어")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are served only through views (permission checks, headers);
# there is deliberately no MEDIA_URL route into this folder.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "geumcheon_portal.addresses.StaticFilesStorage"  # whitenoise's, each address remembered
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Uploaded files shared by several app servers: MEDIA_STORAGE=s3 keeps them in an
# S3-compatible object store (NCP, KT Cloud, NHN Cloud…), private, still served only
# by our views (files/s3.py). Local files under MEDIA_ROOT otherwise.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local").strip().lower()
if MEDIA_STORAGE == "s3":
    _s3_missing = [
        name for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
        if not os.environ.get(name)
    ]
    if _s3_missing:
        raise ImproperlyConfigured(f"MEDIA_STORAGE=s3 needs {', '.join(_s3_missing)}.")
    STORAGES["default"] = {
        "BACKEND": "files.s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ["AWS_ACCESS_KEY_ID"],
            "secret_key": os.environ["AWS_SECRET_ACCESS_KEY"],
            "location": os.environ.get("AWS_LOCATION", "").strip("/"),
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            # A file read whole (image resizing, text extraction) spills to disk past this size.
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")

# Security headers; HTTPS-only cookies and HSTS are switched on where TLS ends.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Staff sessions: no persistent cookie, and staff/middleware.py ends them after
# STAFF_IDLE_MINUTES without a request or STAFF_SESSION_HOURS in all.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(float(os.environ.get("STAFF_SESSION_HOURS", "8")) * 3600)
STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "30"))
STAFF_SESSION_HOURS = float(os.environ.get("STAFF_SESSION_HOURS", "8"))
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes reports every login at INFO; failures and lockouts are in the audit log.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Portal-specific settings.
SITE_NAME = "금천구청"
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
BOARD_PAGE_SIZE = 10
# Anonymous home and list pages are cached at most this long (0 switches it off).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
SEARCH_QUERY_MAX_LENGTH = 100
# How a board list matches its search words: 통합검색's matcher, so the two agree (boards
# sits below search and names it only here).
BOARD_TEXT_MATCH = "search.engine.match"
# PostgreSQL stops any one 통합검색 query after this long; the visitor gets a Korean message.
SEARCH_STATEMENT_TIMEOUT_MS = int(os.environ.get("SEARCH_STATEMENT_TIMEOUT_MS", "3000"))
# Post readings are written to the database this many at a time (boards/counters.py).
VIEW_COUNT_BATCH = max(1, int(os.environ.get("VIEW_COUNT_BATCH", "10")))
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(50 * 1024 * 1024)))
# The rich-text editor's own extensions (tables with caption and header cells, body images):
# their same-origin JavaScript and what each may write, from which the body sanitiser is derived.
DJANGO_PROSE_EDITOR_EXTENSIONS = PROSE_EDITOR_EXTENSIONS

# --- Staff side (staff/) -----------------------------------------------------------------
# Where the admin lives, and who may reach it: from outside ADMIN_ALLOWED_NETWORKS
# (CIDR list; empty = anywhere) every admin URL answers 404.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"
ADMIN_ALLOWED_NETWORKS = env_list("ADMIN_ALLOWED_NETWORKS")
# The client address is the connection's, unless the connection comes from one of
# these proxies (CIDR list): then the nearest address in X-Forwarded-For they did not add.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# The visitor's address for whoever needs it below staff/ (the survey's rate limit): the same rule.
CLIENT_IP = "staff.network.client_ip"
# Who may do what in the admin (editorial/admin.py asks it; staff/policy.py answers).
PERMISSION_POLICY = "staff.policy.policy"
# Lockout (django-axes): LOGIN_FAILURE_LIMIT failures for one account or from one
# address within LOCKOUT_MINUTES lock that account or address for LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOCKOUT_MINUTES", "15")))
AXES_USE_ATTEMPT_EXPIRATION = True
# Failures count per account and per address; an office NAT listed here counts per account only.
LOCKOUT_SHARED_NETWORKS = env_list("LOCKOUT_SHARED_NETWORKS")
AXES_LOCKOUT_PARAMETERS = "staff.network.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "staff.network.client_ip"
AXES_LOCKOUT_TEMPLATE = "staff/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Audit entries are kept at least this long; ``manage.py purge_audit`` deletes only older ones.
AUDIT_RETENTION_DAYS = max(365, int(os.environ.get("AUDIT_RETENTION_DAYS", "730")))
# The file of a removed 붙임 stays this many days (never served) so restoring a revision can bring it
# back; ``manage.py purge_removed_files`` then deletes it. 0: deleted as soon as the 붙임 is removed.
REMOVED_FILE_RETENTION_DAYS = max(0, int(os.environ.get("REMOVED_FILE_RETENTION_DAYS", "30")))
OTP_TOTP_ISSUER = SITE_NAME

# --- Background work (geumcheon_portal/celery.py, tasks.py) -------------------------------
# With a broker (Redis) a worker runs the tasks and one scheduler (beat) starts them; without
# one (make run, tests) a task runs at once where it is asked for.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-job leaves it to another
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A broker that does not answer must not hold up the admin save that asks for work: fail fast, the
# periodic read_waiting_files asks again.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 3}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2}
# 붙임 larger than this are read by the worker after the save (boards/file_reading.py), not in the request.
EXTRACT_IN_REQUEST_MAX_BYTES = int(os.environ.get("EXTRACT_IN_REQUEST_MAX_BYTES", str(2 * 1024 * 1024)))
# 이메일 알림's daily digest (하루 한 번 모아서) goes out at this hour, Seoul time.
SUBSCRIPTION_DIGEST_HOUR = int(os.environ.get("SUBSCRIPTION_DIGEST_HOUR", "7"))
CELERY_BEAT_SCHEDULE = {
    "purge-feedback": {"task": "geumcheon_portal.tasks.purge_feedback", "schedule": 24 * 3600},
    "purge-audit": {"task": "geumcheon_portal.tasks.purge_audit", "schedule": 24 * 3600},
    "purge-removed-files": {"task": "geumcheon_portal.tasks.purge_removed_files", "schedule": 24 * 3600},
    "read-waiting-files": {"task": "geumcheon_portal.tasks.read_waiting_files", "schedule": 300},
    # 이메일 알림 (subscriptions/): posts that became public, every minute; the daily digest; retention.
    "announce-new-posts": {"task": "geumcheon_portal.tasks.announce_new_posts", "schedule": 60},
    "send-subscription-digests": {
        "task": "geumcheon_portal.tasks.send_subscription_digests",
        "schedule": crontab(minute=0, hour=SUBSCRIPTION_DIGEST_HOUR),
    },
    "purge-subscriptions": {"task": "geumcheon_portal.tasks.purge_subscriptions", "schedule": 24 * 3600},
}

# --- 이메일 알림 (subscriptions/) -------------------------------------------------------------
# Mail goes out through Django's e-mail settings: SMTP from the environment in production, the
# console (printed by runserver / the worker) when DEBUG, unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))  # a mail server that hangs must not hold the worker
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "금천구청 누리집 <noreply@geumcheon.go.kr>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Unconfirmed requests (and their links) last this many days; sent-mail records this many.
SUBSCRIPTION_CONFIRM_DAYS = int(os.environ.get("SUBSCRIPTION_CONFIRM_DAYS", "3"))
SUBSCRIPTION_SENT_KEEP_DAYS = int(os.environ.get("SUBSCRIPTION_SENT_KEEP_DAYS", "30"))
# The form: per client address and per e-mail address, within SUBSCRIPTION_RATE_WINDOW seconds.
SUBSCRIPTION_RATE_LIMIT = int(os.environ.get("SUBSCRIPTION_RATE_LIMIT", "10"))
SUBSCRIPTION_EMAIL_RATE_LIMIT = int(os.environ.get("SUBSCRIPTION_EMAIL_RATE_LIMIT", "3"))
SUBSCRIPTION_RATE_WINDOW = 3600
# The tick looks this far back along each board's 게시일시 for posts that became public by time.
SUBSCRIPTION_ANNOUNCE_WINDOW_HOURS = int(os.environ.get("SUBSCRIPTION_ANNOUNCE_WINDOW_HOURS", "24"))

# --- Backups (backups/) and the orphan sweeper's guard (files/) --------------------------
# ``manage.py backup_site`` writes one dated folder here: database dump, every stored file, manifest.
BACKUP_ROOT = Path(os.environ.get("BACKUP_ROOT", VAR_DIR / "backups"))
# Rows in these models show the database is the site's: ``sweep_orphan_files --delete`` refuses without any.
ORPHAN_SWEEP_POST_MODELS = "boards.registry.post_models"
