"""Roles are Django groups, created by a migration; what each may do lives in the apps' permissions.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    STAFF = "staff", _("Chuyên viên Sở")
    LEADER = "leader", _("Lãnh đạo")
    AREA_OFFICER = "area_officer", _("Cán bộ địa bàn")
    JUROR = "juror", _("Giám khảo")


# When a person holds several roles, the home page and navigation follow the first one here.
ROLE_PRIORITY = [Role.ADMIN, Role.LEADER, Role.STAFF, Role.AREA_OFFICER, Role.JUROR]

# Django model permissions per role, for the Django admin. Our own views decide with can_* functions.
ROLE_APP_PERMISSIONS = {
    Role.ADMIN: {
        "accounts",
        "areas",
        "beneficiaries",
        "projects",
        "budgets",
        "field",
        "documents",
        "contest",
        "monitoring",
        "api",
        "auth",
        "core",
    },
    Role.STAFF: set(),
    Role.LEADER: set(),
    Role.AREA_OFFICER: set(),
    Role.JUROR: set(),
}


def user_roles(user) -> frozenset[str]:
    """The user's roles, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMIN)
        cached = frozenset(name for name in names if name in Role.values)
        user._role_cache = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def primary_role(user) -> str | None:
    roles = user_roles(user)
    for role in ROLE_PRIORITY:
        if role in roles:
            return str(role)
    return None


def sees_everything(user) -> bool:
    """Department-wide roles see every area; area officers only theirs."""
    return has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER)


def create_role_groups(Group) -> None:
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def sync_role_permissions(sender=None, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    for role, app_labels in ROLE_APP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        if app_labels:
            perms = Permission.objects.filter(content_type__app_label__in=app_labels)
            group.permissions.add(*perms)
