"""Thin tasks: ids in, one service call. Job state lives in DocumentJob, not in a result backend."""

from celery import shared_task

from documents import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def render_document(job_id: int) -> None:
    services.document_render(job_id=job_id)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def resend_stuck_documents() -> int:
    """Celery beat, every few minutes (CELERY_BEAT_SCHEDULE)."""
    return services.document_jobs_resend()
