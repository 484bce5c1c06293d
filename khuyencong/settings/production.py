"""Production (docker compose): refuses to start without a real secret key, a broker or a real mail backend."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, EMAIL_BACKEND, SILENCED_SYSTEM_CHECKS, STORAGES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY phải là một chuỗi ngẫu nhiên dài ít nhất 50 ký tự.")

# Eager tasks must never run here: a PDF or an import would run inside a web request and hold a worker.
if not env("CELERY_BROKER_URL", default=""):
    raise ImproperlyConfigured("CELERY_BROKER_URL là bắt buộc trong môi trường production (Redis).")
# The console backend would print password-reset links into the server log instead of sending them.
if EMAIL_BACKEND in {"django.core.mail.backends.console.EmailBackend", "django.core.mail.backends.dummy.EmailBackend"}:
    raise ImproperlyConfigured("EMAIL_URL phải trỏ tới một máy chủ thư thật (smtp:// hoặc smtp+tls://).")
# Rate limits count in the cache, which gunicorn's several workers must share.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    raise ImproperlyConfigured("CACHE_URL là bắt buộc trong môi trường production (Redis, ví dụ redis://redis:6379/1).")
# Django's own RedisCache increments atomically (INCR); django-ratelimit only lists django-redis by name.
SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")

STORAGES = {
    "default": STORAGES["default"],  # the filesystem, or the S3 bucket with MEDIA_STORAGE=s3 (base.py)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Trusted ONLY because gunicorn is reachable from nowhere but the Caddy proxy: compose publishes no port for
# `web`, and Caddy sets X-Forwarded-Proto / X-Forwarded-For itself, replacing whatever a client sent. If gunicorn is
# ever exposed directly, a client could claim "https" and its own address: remove these two settings then.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUST_PROXY_HEADERS = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# The container healthcheck calls http://localhost:8000/healthz from inside the container.
if "localhost" not in ALLOWED_HOSTS:  # noqa: F405
    ALLOWED_HOSTS.append("localhost")  # noqa: F405
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# The demo CA made by load_demo must never sign or be trusted in production.
SIGNING_ALLOW_TEST_CA = False
