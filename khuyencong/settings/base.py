"""Settings shared by every environment; everything that differs comes from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address people open the site at: links in e-mails are built from it (a mail has no request to ask).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "two_factor.plugins.webauthn",
    "csp",
    "django_ratelimit",
    "core",
    "areas",
    "accounts",
    "beneficiaries",
    "projects",
    "budgets",
    "field",
    "documents",
    "contest",
    "monitoring",
    "api",
    "notifications",
    "administration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.IdleSessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a login unless it is explicitly marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # request.user.is_verified(): signed in with a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Roles that must use a second factor are held on its setup page; factor changes need the password again.
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Too many password-reset requests: RATELIMIT_VIEW answers 429 instead of a bare 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, so that lockouts see the final response of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khuyencong.urls"
WSGI_APPLICATION = "khuyencong.wsgi.application"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

SILENCED_SYSTEM_CHECKS: list[str] = []
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A slow query must not hold a web worker for ever: PostgreSQL cancels any statement of a web request after this many
# milliseconds (the page then answers an error instead of piling up). Workers, beat and backups set 0 (no limit).
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=15000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_STATEMENT_TIMEOUT_MS:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Covering indexes (INCLUDE) serve PostgreSQL; SQLite just ignores the extra columns.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email", "phone")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.VietnameseCommonPasswordValidator"},
    {"NAME": "accounts.validators.PersonalInfoPasswordValidator"},
]
LOGIN_URL = "login"  # accounts.views.LoginView: two_factor's wizard
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle timeout: a session left alone for SESSION_IDLE_MINUTES ends; a request renews it (the row is rewritten at most
# once every SESSION_RENEW_SECONDS, see accounts/sessions.py, so a page view normally writes nothing).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=120) * 60
SESSION_RENEW_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lockout after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The sign-in page is django-two-factor-auth's wizard, whose fields are "auth-username"/"auth-password".
AXES_USERNAME_CALLABLE = "accounts.audit.axes_username"

# Second factor (django-two-factor-auth on django-otp): TOTP apps, recovery codes, WebAuthn passkeys/keys.
# Required for the department roles in production; the embedded demo (settings.local) turns it off.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
TWO_FACTOR_REQUIRED_ROLES = ["admin", "leader", "staff"]
TWO_FACTOR_LOGIN_TIMEOUT = 600
TWO_FACTOR_WEBAUTHN_RP_NAME = "Khuyến công"
TWO_FACTOR_REMEMBER_COOKIE_AGE = None
OTP_TOTP_ISSUER = "Khuyến công"
# django-otp's own throttle per device (account): each failure doubles the wait before the next try.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Per address and per account, on top: second-factor codes tried at sign-in.
TWO_FACTOR_ATTEMPT_RATE = env("TWO_FACTOR_ATTEMPT_RATE", default="10/15m")
# Adding or removing a factor needs the password typed within this many minutes.
REAUTH_MINUTES = 10
AXES_VERBOSE = False

# django-axes asks accounts.audit for the client address, so the access log and the lockout name the same one.
AXES_CLIENT_IP_CALLABLE = "accounts.audit.client_ip"
RATELIMIT_IP_META_KEY = "accounts.audit.client_ip"
# Only production sits behind the compose proxy, whose X-Forwarded-For is the one to believe.
TRUST_PROXY_HEADERS = False

# Cache: rate limits (django-ratelimit) count in it, so every web process must share it (Redis in production).
# The embedded mode is one process, where the local-memory cache is shared by definition.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "accounts.views.rate_limited"
# Per account and per address, for password reset requests and second-factor codes.
PASSWORD_RESET_RATE = env("PASSWORD_RESET_RATE", default="5/h")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]

# Access log (accounts.AccessEvent): rows older than this are removed by a daily beat job.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=365)
# An e-mail to the user on each sign-in from a browser not seen in the access log.
NEW_BROWSER_EMAIL = env.bool("NEW_BROWSER_EMAIL", default=True)

# Content Security Policy (django-csp): nothing inline, everything from this origin. Templates keep scripts and
# styles in static files; dynamic widths go through data attributes read by static/js/app.js.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["khuyencong.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads and generated PDFs: the filesystem under MEDIA_ROOT (one host), or with MEDIA_STORAGE=s3 a private bucket on
# any S3-compatible store (MinIO, Ceph, a cloud's) that several web and worker hosts share. Either way a file leaves
# the server only through a scoped view (core.files.file_response); the bucket is never handed to a browser.
MEDIA_STORAGE = env("MEDIA_STORAGE", default="filesystem")
S3_OPTIONS = {
    "bucket_name": env("S3_BUCKET", default="khuyencong"),
    "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
    "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
    "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
    "region_name": env("S3_REGION", default="") or None,
    "addressing_style": env("S3_ADDRESSING_STYLE", default="path"),
    "default_acl": None,  # the bucket's own policy: private
    "querystring_auth": True,  # a stray .url is a short-lived signed link, never a public one
    "file_overwrite": False,  # same rule as the filesystem: a clash gets a new name
    "location": env("S3_PREFIX", default=""),
}
if MEDIA_STORAGE == "s3":
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS}
elif MEDIA_STORAGE == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Digital signatures (documents.signing): PKCS#12 files and signature/seal images live in this folder, never in the
# repository; passphrases come from environment variables named per certificate (SigningIdentity.passphrase_env).
SIGNING_SECRETS_DIR = env("SIGNING_SECRETS_DIR", default="")  # empty: MEDIA_ROOT/secrets
# PEM files of the roots a signature's chain must reach to count as trusted on the verification page. None shipped:
# a deployment adds the roots it has checked (e.g. the Ban Cơ yếu's root CA).
SIGNATURE_TRUST_ROOTS = env.list("SIGNATURE_TRUST_ROOTS", default=[])
# RFC 3161 timestamp server: when set, signatures are PAdES B-T instead of B-B.
SIGNING_TIMESTAMP_URL = env("SIGNING_TIMESTAMP_URL", default="")
# The throwaway demo CA made by load_demo; production.py forces this off.
SIGNING_ALLOW_TEST_CA = env.bool("SIGNING_ALLOW_TEST_CA", default=False)
# Backups (`manage.py backup`, nightly in compose): where archives go and how many days they are kept.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=14)

# Uploads: refuse anything bigger than this before it reaches a view.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="khuyencong@localhost")
# How often the navigation bell asks for the unread count.
NOTIFICATION_POLL_SECONDS = env.int("NOTIFICATION_POLL_SECONDS", default=30)

# Celery: without a broker the embedded mode runs tasks in-process, eagerly.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Dashboard, money summary, map counts and key figures are shared between readers through the cache under the version
# of their data (core.figures_cache); entries expire after this many seconds, 0 turns it off. Every process that
# writes must bump the versions the readers see: the cache must be shared (Redis) unless one process does it all
# (tasks run eagerly), so a local set-up with real workers and the local-memory cache gets 0.
FIGURES_CACHE_SECONDS = env.int(
    "FIGURES_CACHE_SECONDS",
    default=600
    if CELERY_TASK_ALWAYS_EAGER or CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache"
    else 0,
)
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
# Job state lives in our own tables; a result backend is only used where a caller waits (health checks, tests).
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else None
)
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE: dict = {
    "worker-heartbeat": {"task": "core.heartbeat.beat", "schedule": 30},
    # Outbox rows the broker did not take after their commit (it was down): sent again.
    "core-outbox-resend": {"task": "core.tasks.outbox_resend", "schedule": 60},
    # Each morning: the previous day's notices for people who chose the daily digest.
    "notifications-followups": {"task": "notifications.tasks.notify_followups", "schedule": crontab(minute=0, hour=7)},
    "notifications-daily-digest": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(minute=30, hour=7),
    },
    # Every 20 s: a job whose worker died (lease of 30 s run out) resumes within a minute (documents/services.py).
    "documents-resend-stuck": {"task": "documents.tasks.resend_stuck_documents", "schedule": 20},
    # Hourly in office hours: the first run of the day reminds, later runs only retry what failed (field.ActionReminder
    # allows one e-mail per overdue action per day).
    "field-remind-overdue-actions": {
        "task": "field.tasks.remind_overdue_actions",
        "schedule": crontab(minute=0, hour="7-17"),
    },
    "accounts-purge-access-log": {"task": "accounts.tasks.purge_access_log", "schedule": crontab(minute=30, hour=2)},
}

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Exports of more rows than this are made by a worker (a document job) instead of inside the web request: a short
# list stays one click, a national one (100,000 establishments) never holds a web worker for its whole write.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=2000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}


# --- Read API (api/) -------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ClientTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsApiClient"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API dữ liệu khuyến công",
    "DESCRIPTION": (
        "API chỉ đọc cho cơ sở dữ liệu khuyến công quốc gia và các cơ quan khác. Mỗi đơn vị dùng một mã khóa do "
        "quản trị hệ thống cấp (Authorization: Bearer <mã khóa>), trong phạm vi toàn tỉnh hoặc một địa bàn; mọi "
        "lượt gọi được ghi nhật ký. Danh sách phân trang bằng con trỏ (trường next), sắp theo thời điểm cập nhật; "
        "tham số updated_since trả về đúng các bản ghi thay đổi từ thời điểm đó để đồng bộ dần. Số tiền là số "
        "nguyên, đơn vị đồng. Mã đơn vị hành chính theo QĐ 19/2025/QĐ-TTg; bản ghi giữ địa bàn khi nhập, trường "
        "current_commune cho biết xã/phường hiện hành."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}
