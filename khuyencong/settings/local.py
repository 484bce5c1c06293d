"""Developer machine and the embedded demo (`make run`)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# `make run` stays two commands: the demo users sign in with a password only (TWO_FACTOR_REQUIRED=true to try it).
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
