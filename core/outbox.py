"""One way to enqueue a Celery task after commit that survives a broker outage.

`enqueue("app.tasks.name", *args, **kwargs)` writes an `OutboxMessage` in the caller's transaction and hands it to
the broker once that transaction commits. When the broker is unreachable the row simply stays unsent and the beat
task `core.tasks.outbox_resend` tries again; the action that called `enqueue` never fails because of the broker.
Tasks must take JSON arguments (ids) and be idempotent, since a row may be delivered more than once.
"""

import datetime
import logging
from importlib import import_module

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from core.models import OutboxMessage

logger = logging.getLogger(__name__)

# A saved action must not hang when the broker is down: one quick retry, then the row waits for the beat task.
_PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

# Rows younger than this are still being sent by their on_commit callback; the beat task leaves them alone.
RESEND_AFTER = datetime.timedelta(minutes=1)


def enqueue(task: str, *args, **kwargs) -> OutboxMessage:
    """Records the task in the current transaction and sends it after commit."""
    message = OutboxMessage.objects.create(task=task, args=list(args), kwargs=kwargs)
    message_id = message.pk
    transaction.on_commit(lambda: send(message_id))
    return message


def send(message_id: int) -> bool:
    """Hands one row to the broker; True when it was accepted (or was already sent)."""
    message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:
        return True
    OutboxMessage.objects.filter(pk=message_id).update(attempts=F("attempts") + 1)
    try:
        # The task object (not send_task) so that eager mode runs it in-process like any other task; its module
        # is imported first because the web process registers tasks only as their modules are imported.
        import_module(message.task.rsplit(".", 1)[0])
        current_app.tasks[message.task].apply_async(
            args=message.args, kwargs=message.kwargs, retry=True, retry_policy=_PUBLISH_RETRY
        )
    except (BrokerError, OSError) as exc:
        logger.warning("Broker unreachable, outbox message %s kept for later: %s", message_id, exc)
        OutboxMessage.objects.filter(pk=message_id).update(last_error=str(exc)[:2000])
        return False
    except Exception as exc:
        if not current_app.conf.task_always_eager:
            raise
        # Eager (embedded) mode runs the task right here, after the action committed: its failure is logged and
        # kept on the row, never turned into an error page for an action that did succeed.
        logger.exception("Outbox message %s failed in eager mode", message_id)
        OutboxMessage.objects.filter(pk=message_id).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(sent_at=timezone.now(), last_error="")
    return True


def resend_unsent(*, older_than: datetime.timedelta = RESEND_AFTER, limit: int = 500) -> int:
    """Sends again what the broker did not take; returns how many were accepted now."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message_id in ids:
        if not send(message_id):
            break  # the broker is still down: the next run tries again
        sent += 1
    return sent
