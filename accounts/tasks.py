from celery import shared_task

from accounts import services


@shared_task(acks_late=True, time_limit=10 * 60)
def purge_access_log() -> int:
    """Daily (beat): removes access-log rows older than ACCESS_LOG_RETENTION_DAYS."""
    return services.access_log_purge()
