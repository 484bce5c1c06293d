"""Thin task wrappers: take ids, call one service, retry only what may pass on a second try (mail server)."""

import smtplib

from celery import shared_task

from field import services

_TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    acks_late=True,
    time_limit=60,
    autoretry_for=_TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=6,
)
def notify_problem(report_id: int) -> bool:
    """E-mails a problem flagged in a field report; quiet when already done."""
    return services.field_report_notify_problem(report_id=report_id)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def remind_overdue_actions() -> int:
    """Daily (Celery beat): one e-mail per overdue follow-up action per day."""
    return services.followup_remind_overdue()
