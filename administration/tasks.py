import smtplib

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

_TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(acks_late=True, time_limit=60, autoretry_for=_TRANSIENT, retry_backoff=30, max_retries=6)
def send_password_link(user_id: int) -> bool:
    """E-mails a password-set link. A second delivery sends a second (equally valid) link: harmless."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])
    with override("vi"):
        send_mail(
            subject=_("[Khuyến công] Đặt mật khẩu cho tài khoản %(username)s") % {"username": user.username},
            message=_(
                "Kính gửi %(name)s,\n\nTài khoản %(username)s của anh/chị trên hệ thống Khuyến công đã sẵn sàng. "
                "Mở liên kết sau để đặt mật khẩu (dùng được một lần):\n\n%(link)s\n"
            )
            % {"name": user, "username": user.username, "link": link},
            from_email=None,
            recipient_list=[user.email],
        )
    return True
