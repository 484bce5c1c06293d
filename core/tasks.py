from celery import shared_task


@shared_task(ignore_result=False, acks_late=True, time_limit=30)
def ping() -> str:
    """Proves a worker is consuming: health checks and the test suite wait for its answer."""
    return "pong"


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def outbox_resend() -> int:
    """Every minute (beat): sends again the outbox rows the broker did not take after their commit."""
    from core.outbox import resend_unsent

    return resend_unsent()
