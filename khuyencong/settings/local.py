"""Developer machine and the embedded demo (`make run`)."""

import os

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# `make run` stays two commands: the demo users sign in with a password only (TWO_FACTOR_REQUIRED=true to try it).
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)

SIGNING_ALLOW_TEST_CA = env.bool("SIGNING_ALLOW_TEST_CA", default=True)
# The demo certificates' passphrase (load_demo's throwaway test CA; production never reads this).
os.environ.setdefault("KC_DEMO_SIGNING_PASSPHRASE", "chi-de-thu-nghiem")
