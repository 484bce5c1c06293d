import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel


class IssuingBody(TimeStampedModel):
    """Who issues the documents and who signs them: admin-editable data, never constants in code.

    The active row is the one documents use; keeping old rows keeps the record of who signed before.
    """

    parent_name = models.CharField(
        _("cơ quan chủ quản"), max_length=120, help_text=_("Viết hoa, ví dụ: UBND THÀNH PHỐ HẢI PHÒNG")
    )
    name = models.CharField(_("cơ quan ban hành"), max_length=120, help_text=_("Viết hoa, ví dụ: SỞ CÔNG THƯƠNG"))
    abbreviation = models.CharField(
        _("chữ viết tắt"), max_length=20, help_text=_("Dùng trong số, ký hiệu văn bản, ví dụ: SCT")
    )
    place = models.CharField(_("địa danh"), max_length=60, help_text=_("Ví dụ: Hải Phòng"))
    signer_authority = models.CharField(
        _("quyền hạn ký"),
        max_length=60,
        blank=True,
        help_text=_("Ví dụ: KT. GIÁM ĐỐC (để trống nếu người đứng đầu ký)"),
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=60, help_text=_("Ví dụ: PHÓ GIÁM ĐỐC"))
    signer_name = models.CharField(_("họ tên người ký"), max_length=80)
    archive_units = models.CharField(
        _("lưu"), max_length=60, default="VT", help_text=_("Nơi lưu văn bản, ví dụ: VT, KCTM")
    )
    recipients = models.TextField(
        _("nơi nhận thường dùng"), blank=True, help_text=_("Mỗi dòng một nơi nhận; dòng “Lưu” được thêm tự động.")
    )
    active = models.BooleanField(_("đang dùng"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan ban hành văn bản")
        verbose_name_plural = _("cơ quan ban hành văn bản")
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="issuing_body_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.parent_name})"

    @classmethod
    def current(cls) -> "IssuingBody":
        body = cls.objects.filter(active=True).first()
        if body is None:
            raise cls.DoesNotExist(_("Chưa khai báo cơ quan ban hành văn bản (Quản trị → Cơ quan ban hành văn bản)."))
        return body


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    QUEUED_LATER = "queued_later", _("Chờ gửi lại (hàng đợi tạm ngưng)")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.QUEUED_LATER, JobStatus.RUNNING)


def _job_file_path(job: "DocumentJob", filename: str) -> str:
    return f"documents/{job.kind}/{job.uid}.pdf"


class DocumentJob(TimeStampedModel):
    """One request to produce one document version (paperless-ngx's PaperlessTask, for PDFs).

    Same kind + parameters + data fingerprint = same document: a done job is returned instead of rendering again.
    Changed data gives a new job with the next version number; old versions stay downloadable.
    """

    uid = models.UUIDField(_("mã công việc"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("loại văn bản"), max_length=40)
    params = models.JSONField(_("tham số"), default=dict)
    params_key = models.CharField(_("khóa tham số"), max_length=64, editable=False)
    unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        verbose_name=_("địa bàn của văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: văn bản toàn thành phố, chỉ cán bộ cấp Sở xem được."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.PROTECT, related_name="+"
    )
    requesters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("những người đã yêu cầu"), related_name="document_jobs", blank=True
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = models.TextField(_("thông báo lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    sent_at = models.DateTimeField(_("gửi vào hàng đợi lúc"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    file = models.FileField(_("tệp PDF"), upload_to=_job_file_path, blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), null=True, blank=True)
    fingerprint = models.CharField(_("dấu vân dữ liệu"), max_length=64, blank=True)
    filename = models.CharField(_("tên tệp"), max_length=200, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("yêu cầu văn bản")
        verbose_name_plural = _("yêu cầu văn bản")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="document_job_progress_percent"),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & ~Q(sha256="") & Q(version__isnull=False)),
                name="document_job_done_has_file",
            ),
            models.UniqueConstraint(
                fields=["kind", "params_key", "version"],
                condition=Q(version__isnull=False),
                name="document_job_unique_version",
            ),
        ]
        indexes = [
            # document_request: "is there already a file (or a running job) for this kind and these parameters?"
            models.Index(fields=["kind", "params_key", "status"], name="document_job_lookup"),
            # the periodic re-send: jobs stuck in a waiting or running state
            models.Index(fields=["status", "sent_at"], name="document_job_stuck"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.kind} #{self.pk}"

    @property
    def is_final(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
