"""Developer machine and the embedded demo (`make run`)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
