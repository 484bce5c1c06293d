"""Writes for notices: creating them (called by receivers), reading them, and their e-mails (called by tasks)."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.scope import unit_in_scope
from core import outbox
from notifications.models import DigestDelivery, EmailDelivery, EmailMode, Notification, Preference


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path else settings.SITE_URL


def email_mode(user) -> str:
    pref = Preference.objects.filter(user=user).values_list("email_mode", flat=True).first()
    return pref or EmailMode.IMMEDIATE


def notify(
    *,
    recipients: Iterable,
    event: str,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    unit=None,
    actor=None,
) -> list[Notification]:
    """Gives each recipient one notice for this event occurrence (`key`); returns the notices created now.

    Inactive people, the `actor` (nobody is told of their own action) and anyone who may not see `unit` (an area
    officer of another area) are left out here, so no receiver can address them by mistake. An e-mail is queued
    through the outbox for those who want it at once. Call inside the transaction of the change being announced.
    """
    people = {}
    for user in recipients:
        if user is None or not user.is_active or (actor is not None and user.pk == actor.pk):
            continue
        if unit is None or unit_in_scope(user, unit):
            people[user.pk] = user
    if not people:
        return []
    already = set(Notification.objects.filter(key=key, recipient_id__in=people).values_list("recipient_id", flat=True))
    modes = dict(Preference.objects.filter(user_id__in=people).values_list("user_id", "email_mode"))
    created = []
    for user_id, user in people.items():
        if user_id in already:
            continue
        notice = Notification.objects.create(
            recipient=user, event=event, key=key[:200], title=title[:300], body=body, url=url, unit=unit
        )
        created.append(notice)
        if user.email and modes.get(user_id, EmailMode.IMMEDIATE) == EmailMode.IMMEDIATE:
            delivery = EmailDelivery.objects.create(notification=notice)
            outbox.enqueue("notifications.tasks.send_notification_email", delivery.pk)
    return created


def notification_open(*, actor, notification: Notification) -> Notification:
    """Marks the actor's own notice read (idempotent)."""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def preference_set(*, actor, email_mode: str) -> Preference:
    if email_mode not in EmailMode.values:
        raise ValidationError({"email_mode": _("Cách nhận thông báo không hợp lệ.")})
    pref, _created = Preference.objects.update_or_create(user=actor, defaults={"email_mode": email_mode})
    return pref


def _email_text(notice: Notification) -> str:
    lines = [_("Kính gửi %(name)s,") % {"name": notice.recipient}, "", notice.title]
    if notice.body:
        lines += ["", notice.body]
    if notice.url:
        lines += ["", _("Xem chi tiết: %(url)s") % {"url": absolute_url(notice.url)}]
    lines += ["", _("Thay đổi cách nhận thông báo: %(url)s") % {"url": absolute_url("/thong-bao/")}]
    return "\n".join(lines) + "\n"


def email_deliver(*, delivery_id: int) -> bool:
    """Sends the e-mail of one notice. False, sending nothing, when already sent (a repeated task) or the person
    no longer wants it. An SMTP error propagates with the row unchanged, for the task to retry."""
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update(of=("self",))
            .select_related("notification__recipient")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.sent_at is not None:
            return False
        notice = delivery.notification
        user = notice.recipient
        if not user.is_active or not user.email:
            return False
        with override("vi"):
            send_mail(
                subject=_("[Khuyến công] %(title)s") % {"title": notice.title},
                message=_email_text(notice),
                from_email=None,
                recipient_list=[user.email],
            )
        delivery.sent_at = timezone.now()
        delivery.attempts += 1
        delivery.save(update_fields=["sent_at", "attempts"])
    return True


def email_delivery_failed(*, delivery_id: int, error: str) -> None:
    EmailDelivery.objects.filter(pk=delivery_id, sent_at__isnull=True).update(last_error=error[:2000])


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def digest_send_one(*, user_id: int, day: dt.date) -> bool:
    """One e-mail listing the person's notices of `day`; False when already sent or nothing to list."""
    start, end = _day_bounds(day)
    with transaction.atomic():
        digest, _created = DigestDelivery.objects.select_for_update().get_or_create(user_id=user_id, day=day)
        if digest.sent_at is not None:
            return False
        notices = list(
            Notification.objects.filter(recipient_id=user_id, created_at__gte=start, created_at__lt=end)
            .select_related("recipient")
            .order_by("created_at", "pk")
        )
        user = notices[0].recipient if notices else None
        if user is None or not user.is_active or not user.email:
            digest.delete()
            return False
        with override("vi"):
            lines = [
                _("Kính gửi %(name)s,") % {"name": user},
                "",
                _("Các thông báo ngày %(day)s:") % {"day": day.strftime("%d/%m/%Y")},
                "",
            ]
            for notice in notices:
                lines.append(f"- {notice.title}")
                if notice.url:
                    lines.append(f"  {absolute_url(notice.url)}")
            lines += ["", _("Thay đổi cách nhận thông báo: %(url)s") % {"url": absolute_url("/thong-bao/")}]
            send_mail(
                subject=_("[Khuyến công] %(n)s thông báo ngày %(day)s")
                % {"n": len(notices), "day": day.strftime("%d/%m/%Y")},
                message="\n".join(lines) + "\n",
                from_email=None,
                recipient_list=[user.email],
            )
        digest.sent_at = timezone.now()
        digest.notification_count = len(notices)
        digest.save(update_fields=["sent_at", "notification_count"])
    return True


def digests_due(*, day: dt.date) -> list[int]:
    """The people who chose the digest and had notices on `day`."""
    start, end = _day_bounds(day)
    return sorted(
        set(
            Notification.objects.filter(
                created_at__gte=start,
                created_at__lt=end,
                recipient__notification_preference__email_mode=EmailMode.DIGEST,
            ).values_list("recipient_id", flat=True)
        )
    )
