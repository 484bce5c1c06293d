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
    from documents.kinds import get_kind

    return f"documents/{job.kind}/{job.uid}.{get_kind(job.kind).file_extension}"


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


class DocumentType(models.TextChoices):
    """Nghị định 30/2020, Phụ lục III: the abbreviations of the document types a register numbers separately."""

    QUYET_DINH = "QĐ", _("Quyết định")
    TO_TRINH = "TTr", _("Tờ trình")
    BAO_CAO = "BC", _("Báo cáo")
    BIEN_BAN = "BB", _("Biên bản")
    HOP_DONG = "HĐ", _("Hợp đồng")
    CONG_VAN = "CV", _("Công văn")
    THONG_BAO = "TB", _("Thông báo")
    GIAY_CHUNG_NHAN = "GCN", _("Giấy chứng nhận")
    KE_HOACH = "KH", _("Kế hoạch")


class RegisterCounter(models.Model):
    """The last number given in one register (issuing body, year, document type). The row is locked while a
    number is taken, so concurrent issues queue instead of sharing or skipping a number."""

    issuing_body = models.ForeignKey(IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("năm"))
    doc_type = models.CharField(_("loại văn bản"), max_length=8, help_text=_("Viết tắt theo Phụ lục III: QĐ, BC, BB…"))
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("bộ đếm sổ văn bản đi")
        verbose_name_plural = _("bộ đếm sổ văn bản đi")
        constraints = [
            models.UniqueConstraint(fields=["issuing_body", "year", "doc_type"], name="register_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.year}: {self.last_number}"


def _issued_file_path(document: "IssuedDocument", filename: str) -> str:
    return f"issued/{document.year}/{document.uid}.pdf"


def _signed_file_path(document: "IssuedDocument", filename: str) -> str:
    return f"issued/{document.year}/{document.uid}-signed-{document.signature_count}.pdf"


class IssuedDocument(TimeStampedModel):
    """One entry of the outgoing-document register (sổ đăng ký văn bản đi): a frozen, numbered PDF.

    Never changed once written (see `save`): a correction is a new entry whose `replaces` names this one. Signing
    appends signatures to a copy (`signed_file`); the issued bytes stay a prefix of it, so `sha256` still proves
    what was issued.
    """

    uid = models.UUIDField(_("mã văn bản"), default=uuid.uuid4, unique=True, editable=False)
    job = models.OneToOneField(
        DocumentJob, verbose_name=_("bản nháp đã ban hành"), on_delete=models.PROTECT, related_name="issued"
    )
    kind = models.CharField(_("loại mẫu"), max_length=40)
    params_key = models.CharField(_("khóa tham số"), max_length=64)
    unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        verbose_name=_("địa bàn của văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuing_body = models.ForeignKey(IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("năm"))
    doc_type = models.CharField(_("loại văn bản"), max_length=8, help_text=_("Viết tắt theo Phụ lục III: QĐ, BC, BB…"))
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("số, ký hiệu"), max_length=40, help_text=_("Ví dụ: 15/QĐ-SCT"))
    issued_on = models.DateField(_("ngày ban hành"))
    summary = models.CharField(_("trích yếu nội dung"), max_length=300)
    signer_name = models.CharField(_("người ký"), max_length=120)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    subject = models.CharField(_("đề án, cuộc bình chọn liên quan"), max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người cấp số"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("tệp đã ban hành"), upload_to=_issued_file_path, max_length=200)
    sha256 = models.CharField(_("SHA-256 tệp ban hành"), max_length=64)
    pages = models.PositiveIntegerField(_("số trang"))
    signature_boxes = models.JSONField(_("vị trí chữ ký"), default=dict, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("thay thế văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    correction_reason = models.CharField(_("lý do thay thế"), max_length=300, blank=True)
    signed_file = models.FileField(_("tệp đã ký số"), upload_to=_signed_file_path, blank=True, max_length=200)
    signed_sha256 = models.CharField(_("SHA-256 tệp đã ký"), max_length=64, blank=True)
    signature_count = models.PositiveSmallIntegerField(_("số chữ ký số"), default=0)
    signed_at = models.DateTimeField(_("ký số lúc"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    #: What issuing fixes for good; only signing (and the replacement link on the old entry) may change a row later.
    FROZEN_FIELDS = (
        "job_id",
        "kind",
        "issuing_body_id",
        "year",
        "doc_type",
        "number",
        "symbol",
        "issued_on",
        "summary",
        "signer_name",
        "recipients",
        "subject",
        "file",
        "sha256",
        "pages",
    )

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("sổ đăng ký văn bản đi")
        ordering = ["-year", "doc_type", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "year", "doc_type", "number"], name="issued_document_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="issued_document_number_positive"),
        ]
        indexes = [models.Index(fields=["kind", "params_key"], name="issued_document_lookup")]

    def __str__(self) -> str:
        return f"{self.symbol} — {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
            if stored is not None:
                changed = [name for name in self.FROZEN_FIELDS if str(stored[name]) != str(getattr(self, name))]
                if changed:
                    raise FrozenDocumentError(changed)
        super().save(*args, **kwargs)

    @property
    def is_replaced(self) -> bool:
        return hasattr(self, "replaced_by")

    @property
    def current_file(self):
        return self.signed_file if self.signed_file else self.file


class FrozenDocumentError(ValueError):
    """An issued document's content was about to change."""

    def __init__(self, fields):
        super().__init__(f"Văn bản đã ban hành không sửa được ({', '.join(fields)}); hãy ban hành văn bản thay thế.")
        self.fields = fields


class SignerKind(models.TextChoices):
    PERSON = "person", _("Người ký (lãnh đạo)")
    ORGANISATION = "organisation", _("Cơ quan, tổ chức (con dấu)")


class SigningIdentity(TimeStampedModel):
    """A certificate that signs: a leader's or the issuing body's. Only paths and the name of an environment
    variable are stored; the PKCS#12 file lives under SIGNING_SECRETS_DIR and its passphrase in the environment."""

    issuing_body = models.ForeignKey(IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT)
    signer_kind = models.CharField(_("loại chữ ký"), max_length=20, choices=SignerKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_identities",
        help_text=_("Để trống cho chữ ký số của cơ quan."),
    )
    display_name = models.CharField(_("tên hiển thị"), max_length=120)
    pkcs12_path = models.CharField(
        _("tệp PKCS#12"), max_length=200, help_text=_("Đường dẫn tương đối trong thư mục bí mật (SIGNING_SECRETS_DIR).")
    )
    passphrase_env = models.CharField(
        _("biến môi trường chứa mật khẩu"), max_length=80, help_text=_("Tên biến, ví dụ: KC_SIGN_PASS_SCT")
    )
    image_path = models.CharField(
        _("ảnh chữ ký / con dấu"),
        max_length=200,
        blank=True,
        help_text=_("PNG nền trong suốt, đường dẫn tương đối trong thư mục bí mật."),
    )
    active = models.BooleanField(_("đang dùng"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chứng thư ký số")
        verbose_name_plural = _("chứng thư ký số")
        constraints = [
            models.CheckConstraint(
                condition=Q(signer_kind="organisation", user__isnull=True)
                | Q(signer_kind="person", user__isnull=False),
                name="signing_identity_person_has_user",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name
