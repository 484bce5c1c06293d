"""Reads of a person's own notices: nobody reads another's (the recipient is the scope)."""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.shortcuts import get_object_or_404

from notifications.models import EmailMode, Notification, Preference


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(*, user) -> QuerySet[Notification]:
    """Unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return Notification.objects.filter(recipient=user).annotate(unread=unread).order_by("-unread", "-created_at", "-pk")


def notification_get(*, user, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient=user)


def email_mode_of(*, user) -> str:
    return Preference.objects.filter(user=user).values_list("email_mode", flat=True).first() or EmailMode.IMMEDIATE
