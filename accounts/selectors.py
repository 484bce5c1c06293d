from datetime import datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AccessEvent


def access_events(*, user=None, action: str = "", date_from=None, date_to=None, ip: str = "") -> QuerySet:
    """The access log, newest first, narrowed by the page's filters. Only admins reach it (accounts.permissions)."""
    qs = AccessEvent.objects.select_related("user")
    if user:
        qs = qs.filter(username__icontains=user)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(created_at__gte=timezone.make_aware(datetime.combine(date_from, time.min)))
    if date_to:
        qs = qs.filter(created_at__lt=timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min)))
    if ip:
        qs = qs.filter(ip_address=ip)
    return qs.order_by("-created_at", "-pk")
