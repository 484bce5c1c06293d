"""Field work on đề án: officers' field reports, staff inspections with follow-up actions, and acceptance
(nghiệm thu) by a council. Everything here points at `projects.Project`; nothing of the đề án is copied except
what a signed record must keep as it was on the day (quantities planned, amounts approved, contract reference).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budgets.sources import FundingSource
from core.models import TimeStampedModel


class FieldAssignment(TimeStampedModel):
    """Who on the staff follows a đề án, or every đề án and establishment of an area, on the field side.

    A problem flagged in a field report goes to the assignment of its đề án, else to that of the nearest
    area above the report's place, else to the đề án's creator when they are staff (field.selectors).
    """

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("đề án"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="field_assignment",
    )
    unit = models.OneToOneField(
        "areas.AdministrativeUnit",
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="field_assignment",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chuyên viên theo dõi"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân công theo dõi")
        verbose_name_plural = _("phân công theo dõi")
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, unit__isnull=True) | Q(project__isnull=True, unit__isnull=False),
                name="field_assignment_project_xor_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project or self.unit} → {self.staff}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã gửi")


class FieldReport(TimeStampedModel):
    """A visit report written by an area officer, usually on a phone.

    `client_id` is generated in the browser when the form is first opened and sent with every save, so a
    submission retried after a network drop finds the report it already created instead of making another.
    """

    client_id = models.UUIDField(_("mã phía máy khách"), unique=True, default=uuid.uuid4, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("đề án"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="field_reports",
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("cơ sở"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="field_reports",
    )
    # Copied from the đề án or establishment when the report is created, so that area scope is one prefix match.
    unit = models.ForeignKey(
        "areas.AdministrativeUnit", verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    visit_date = models.DateField(_("ngày đến cơ sở"))
    progress_percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), null=True, blank=True)
    observations = models.TextField(_("tình hình ghi nhận"), blank=True)
    has_problem = models.BooleanField(_("có vướng mắc cần xử lý"), default=False)
    problem = models.TextField(_("vướng mắc"), blank=True)
    recommendations = models.TextField(_("kiến nghị"), blank=True)

    latitude = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_accuracy_m = models.PositiveIntegerField(_("sai số vị trí (m)"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    responsible_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên viên phụ trách"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    problem_notified_at = models.DateTimeField(_("đã báo tin lúc"), null=True, blank=True)
    problem_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận vướng mắc"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    problem_acknowledged_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    acknowledgement_note = models.TextField(_("ghi chú tiếp nhận"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo kiểm tra thực địa")
        verbose_name_plural = _("báo cáo kiểm tra thực địa")
        ordering = ["-visit_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False) | Q(beneficiary__isnull=False), name="field_report_has_subject"
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__isnull=True) | Q(progress_percent__lte=100),
                name="field_report_progress_percent",
            ),
            models.CheckConstraint(
                condition=Q(has_problem=False) | ~Q(problem=""), name="field_report_problem_described"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="field_report_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="field_report_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="field_report_submitted_has_time"
            ),
        ]
        indexes = [
            # A đề án's field page: its reports, newest visit first.
            models.Index(fields=["project", "-visit_date"], name="field_report_project_date"),
            # The field home page's latest submitted reports: read from the index's end, not a sort of 100,000 rows.
            models.Index(fields=["-submitted_at"], condition=Q(status="submitted"), name="field_report_recent"),
            # Staff home page and problem list: submitted problems not yet acknowledged.
            models.Index(
                fields=["responsible_staff", "submitted_at"],
                condition=Q(has_problem=True, problem_acknowledged_at__isnull=True),
                name="field_report_open_problems",
            ),
        ]

    def __str__(self) -> str:
        subject = self.project or self.beneficiary
        return f"{subject} · {self.visit_date:%d/%m/%Y}"

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT

    @property
    def problem_open(self) -> bool:
        return self.has_problem and self.status == ReportStatus.SUBMITTED and self.problem_acknowledged_at is None


class ObservedOutput(models.Model):
    """What the officer saw of one planned output: "máy đã lắp: có, số máy …"."""

    report = models.ForeignKey(
        FieldReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="observed_outputs"
    )
    output = models.ForeignKey(
        "projects.PlannedOutput", verbose_name=_("sản phẩm dự kiến"), on_delete=models.PROTECT, related_name="+"
    )
    observed = models.BooleanField(_("đã thấy"), null=True, blank=True)
    note = models.CharField(_("ghi chú, số máy / số seri"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sản phẩm ghi nhận")
        verbose_name_plural = _("sản phẩm ghi nhận")
        ordering = ["report", "output__sort_order", "output_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "output"], name="observed_output_unique_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.output_id}: {self.observed}"


def photo_path(instance, filename: str) -> str:
    return f"field/reports/{instance.report_id}/{filename}"


class ReportPhoto(TimeStampedModel):
    """A photo of a visit. Stored re-encoded (resized, oriented) without EXIF; the position and time the camera
    wrote are kept here as fields instead (field.photos)."""

    report = models.ForeignKey(FieldReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("ảnh"), upload_to=photo_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(_("ảnh thu nhỏ"), upload_to=photo_path)
    width = models.PositiveIntegerField(_("rộng (px)"), default=0)
    height = models.PositiveIntegerField(_("cao (px)"), default=0)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    original_size = models.PositiveBigIntegerField(_("dung lượng gốc (byte)"), default=0)
    sha256 = models.CharField(max_length=64, editable=False)
    taken_at = models.DateTimeField(_("chụp lúc (EXIF)"), null=True, blank=True)
    gps_latitude = models.DecimalField(_("vĩ độ (EXIF)"), max_digits=9, decimal_places=6, null=True, blank=True)
    gps_longitude = models.DecimalField(_("kinh độ (EXIF)"), max_digits=9, decimal_places=6, null=True, blank=True)
    caption = models.CharField(_("chú thích"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ảnh kiểm tra")
        verbose_name_plural = _("ảnh kiểm tra")
        ordering = ["report", "id"]
        constraints = [
            # The same picture attached twice (a retried upload) is stored once.
            models.UniqueConstraint(fields=["report", "sha256"], name="report_photo_unique_per_report"),
        ]

    def __str__(self) -> str:
        return self.original_name or self.image.name


class InspectionKind(models.TextChoices):
    INSPECTION = "kiem_tra", _("Kiểm tra")
    SUPERVISION = "giam_sat", _("Giám sát")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Kế hoạch")
    DONE = "done", _("Đã thực hiện")
    CANCELLED = "cancelled", _("Hủy")


class Inspection(TimeStampedModel):
    """A planned or done kiểm tra / giám sát visit of a đề án by staff."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("hình thức"), max_length=10, choices=InspectionKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    planned_date = models.DateField(_("ngày dự kiến"))
    done_date = models.DateField(_("ngày thực hiện"), null=True, blank=True)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên đoàn"), related_name="inspections", blank=True
    )
    external_members = models.TextField(
        _("thành viên khác"), blank=True, help_text=_("Người ngoài hệ thống, mỗi dòng: họ tên – đơn vị.")
    )
    findings = models.TextField(_("kết quả kiểm tra"), blank=True)
    conclusions = models.TextField(_("kết luận"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[team])

    class Meta:
        verbose_name = _("đợt kiểm tra, giám sát")
        verbose_name_plural = _("kiểm tra, giám sát")
        ordering = ["-planned_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_date__isnull=False), name="inspection_done_has_date"
            ),
        ]
        indexes = [
            # A đề án's field page.
            models.Index(fields=["project", "-planned_date"], name="inspection_project_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.project.code} {self.planned_date:%d/%m/%Y}"


class FollowUpAction(TimeStampedModel):
    """Something an inspection asks somebody to do by a date."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("đợt kiểm tra"), on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(_("nội dung cần làm"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("hạn"))
    done = models.BooleanField(_("đã xong"), default=False)
    done_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận xong"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("việc cần làm sau kiểm tra")
        verbose_name_plural = _("việc cần làm sau kiểm tra")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(done=False) | Q(done_at__isnull=False), name="followup_done_has_time"),
        ]
        indexes = [
            # The overdue list and the daily reminder: not done, due before today.
            models.Index(fields=["due_date"], condition=Q(done=False), name="followup_open_due"),
        ]

    def __str__(self) -> str:
        return self.description


class ActionReminder(models.Model):
    """One reminder e-mail sent for an overdue action on one day; the unique row is what stops a second one."""

    action = models.ForeignKey(
        FollowUpAction, verbose_name=_("việc"), on_delete=models.CASCADE, related_name="reminders"
    )
    sent_on = models.DateField(_("ngày nhắc"))
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    recipient = models.EmailField(_("gửi tới"))

    class Meta:
        verbose_name = _("thư nhắc việc quá hạn")
        verbose_name_plural = _("thư nhắc việc quá hạn")
        ordering = ["-sent_on", "action"]
        constraints = [
            models.UniqueConstraint(fields=["action", "sent_on"], name="action_reminder_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.sent_on:%d/%m/%Y}"


class AcceptanceResult(models.TextChoices):
    PASSED = "passed", _("Đạt")
    FAILED = "failed", _("Không đạt")


class Acceptance(TimeStampedModel):
    """A nghiệm thu session and its biên bản. A failed one says what must be fixed; a later one is a new row
    with the next `attempt`. Only a passed one moves the đề án to ACCEPTED (projects.services)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.PROTECT, related_name="acceptances"
    )
    attempt = models.PositiveSmallIntegerField(_("lần nghiệm thu"), default=1)
    held_on = models.DateField(_("ngày nghiệm thu"))
    held_at_time = models.TimeField(_("giờ"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300)
    # As written on the biên bản: the đề án's contract may later be amended; the record keeps what was read.
    contract_reference = models.CharField(_("hợp đồng số"), max_length=120, blank=True)
    contract_date = models.DateField(_("ngày hợp đồng"), null=True, blank=True)
    decision_reference = models.CharField(_("quyết định phê duyệt"), max_length=200, blank=True)
    result = models.CharField(_("kết luận"), max_length=10, choices=AcceptanceResult.choices)
    assessment = models.TextField(_("đánh giá chung"), blank=True)
    requests = models.TextField(_("kiến nghị, yêu cầu"), blank=True)
    fixes_required = models.TextField(_("nội dung phải khắc phục"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("biên bản nghiệm thu")
        verbose_name_plural = _("nghiệm thu")
        ordering = ["project", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["project", "attempt"], name="acceptance_unique_attempt"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(result="passed"), name="acceptance_one_passed_per_project"
            ),
            models.CheckConstraint(
                condition=Q(result="passed") | ~Q(fixes_required=""), name="acceptance_failed_says_what_to_fix"
            ),
            models.CheckConstraint(condition=Q(attempt__gte=1), name="acceptance_attempt_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.held_on:%d/%m/%Y} · {self.get_result_display()}"

    @property
    def passed(self) -> bool:
        return self.result == AcceptanceResult.PASSED


class AcceptanceSchedule(TimeStampedModel):
    """A nghiệm thu set before it is held: when, where, and which council members (those with an account are
    told, once). The biên bản (Acceptance) is recorded afterwards and starts from the latest schedule."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.PROTECT, related_name="acceptance_schedules"
    )
    planned_on = models.DateField(_("ngày nghiệm thu dự kiến"))
    planned_time = models.TimeField(_("giờ"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên hội đồng có tài khoản"), blank=True, related_name="+"
    )
    other_members = models.TextField(_("thành viên khác"), blank=True, help_text=_("Mỗi người một dòng."))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập lịch"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("lịch nghiệm thu")
        verbose_name_plural = _("lịch nghiệm thu")
        ordering = ["project", "-planned_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.planned_on:%d/%m/%Y}"


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch hội đồng")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch hội đồng")
    MEMBER = "member", _("Ủy viên")
    SECRETARY = "secretary", _("Thư ký")
    BENEFICIARY = "beneficiary", _("Đại diện cơ sở thụ hưởng")
    IMPLEMENTER = "implementer", _("Đại diện đơn vị thực hiện")
    GUEST = "guest", _("Khách mời")


class CouncilMember(models.Model):
    acceptance = models.ForeignKey(
        Acceptance, verbose_name=_("biên bản"), on_delete=models.CASCADE, related_name="council"
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    organisation = models.CharField(_("cơ quan, đơn vị"), max_length=255)
    role = models.CharField(_("vai trò trong hội đồng"), max_length=12, choices=CouncilRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên hội đồng nghiệm thu")
        verbose_name_plural = _("hội đồng nghiệm thu")
        ordering = ["acceptance", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class AcceptanceOutput(models.Model):
    """One planned output as the council found it. The planned quantity is copied: the biên bản shows what was
    planned on the day even if the đề án is adjusted later."""

    acceptance = models.ForeignKey(
        Acceptance, verbose_name=_("biên bản"), on_delete=models.CASCADE, related_name="outputs"
    )
    output = models.ForeignKey(
        "projects.PlannedOutput", verbose_name=_("sản phẩm dự kiến"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("sản phẩm, kết quả"), max_length=300)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40)
    planned_quantity = models.DecimalField(_("kế hoạch"), max_digits=14, decimal_places=2)
    achieved_quantity = models.DecimalField(_("thực hiện"), max_digits=14, decimal_places=2)
    remarks = models.CharField(_("nhận xét"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sản phẩm nghiệm thu")
        verbose_name_plural = _("sản phẩm nghiệm thu")
        ordering = ["acceptance", "id"]
        constraints = [
            models.UniqueConstraint(fields=["acceptance", "output"], name="acceptance_output_unique"),
            models.CheckConstraint(condition=Q(achieved_quantity__gte=0), name="acceptance_output_achieved_gte_0"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def shortfall(self):
        return max(self.planned_quantity - self.achieved_quantity, 0)


class AcceptanceFunding(models.Model):
    """Funds used per source against the amount approved for it (copied from budgets when recorded)."""

    acceptance = models.ForeignKey(
        Acceptance, verbose_name=_("biên bản"), on_delete=models.CASCADE, related_name="funding"
    )
    source = models.CharField(_("nguồn kinh phí"), max_length=10, choices=FundingSource.choices)
    # None when no approved amount is recorded for the source (budgets has no funding line for it).
    approved_amount = models.BigIntegerField(_("kinh phí được duyệt (đồng)"), null=True, blank=True)
    used_amount = models.BigIntegerField(_("kinh phí đã sử dụng (đồng)"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kinh phí nghiệm thu")
        verbose_name_plural = _("kinh phí nghiệm thu")
        ordering = ["acceptance", "id"]
        constraints = [
            models.UniqueConstraint(fields=["acceptance", "source"], name="acceptance_funding_unique_source"),
            models.CheckConstraint(
                condition=(Q(approved_amount__isnull=True) | Q(approved_amount__gte=0)) & Q(used_amount__gte=0),
                name="acceptance_funding_non_negative",
            ),
            # Public money may not be used beyond what was approved; the counterpart and other money may.
            models.CheckConstraint(
                condition=~Q(source__in=["kcqg", "kcdp"])
                | Q(approved_amount__isnull=True)
                | Q(used_amount__lte=F("approved_amount")),
                name="acceptance_funding_state_within_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.used_amount}/{self.approved_amount}"
