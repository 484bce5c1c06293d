"""Admins manage people and reference data; leaders may read the reference data."""

from django.utils.translation import gettext as _

from accounts.roles import Role, has_role

Decision = tuple[bool, str]


def can_manage(user) -> Decision:
    if has_role(user, Role.ADMIN):
        return True, ""
    return False, _("Chỉ quản trị hệ thống được quản lý người dùng và danh mục.")


def can_read_reference(user) -> Decision:
    if has_role(user, Role.ADMIN, Role.LEADER):
        return True, ""
    return False, _("Chỉ quản trị hệ thống và lãnh đạo được xem danh mục.")


def can_deactivate(actor, target) -> Decision:
    allowed, reason = can_manage(actor)
    if not allowed:
        return allowed, reason
    if target.pk == actor.pk:
        return False, _("Không thể tự khóa tài khoản của mình.")
    return True, ""
