"""Sign-in events into the access log, and the e-mail that tells a user of a sign-in from a new browser."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts import audit, second_factor
from accounts.models import AccessAction, AccessEvent


def _is_new_browser(user, user_agent: str) -> bool:
    # "This browser" = its user agent string; the log keeps every sign-in for the retention period.
    return not AccessEvent.objects.filter(user=user, action=AccessAction.LOGIN, user_agent=user_agent[:300]).exists()


@receiver(user_logged_in, dispatch_uid="accounts.log_login")
def log_login(sender, request, user, **kwargs):
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    new_browser = _is_new_browser(user, user_agent)
    event = audit.record(request, AccessAction.LOGIN, user=user)
    second_factor.mark_authenticated(request)  # the password was just typed: factor changes allowed for a while
    if new_browser and user.email and getattr(settings, "NEW_BROWSER_EMAIL", True):
        transaction.on_commit(lambda: _send_new_browser_mail(user, event))


def _send_new_browser_mail(user, event) -> None:
    with translation.override(user.language or "vi"):
        context = {"user": user, "event": event, "when": timezone.localtime(event.created_at)}
        subject = render_to_string("accounts/email/new_browser_subject.txt", context).strip()
        body = render_to_string("accounts/email/new_browser.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)


@receiver(user_logged_out, dispatch_uid="accounts.log_logout")
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(request, AccessAction.LOGOUT, user=user)


@receiver(user_login_failed, dispatch_uid="accounts.log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    audit.record(request, AccessAction.LOGIN_FAILED, username=username, user=_known_user(username))


def _known_user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).first() if username else None


def log_lockout(sender, request, username, ip_address, **kwargs):
    audit.record(request, AccessAction.LOCKOUT, username=username or "", user=_known_user(username or ""))
