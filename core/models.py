from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class OutboxMessage(models.Model):
    """A Celery task to send, written in the same transaction as the change that calls for it (core.outbox).

    Sent right after commit; a row still unsent (the broker was down, the process died) is sent again by the
    beat task `core.tasks.outbox_resend`. Tasks reached this way must be idempotent: a row may be sent twice.
    """

    task = models.CharField(_("tác vụ"), max_length=200)
    args = models.JSONField(_("tham số"), default=list)
    kwargs = models.JSONField(_("tham số tên"), default=dict)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("tác vụ chờ gửi")
        verbose_name_plural = _("tác vụ chờ gửi")
        indexes = [
            # outbox_resend: the unsent rows, oldest first.
            models.Index(fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="core_outbox_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"
