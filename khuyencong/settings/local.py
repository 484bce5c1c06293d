"""Developer machine and the embedded demo (`make run`)."""

import os

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)

SIGNING_ALLOW_TEST_CA = env.bool("SIGNING_ALLOW_TEST_CA", default=True)
# The demo certificates' passphrase (load_demo's throwaway test CA; production never reads this).
os.environ.setdefault("KC_DEMO_SIGNING_PASSPHRASE", "chi-de-thu-nghiem")
