from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import fold


def user_search_text(user) -> str:
    return fold(" ".join([user.username, user.last_name, user.first_name, user.email]))[:500]


class User(AbstractUser):
    """A person who signs in. Roles are groups (accounts.roles); an area officer's scope is `areas`."""

    title = models.CharField(_("chức vụ"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default="vi")
    areas = models.ManyToManyField(
        "areas.AdministrativeUnit",
        verbose_name=_("địa bàn phụ trách"),
        blank=True,
        related_name="officers",
        help_text=_("Cán bộ địa bàn chỉ thấy dữ liệu của các đơn vị này và các đơn vị trực thuộc."),
    )

    # Folded username, names and e-mail (core.text.fold) for the admin's users list: "nguyen" finds "Nguyễn"
    # in the database instead of folding every user in Python. Kept in step by save() (admin, services,
    # createsuperuser and the password-reset flow all save through it).
    search_text = models.CharField(_("khóa tìm kiếm"), max_length=500, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login", "search_text"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        self.search_text = user_search_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"username", "first_name", "last_name", "email"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        # Vietnamese order: family name first ("Trần Thị Hồng").
        return f"{self.last_name} {self.first_name}".strip()


class AccessAction(models.TextChoices):
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập sai")
    LOCKOUT = "lockout", _("Tạm khóa đăng nhập")
    LOGOUT = "logout", _("Đăng xuất")
    PASSWORD_CHANGE = "password_change", _("Đổi mật khẩu")
    PASSWORD_RESET_REQUEST = "password_reset_request", _("Yêu cầu đặt lại mật khẩu")
    PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
    MFA_CHANGE = "mfa_change", _("Thay đổi xác thực hai lớp")
    MFA_RESET = "mfa_reset", _("Quản trị đặt lại xác thực hai lớp")
    DOWNLOAD = "download", _("Tải tệp")
    EXPORT = "export", _("Xuất dữ liệu")


class AccessEvent(models.Model):
    """One row of the access log: who did what, when, from where. Written by accounts.audit.record only.

    Not a business model (no history): rows are never edited, and old ones are removed by
    accounts.tasks.purge_access_log after ACCESS_LOG_RETENTION_DAYS.
    """

    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_events",
    )
    # The name typed at a failed sign-in, kept even when no such user exists (or the user is deleted later).
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=32, choices=AccessAction.choices)
    what = models.CharField(_("nội dung"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=300, blank=True)
    path = models.CharField(_("đường dẫn"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The log page filtered by one person, newest first.
            models.Index(fields=["user", "-created_at"], name="accessevent_user_time"),
            # The log page filtered by action, newest first.
            models.Index(fields=["action", "-created_at"], name="accessevent_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.action}"
