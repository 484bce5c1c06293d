"""Notices shown in the app (the bell) and their e-mails, one per event per recipient."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Gửi e-mail ngay")
    DIGEST = "digest", _("Một e-mail tổng hợp mỗi ngày")
    NONE = "none", _("Không gửi e-mail")


class Event(models.TextChoices):
    PROJECT_REGISTERED = "project_registered", _("Đề án đăng ký")
    PROJECT_APPRAISED = "project_appraised", _("Kết quả thẩm định")
    PROJECT_APPROVED = "project_approved", _("Quyết định phê duyệt")
    ADJUSTMENT_REQUESTED = "adjustment_requested", _("Đề nghị điều chỉnh")
    ADJUSTMENT_DECIDED = "adjustment_decided", _("Kết quả điều chỉnh")
    EXCEPTION_REQUESTED = "exception_requested", _("Đề nghị ngoại lệ kinh phí")
    EXCEPTION_DECIDED = "exception_decided", _("Kết quả đề nghị ngoại lệ")
    PAYMENT_RECORDED = "payment_recorded", _("Giải ngân")
    ACCEPTANCE = "acceptance", _("Nghiệm thu")
    FIELD_PROBLEM = "field_problem", _("Vướng mắc tại cơ sở")
    FOLLOWUP_DUE = "followup_due", _("Việc sắp đến hạn")
    FOLLOWUP_OVERDUE = "followup_overdue", _("Việc quá hạn")
    DOCUMENT_FINISHED = "document_finished", _("Văn bản")
    CONTEST_SCORING = "contest_scoring", _("Chấm điểm bình chọn")
    IMPORT_FINISHED = "import_finished", _("Nhập dữ liệu")


class Preference(TimeStampedModel):
    """How a person wants the e-mail copy of their notices. No row means "immediately"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("nhận e-mail thông báo"), max_length=12, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cài đặt thông báo")
        verbose_name_plural = _("cài đặt thông báo")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_mode_display()}"


class Notification(models.Model):
    """One notice for one person. `key` names the event occurrence ("field_problem:report:12"): unique per
    recipient, so an event announced twice (a retry, a repeated call) gives nobody a second notice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("người nhận")
    )
    event = models.CharField(_("sự kiện"), max_length=40, choices=Event.choices)
    key = models.CharField(_("khóa sự kiện"), max_length=200)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    # The area of the record: receivers never address an area officer outside it (notifications.services.notify).
    unit = models.ForeignKey(
        "areas.AdministrativeUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_recipient"),
        ]
        indexes = [
            # The bell: count of a person's unread notices.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            # The list page: a person's notices, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
        ]

    def __str__(self) -> str:
        return self.title


class EmailDelivery(models.Model):
    """The e-mail copy of one notice; `sent_at` makes a task delivered twice send once."""

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="email")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("e-mail thông báo")
        verbose_name_plural = _("e-mail thông báo")

    def __str__(self) -> str:
        return f"{self.notification} ({self.sent_at or '…'})"


class DigestDelivery(models.Model):
    """The daily digest of one person for one day: at most one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("ngày"))
    notification_count = models.PositiveIntegerField(_("số thông báo"), default=0)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail tổng hợp")
        verbose_name_plural = _("e-mail tổng hợp")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"{self.user} {self.day:%d/%m/%Y}"
