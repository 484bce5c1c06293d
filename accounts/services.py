from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import AccessEvent, User


def user_set_language(*, actor: User, language: str) -> User:
    with transaction.atomic():
        actor.language = language
        actor.full_clean(validate_unique=False)
        actor.save(update_fields=["language"])
    return actor


def access_log_purge(*, now=None) -> int:
    """Deletes access-log rows older than ACCESS_LOG_RETENTION_DAYS (0 keeps everything); returns how many."""
    days = settings.ACCESS_LOG_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = AccessEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
