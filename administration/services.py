"""Writes for the admin pages. Every change of a person's roles or areas leaves a history row on the user naming
who made it and what changed (simple-history's change reason), so the user history reads as an audit trail."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from administration.permissions import can_deactivate, can_manage
from areas.models import AdministrativeUnit
from core import outbox
from core.permissions import require
from core.text import nfc

USER_FIELDS = ("username", "first_name", "last_name", "title", "email", "phone")


def _role_label(name: str) -> str:
    return str(Role(name).label) if name in Role.values else name


def _describe_changes(before_roles, after_roles, before_areas, after_areas) -> str:
    parts = []
    if before_roles != after_roles:
        parts.append(
            _("Vai trò: %(before)s → %(after)s")
            % {
                "before": ", ".join(sorted(_role_label(r) for r in before_roles)) or "—",
                "after": ", ".join(sorted(_role_label(r) for r in after_roles)) or "—",
            }
        )
    added, removed = after_areas - before_areas, before_areas - after_areas
    if added or removed:
        names = dict(AdministrativeUnit.objects.filter(pk__in=added | removed).values_list("pk", "name"))
        text = []
        if added:
            text.append(_("thêm %(names)s") % {"names": ", ".join(sorted(names[pk] for pk in added))})
        if removed:
            text.append(_("bỏ %(names)s") % {"names": ", ".join(sorted(names[pk] for pk in removed))})
        parts.append(_("Địa bàn: %(changes)s") % {"changes": "; ".join(text)})
    return "; ".join(parts)


def user_save(*, actor, data: dict, roles: Iterable[str], areas: Iterable, user=None):
    """Creates (`user` None) or updates a person with their roles and areas.

    A new person has no usable password: the admin sends them a password-set link. The history row of the save
    names the actor and, in its reason, the roles and areas changed.
    """
    require(can_manage(actor))
    roles = {str(r) for r in roles}
    area_ids = {a.pk for a in areas}
    creating = user is None
    with transaction.atomic():
        if creating:
            user = get_user_model()(is_active=True)
            user.set_unusable_password()
            before_roles, before_areas = set(), set()
        else:
            user = get_user_model().objects.select_for_update().get(pk=user.pk)
            before_roles = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
            before_areas = set(user.areas.values_list("pk", flat=True))
        for field in USER_FIELDS:
            if field in data:
                value = data[field]
                setattr(user, field, nfc(value.strip()) if isinstance(value, str) else value)
        user.full_clean(exclude=["password"])
        reason = _describe_changes(before_roles, roles, before_areas, area_ids)
        user._change_reason = (_("Tạo tài khoản") + (f"; {reason}" if reason else "")) if creating else reason
        user._history_user = actor
        user.save()
        if roles != before_roles:
            user.groups.remove(*Group.objects.filter(name__in=before_roles - roles))
            user.groups.add(*Group.objects.filter(name__in=roles - before_roles))
        if area_ids != before_areas:
            user.areas.set(area_ids)
    return user


def user_set_active(*, actor, user, active: bool, reason: str = ""):
    """Deactivates (cannot sign in, keeps every record) or reactivates a person. Nobody is ever deleted."""
    require(can_deactivate(actor, user))
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        if locked.is_active == active:
            return locked
        locked.is_active = active
        base = _("Mở lại tài khoản") if active else _("Khóa tài khoản")
        locked._change_reason = f"{base}: {nfc(reason)}" if reason else base
        locked._history_user = actor
        locked.save(update_fields=["is_active"])
    return locked


def user_send_password_link(*, actor, user) -> None:
    """E-mails a link to set a password (after commit, through the outbox)."""
    from django.core.exceptions import ValidationError

    require(can_manage(actor))
    if not user.is_active:
        raise ValidationError(_("Tài khoản đang bị khóa: mở lại trước khi gửi liên kết đặt mật khẩu."))
    if not user.email:
        raise ValidationError(_("Người dùng chưa có e-mail."))
    with transaction.atomic():
        outbox.enqueue("administration.tasks.send_password_link", user.pk)


def user_unlock(*, actor, user) -> int:
    """Clears the lockout after repeated failed logins; returns how many records were removed."""
    from axes.utils import reset

    require(can_manage(actor))
    return reset(username=user.username) or 0
