"""What a request answers when the database or the broker cannot be reached: a Vietnamese 503 with Retry-After.

Installed as `handler500`, so it sees every uncaught exception, from a view or from any middleware (the session, the
user, the login check all touch the database before a view runs). A connection failure becomes
"Hệ thống đang tạm gián đoạn…" with `Retry-After`; anything else stays the ordinary 500 page. The 503 page is rendered
without a request context, so it needs neither the database nor the session.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def _unavailable_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        from kombu.exceptions import OperationalError as BrokerError

        errors.append(BrokerError)
    except ImportError:  # pragma: no cover - kombu comes with celery
        pass
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError

        errors.append(RedisConnectionError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


UNAVAILABLE_ERRORS = _unavailable_errors()


def is_service_unavailable(exc: BaseException | None) -> bool:
    """A failure to reach the database or the broker (also when wrapped in another exception)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, UNAVAILABLE_ERRORS):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def service_unavailable(request=None) -> HttpResponse:
    body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    exc = sys.exc_info()[1]
    if is_service_unavailable(exc):
        logger.warning("Service unavailable: %s: %s", type(exc).__name__, exc)
        return service_unavailable(request)
    return defaults.server_error(request, template_name=template_name)
