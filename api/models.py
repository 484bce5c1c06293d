"""API clients (one token each, scoped to an area or the whole province) and the access log.

The access log is this app's own minimal table until the project-wide audit log (`accounts.audit`) exists;
then `api.logging.log_call` writes there instead.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClient(TimeStampedModel):
    """An agency or system that reads the data (the Ministry's national database, …).

    The token is shown once when the client is created; only its SHA-256 is stored. Each client reads through
    a service account of its own (`user`): the whole province as a leader would, or one area as an area
    officer would, so the API applies exactly the selectors and scope of the pages.
    """

    name = models.CharField(_("tên đơn vị sử dụng"), max_length=200)
    unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Để trống: toàn tỉnh/thành phố."),
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản dịch vụ"), on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("đầu mã khóa"), max_length=8, editable=False)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị dùng API")
        verbose_name_plural = _("đơn vị dùng API")

    def __str__(self) -> str:
        return self.name


class ApiAccessLog(models.Model):
    """One row per call to the API, answered or refused."""

    client = models.ForeignKey(
        ApiClient, verbose_name=_("đơn vị"), null=True, on_delete=models.SET_NULL, related_name="calls"
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    method = models.CharField(_("phương thức"), max_length=8)
    path = models.CharField(_("đường dẫn"), max_length=300)
    query = models.CharField(_("tham số"), max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(_("mã trả về"))
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"), default=0)

    class Meta:
        verbose_name = _("nhật ký truy cập API")
        verbose_name_plural = _("nhật ký truy cập API")
        # The admin list and "calls of one client, newest first".
        indexes = [models.Index(fields=["client", "-at"], name="api_log_client_at")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.method} {self.path} {self.status}"
