"""Production (docker compose): refuses to start without a real secret key."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY phải là một chuỗi ngẫu nhiên dài ít nhất 50 ký tự.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
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
