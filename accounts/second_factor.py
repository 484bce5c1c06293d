"""Who must use a second factor, whether they have one, and the recent-password rule for factor changes.

The factors themselves (TOTP, recovery codes, WebAuthn) and the sign-in wizard are django-two-factor-auth's.
"""

import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from accounts import audit
from accounts.models import AccessAction
from accounts.roles import Role, has_role

REAUTH_SESSION_KEY = "accounts_reauth_at"


def required_for(user) -> bool:
    return bool(settings.TWO_FACTOR_REQUIRED) and has_role(user, *settings.TWO_FACTOR_REQUIRED_ROLES)


def has_factor(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def mark_authenticated(request) -> None:
    """The password was just typed (sign-in or the re-authentication page)."""
    if request is not None and hasattr(request, "session"):
        request.session[REAUTH_SESSION_KEY] = int(time.time())


def recently_authenticated(request) -> bool:
    at = request.session.get(REAUTH_SESSION_KEY, 0)
    return time.time() - at <= settings.REAUTH_MINUTES * 60


def reauth_url() -> str:
    return reverse("reauth")


def login_url() -> str:
    return reverse("login")


def second_factor_reset(*, actor, user, request=None) -> int:
    """An admin removes every factor of another user (lost phone); recorded in the access log. Returns how many.

    The user is then held on the setup page at their next sign-in, if their role requires a factor.
    """
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied(_("Chỉ quản trị hệ thống đặt lại được xác thực hai lớp."))
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        audit.record(request, AccessAction.MFA_RESET, user.get_username(), user=actor)
    return len(devices)
