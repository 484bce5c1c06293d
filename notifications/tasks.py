"""Thin task wrappers for notice e-mails: ids in, one service call, retries with backoff for the mail server only."""

import datetime as dt
import smtplib

from celery import shared_task
from django.utils import timezone

from notifications import services

_TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    acks_late=True,
    time_limit=60,
    autoretry_for=_TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def send_notification_email(self, delivery_id: int) -> bool:
    """Sends one notice's e-mail; quiet when already sent (a re-delivered or re-sent task)."""
    try:
        return services.email_deliver(delivery_id=delivery_id)
    except _TRANSIENT as exc:
        services.email_delivery_failed(delivery_id=delivery_id, error=str(exc))
        raise


@shared_task(acks_late=True, time_limit=600, autoretry_for=_TRANSIENT, retry_backoff=60, max_retries=6)
def send_daily_digests(day: str | None = None) -> int:
    """Every morning (beat): one digest per person who chose it, listing the previous day's notices.

    A retry after a mail-server error starts over; people already served that day are skipped by their row."""
    target = dt.date.fromisoformat(day) if day else timezone.localdate() - dt.timedelta(days=1)
    return sum(services.digest_send_one(user_id=user_id, day=target) for user_id in services.digests_due(day=target))


@shared_task(acks_late=True, time_limit=600)
def notify_followups() -> int:
    """Daily (beat): follow-up actions due in three days or overdue, one notice each to their owner."""
    from notifications.followups import followups_notify

    return followups_notify()
