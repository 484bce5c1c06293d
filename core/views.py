from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import heartbeat


def _check_broker() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "eager (embedded mode)"
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as exc:  # any failure to connect means the broker is unhealthy
        return False, f"{type(exc).__name__}: {exc}"


@never_cache
@require_GET
@login_not_required
def healthz(request):
    """For the load balancer and compose: database and broker reachable; the worker heartbeat reported beside."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
        db_ok = True
    except Exception as exc:
        checks["database"] = f"{type(exc).__name__}: {exc}"
        db_ok = False
    broker_ok, checks["broker"] = _check_broker()
    if broker_ok and not settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            checks["worker"] = heartbeat.worker_status()
        except Exception as exc:  # the broker answered a moment ago; report, don't fail the check
            checks["worker"] = {"status": "unknown", "error": f"{type(exc).__name__}: {exc}"}
    elif settings.CELERY_TASK_ALWAYS_EAGER:
        checks["worker"] = {"status": "eager"}
    else:
        checks["worker"] = {"status": "unknown"}
    # A missing worker does not make the web unhealthy (compose would restart the wrong container): it is reported.
    healthy = db_ok and broker_ok
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
