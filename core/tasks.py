from celery import shared_task


@shared_task(ignore_result=False, acks_late=True, time_limit=30)
def ping() -> str:
    """Proves a worker is consuming: health checks and the test suite wait for its answer."""
    return "pong"
