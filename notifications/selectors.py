"""Reads of a person's own notices: nobody reads another's (the recipient is the scope)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from notifications.models import EmailMode, Notification, Preference


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(*, user) -> QuerySet[Notification]:
    """Unread first, then newest first."""
    return Notification.objects.filter(recipient=user).order_by("-read_at__isnull", "-created_at", "-pk")


def notification_get(*, user, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient=user)


def email_mode_of(*, user) -> str:
    return Preference.objects.filter(user=user).values_list("email_mode", flat=True).first() or EmailMode.IMMEDIATE
