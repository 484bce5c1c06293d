"""Production settings as the image runs them, for the gunicorn that tests/security/test_caddy.py puts behind
Caddy. One difference: static files are served by WhiteNoise straight from static/ (finders) instead of from a
collected, compressed manifest — collecting takes minutes, and the image's collectstatic step has its own test
(tests/core/test_deploy.py). Everything about proxies, HTTPS and headers is production's own."""

from khuyencong.settings.production import *  # noqa: F403
from khuyencong.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
