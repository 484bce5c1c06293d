import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.validators import tax_code_field, validate_not_future
from core.models import TimeStampedModel


class LegalForm(models.TextChoices):
    ENTERPRISE = "doanh_nghiep", _("Doanh nghiệp")
    COOPERATIVE = "hop_tac_xa", _("Hợp tác xã")
    COOPERATIVE_GROUP = "to_hop_tac", _("Tổ hợp tác")
    HOUSEHOLD = "ho_kinh_doanh", _("Hộ kinh doanh")


class BeneficiaryStatus(models.TextChoices):
    PROPOSED = "proposed", _("Đề xuất (chờ duyệt)")
    ACTIVE = "active", _("Đang theo dõi")
    ARCHIVED = "archived", _("Lưu trữ")


class CraftVillage(TimeStampedModel):
    """A làng nghề; only one recognised by the city makes a phường address eligible (Decree 235/2025)."""

    name = models.CharField(_("tên làng nghề"), max_length=200)
    unit = models.ForeignKey("areas.AdministrativeUnit", verbose_name=_("địa bàn"), on_delete=models.PROTECT)
    recognised = models.BooleanField(_("được UBND thành phố công nhận"), default=False)
    recognition_decision = models.CharField(_("quyết định công nhận"), max_length=60, blank=True)
    recognised_on = models.DateField(_("ngày công nhận"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("làng nghề")
        verbose_name_plural = _("làng nghề")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# What a person enters about an establishment, in reading order: the form, the import and the resource share it.
EDITABLE_FIELDS = (
    "name",
    "legal_form",
    "tax_code",
    "registration_number",
    "registration_date",
    "registration_place",
    "representative",
    "phone",
    "email",
    "address",
    "unit",
    "craft_village",
    "sector",
    "vsic_code",
    "main_products",
    "employees",
    "founded_year",
    "women_owned",
    "ethnic_minority_owned",
    "notes",
)


class Beneficiary(TimeStampedModel):
    """A cơ sở công nghiệp nông thôn: the establishment that khuyến công supports."""

    name = models.CharField(_("tên cơ sở"), max_length=255)
    legal_form = models.CharField(_("loại hình"), max_length=20, choices=LegalForm.choices)
    tax_code = tax_code_field()
    registration_number = models.CharField(
        _("số đăng ký kinh doanh"), max_length=30, blank=True, help_text=_("Cho hộ kinh doanh chưa có mã số thuế.")
    )
    registration_date = models.DateField(_("ngày cấp ĐKKD"), null=True, blank=True, validators=[validate_not_future])
    registration_place = models.CharField(
        _("nơi cấp ĐKKD"), max_length=200, blank=True, help_text=_("Cơ quan cấp giấy chứng nhận đăng ký.")
    )
    representative = models.CharField(_("người đại diện"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, help_text=_("Địa chỉ như trên giấy tờ."))
    unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="beneficiaries",
    )
    # Only for an old commune split between several current ones (areas.UnitSuccessor): the one a person said
    # this establishment now belongs to. Reports group by it, and an officer of that commune covers it after.
    successor_unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        verbose_name=_("xã/phường mới"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Khi xã/phường cũ bị chia cho nhiều xã/phường mới: xã/phường mới mà cơ sở thuộc về."),
    )
    craft_village = models.ForeignKey(
        CraftVillage,
        verbose_name=_("làng nghề"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="beneficiaries",
    )
    sector = models.CharField(_("ngành nghề"), max_length=200, blank=True)
    vsic_code = models.CharField(_("mã ngành VSIC"), max_length=10, blank=True)
    main_products = models.TextField(_("sản phẩm chính"), blank=True)
    employees = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("năm thành lập"), null=True, blank=True)
    women_owned = models.BooleanField(_("do phụ nữ làm chủ"), default=False)
    ethnic_minority_owned = models.BooleanField(_("do người dân tộc thiểu số làm chủ"), default=False)
    notes = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=BeneficiaryStatus.choices, default=BeneficiaryStatus.ACTIVE
    )
    needs_review = models.BooleanField(_("cần rà soát"), default=False)
    review_note = models.CharField(_("lý do rà soát"), max_length=255, blank=True)

    # A leader may override the computed eligibility; the reason is kept and shown.
    eligibility_override = models.BooleanField(_("điều chỉnh đối tượng"), null=True, blank=True)
    eligibility_override_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    eligibility_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người điều chỉnh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    eligibility_override_at = models.DateTimeField(_("điều chỉnh lúc"), null=True, blank=True)

    # Derived keys (core.text): diacritic-free search and a Vietnamese sort order that work on SQLite and PostgreSQL.
    search_text = models.CharField(max_length=600, editable=False, default="")
    sort_name = models.CharField(max_length=255, editable=False, default="", db_index=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["search_text", "sort_name"])

    class Meta:
        verbose_name = _("cơ sở CNNT")
        verbose_name_plural = _("cơ sở CNNT")
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tax_code"], condition=~Q(tax_code=""), name="beneficiary_unique_tax_code"),
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="beneficiary_unique_registration_number",
            ),
            models.CheckConstraint(
                condition=~Q(tax_code="") | ~Q(registration_number=""), name="beneficiary_has_identifier"
            ),
            models.CheckConstraint(
                condition=Q(tax_code="") | Q(tax_code__regex=r"^[0-9]{10}(-[0-9]{3})?$"),
                name="beneficiary_tax_code_format",
            ),
        ]
        indexes = [
            # The list page: scope by unit, order by the Vietnamese sort key.
            models.Index(fields=["unit", "sort_name"], name="beneficiary_unit_sort"),
            # The list page's default view (everything not archived): its ORDER BY sort_name, id LIMIT 25 reads
            # the first entries of this index.
            models.Index(fields=["sort_name", "id"], condition=~Q(status="archived"), name="beneficiary_working_sort"),
            # …and the COUNT(*) of that view reads this one instead: a single, deduplicated key value per row
            # makes it a few hundred kB at 100,000 rows, so the index-only scan costs a fraction of the above.
            models.Index(fields=["status"], condition=~Q(status="archived"), name="beneficiary_working_count"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def identifier(self) -> str:
        return self.tax_code or self.registration_number


class UnicodeJSONEncoder(json.JSONEncoder):
    """json.dumps as Django uses it, but keeping Vietnamese letters as they are (3 bytes) instead of \\uXXXX (6)."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ đọc tệp")
    ANALYSING = "analysing", _("Đang đọc và kiểm tra")
    PREVIEWED = "previewed", _("Chờ xác nhận")
    IMPORTING = "importing", _("Đang ghi dữ liệu")
    DONE = "done", _("Đã nhập")
    FAILED = "failed", _("Không nhập được")
    CANCELLED = "cancelled", _("Đã hủy")


class ImportBatch(TimeStampedModel):
    """One upload of an establishment list: the file, its preview and, once confirmed, what it changed.

    It is also the job row the page polls while a large file is read or written by the worker.
    """

    file = models.FileField(_("tệp"), upload_to="imports/beneficiaries/%Y/%m/", max_length=255)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    valid_only = models.BooleanField(_("chỉ nhập các dòng hợp lệ"), default=False)
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    created_count = models.PositiveIntegerField(_("thêm mới"), default=0)
    updated_count = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged_count = models.PositiveIntegerField(_("không đổi"), default=0)
    error_count = models.PositiveIntegerField(_("dòng lỗi"), default=0)
    review_count = models.PositiveIntegerField(_("cần rà soát"), default=0)
    # The preview the user confirmed: errors (row, column, problem), samples of created/updated rows, header mapping.
    report = models.JSONField(_("kết quả kiểm tra"), default=dict, blank=True)
    # The validated rows to write (engine.Analysis.plan): confirm writes them without reading the file again.
    # Emptied once written; history rows keep what changed.
    # Packed in columns (engine.pack_plan) and written as UTF-8 rather than \uXXXX escapes: megabytes for a big file.
    plan = models.JSONField(_("các dòng sẽ ghi"), default=list, blank=True, editable=False, encoder=UnicodeJSONEncoder)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lô nhập cơ sở CNNT")
        verbose_name_plural = _("lô nhập cơ sở CNNT")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same file is imported at most once; a second upload is refused before it is read.
            models.UniqueConstraint(fields=["sha256"], condition=Q(status="done"), name="import_batch_file_once"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="import_batch_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.PENDING, ImportStatus.ANALYSING, ImportStatus.IMPORTING)
