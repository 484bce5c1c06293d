"""Thin task wrappers: take ids, call one service. Problem notices go through notifications (core.events)."""

from celery import shared_task

from field import services


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def remind_overdue_actions() -> int:
    """Daily (Celery beat): one e-mail per overdue follow-up action per day."""
    return services.followup_remind_overdue()
