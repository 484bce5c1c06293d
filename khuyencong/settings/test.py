"""Test run: fast hashing, in-memory e-mail, no lockout surprises between tests."""

import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Media as base.py chooses (the filesystem unless MEDIA_STORAGE=s3 is set); tests/s3 switches one test to a moto
# bucket with the `s3_media` fixture, and its restore subprocess sets MEDIA_STORAGE=s3.
STORAGES = {
    "default": STORAGES["default"],  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SITE_URL = "http://testserver.example"
# Tests that count e-mails are not about sign-ins; tests/accounts/test_access_log.py turns it on.
NEW_BROWSER_EMAIL = False
# Most tests sign in with force_login; tests/accounts/test_two_factor.py turns enforcement on.
TWO_FACTOR_REQUIRED = False
SIGNING_ALLOW_TEST_CA = True
# The demo certificates' passphrase (load_demo's throwaway test CA; production never reads this).
os.environ.setdefault("KC_DEMO_SIGNING_PASSPHRASE", "chi-de-thu-nghiem")

# Under pytest-xdist every worker (PYTEST_XDIST_WORKER = gw0, gw1, …) has its own test database (pytest-django adds
# the suffix) and its own Redis keys: the prefix is set once per process in the environment, so the Celery worker
# that tests/worker.py starts from this process inherits it. Two runs sharing one Redis database do not collide either.
os.environ.setdefault(
    "KC_TEST_KEY_PREFIX",
    "khuyencong-test:{}-{}:".format(os.environ.get("PYTEST_XDIST_WORKER", "main"), os.urandom(4).hex()),
)
WORKER_HEARTBEAT_KEY_PREFIX = os.environ["KC_TEST_KEY_PREFIX"] + "worker-heartbeat:"
# The figures cache on in every test run (core.figures_cache), also where CI gives the tests a real worker: the
# tests read the figures in this process, after the writes they make in it.
FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", "600"))  # the benches set 0 (bench/_common.py)
