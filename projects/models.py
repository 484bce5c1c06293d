"""Đề án khuyến công from registration to settlement, and the decisions that move them.

Amounts (funding lines per source, ceilings, disbursements) live in `budgets`; acceptance records and field
reports in `field`. Both point at `Project` and `DecisionItem`; neither is duplicated here.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from areas.labels import place_without_units
from beneficiaries.validators import tax_code_field
from core.models import TimeStampedModel
from projects.validators import validate_decision_number


class Level(models.TextChoices):
    NATIONAL = "kcqg", _("Khuyến công quốc gia (KCQG)")
    LOCAL = "kcdp", _("Khuyến công địa phương (KCĐP)")


class ProjectKind(models.TextChoices):
    PROJECT = "de_an", _("Đề án")
    TASK = "du_toan", _("Dự toán / nhiệm vụ")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    REGISTERED = "registered", _("Đã đăng ký")
    APPRAISED = "appraised", _("Đã thẩm định")
    APPROVED = "approved", _("Đã phê duyệt")
    CONTRACTED = "contracted", _("Đã ký hợp đồng")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Chờ nghiệm thu")
    ACCEPTED = "accepted", _("Đã nghiệm thu")
    CONTRACT_CLOSED = "contract_closed", _("Đã thanh lý hợp đồng")
    SETTLED = "settled", _("Đã quyết toán")
    NOT_APPROVED = "not_approved", _("Không được phê duyệt")
    SUSPENDED = "suspended", _("Tạm dừng")
    STOPPED = "stopped", _("Dừng thực hiện")


class AppraisalResult(models.TextChoices):
    PASSED = "passed", _("Đạt")
    FAILED = "failed", _("Không đạt")


class LegalBasis(TimeStampedModel):
    """A decree, circular or decision that rules part of the programme, with the dates it applies."""

    class Kind(models.TextChoices):
        LAW = "law", _("Luật / Nghị quyết")
        DECREE = "decree", _("Nghị định")
        CIRCULAR = "circular", _("Thông tư")
        DECISION = "decision", _("Quyết định")
        OTHER = "other", _("Khác")

    number = models.CharField(_("số hiệu"), max_length=60, unique=True, help_text=_("Ví dụ 45/2012/NĐ-CP."))
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("trích yếu"), max_length=400)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    effective_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("sửa đổi, bổ sung văn bản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendments",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["-effective_from", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="legal_basis_effective_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ActivityContent(TimeStampedModel):
    """A nội dung hoạt động khuyến công (domain.md §4). Reference data, editable and extendable in the admin."""

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên nội dung"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    legal_basis = models.ForeignKey(
        LegalBasis, verbose_name=_("căn cứ pháp lý"), null=True, blank=True, on_delete=models.PROTECT
    )
    effective_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung hoạt động khuyến công")
        verbose_name_plural = _("nội dung hoạt động khuyến công")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="activity_content_effective_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Organisation(TimeStampedModel):
    """An implementing or partner unit. After 2025 the Trung tâm Khuyến công varies by city: keep it data."""

    class Kind(models.TextChoices):
        EXTENSION_CENTRE = "extension_centre", _("Trung tâm Khuyến công")
        DEPARTMENT = "department", _("Sở, ngành")
        COMMUNE = "commune", _("UBND cấp xã")
        ASSOCIATION = "association", _("Hội, hiệp hội")
        SCHOOL = "school", _("Trường, viện")
        ENTERPRISE = "enterprise", _("Doanh nghiệp, đơn vị tư vấn")
        OTHER = "other", _("Khác")

    name = models.CharField(_("tên đơn vị"), max_length=255, unique=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    unit = models.ForeignKey(
        "areas.AdministrativeUnit", verbose_name=_("địa bàn"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # What a contract's party block (Bên A) prints: who signs for the unit, its tax code and the account the money
    # goes through. Left blank, the contract prints a dotted line to be filled in by hand.
    representative = models.CharField(
        _("người đại diện"),
        max_length=120,
        blank=True,
        help_text=_("Người ký hợp đồng. Với Sở, người ký của cơ quan ban hành văn bản đại diện: để trống."),
    )
    representative_title = models.CharField(
        _("chức vụ người đại diện"), max_length=120, blank=True, help_text=_("Ví dụ: Giám đốc")
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    tax_code = tax_code_field()
    bank_account = models.CharField(_("số tài khoản"), max_length=40, blank=True)
    bank_name = models.CharField(
        _("mở tại (ngân hàng, kho bạc)"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Kho bạc Nhà nước khu vực III"),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị thực hiện, phối hợp")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Project(TimeStampedModel):
    """A đề án khuyến công, or a dự toán/nhiệm vụ (same list, `kind`). Status changes only through
    `projects.services.project_transition`, which checks the rules in `projects.permissions.TRANSITIONS`."""

    kind = models.CharField(_("loại"), max_length=10, choices=ProjectKind.choices, default=ProjectKind.PROJECT)
    code = models.CharField(_("mã đề án"), max_length=40, unique=True, help_text=_("Ví dụ KCĐP-2021-01."))
    title = models.CharField(_("tên đề án"), max_length=500)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    plan_year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    contents = models.ManyToManyField(
        ActivityContent, verbose_name=_("nội dung hoạt động"), related_name="projects", blank=True
    )
    beneficiaries = models.ManyToManyField(
        "beneficiaries.Beneficiary", verbose_name=_("cơ sở thụ hưởng"), related_name="projects", blank=True
    )
    implementing_unit = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="implemented_projects"
    )
    partner_units = models.ManyToManyField(
        Organisation, verbose_name=_("đơn vị phối hợp"), related_name="partner_projects", blank=True
    )
    # Named `unit` so that accounts.scope.in_scope(qs, user, "unit") scopes đề án like every other record.
    unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        verbose_name=_("địa điểm thực hiện"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    # Only for an old commune split between several current ones (areas.UnitSuccessor): the one staff said this
    # đề án now belongs to. Reports group by it, and an officer of that commune covers it after (project_scope).
    # Same name and meaning as Beneficiary.successor_unit.
    successor_unit = models.ForeignKey(
        "areas.AdministrativeUnit",
        verbose_name=_("xã/phường mới"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Khi xã/phường cũ bị chia cho nhiều xã/phường mới: xã/phường mới mà đề án thuộc về."),
    )
    place_detail = models.CharField(_("địa điểm cụ thể"), max_length=255, blank=True)
    start_date = models.DateField(_("bắt đầu"), null=True, blank=True)
    end_date = models.DateField(_("kết thúc"), null=True, blank=True)
    objectives = models.TextField(_("mục tiêu"), blank=True)
    expected_results = models.TextField(_("kết quả dự kiến"), blank=True)
    expected_jobs = models.PositiveIntegerField(_("việc làm dự kiến"), null=True, blank=True)
    expected_revenue = models.BigIntegerField(_("doanh thu tăng thêm dự kiến (đồng)"), null=True, blank=True)
    legal_basis = models.ForeignKey(
        LegalBasis,
        verbose_name=_("căn cứ pháp lý áp dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_("Đề án phê duyệt trước 15/10/2025 theo Nghị định 45/2012; sau đó theo Nghị định 235/2025."),
    )

    status = models.CharField(
        _("trạng thái"), max_length=24, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT, db_index=True
    )
    # Where a suspended đề án goes back to when it resumes.
    status_before_suspension = models.CharField(
        _("trạng thái trước khi tạm dừng"), max_length=24, choices=ProjectStatus.choices, blank=True
    )
    # Optimistic lock: every write through the services bumps it; a form that carries an older one is refused.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    appraisal_result = models.CharField(
        _("kết quả thẩm định"), max_length=10, choices=AppraisalResult.choices, blank=True
    )
    appraisal_remarks = models.TextField(_("ý kiến thẩm định"), blank=True)
    appraised_on = models.DateField(_("ngày thẩm định"), null=True, blank=True)

    contract_number = models.CharField(_("số hợp đồng"), max_length=60, blank=True)
    contract_date = models.DateField(_("ngày ký hợp đồng"), null=True, blank=True)
    contract_parties = models.TextField(_("các bên ký hợp đồng"), blank=True)

    # Derived keys (core.text): diacritic-free search.
    search_text = models.CharField(max_length=1200, editable=False, default="")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["search_text", "version"])

    class Meta:
        verbose_name = _("đề án")
        verbose_name_plural = _("đề án")
        ordering = ["-plan_year", "level", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="project_dates_ordered",
            ),
            models.CheckConstraint(condition=Q(plan_year__gte=2000, plan_year__lte=2100), name="project_plan_year"),
            models.CheckConstraint(
                condition=Q(expected_revenue__isnull=True) | Q(expected_revenue__gte=0),
                name="project_expected_revenue_non_negative",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="project_version_positive"),
        ]
        indexes = [
            # The list page: year and level filters, ordered by year then code.
            models.Index(fields=["plan_year", "level", "code"], name="project_year_level_code"),
            # The lists' own order (newest year first, then level and code): the first page is read from the index.
            models.Index(fields=["-plan_year", "level", "code"], name="project_list_order"),
            # Scoped lists: officers filter by unit path, then status.
            models.Index(fields=["unit", "status"], name="project_unit_status"),
            # The API's cursor pages and updated_since sync (api.pagination.SyncCursor orders by updated_at, id):
            # without it every page sorted all đề án (260 ms at 50,000).
            models.Index(fields=["updated_at", "id"], name="project_updated_id"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def place_without_units(self) -> str:
        """The place detail less any part that repeats the unit shown after it (an address copied whole)."""
        return place_without_units(self.place_detail, self.unit)


class PlannedOutput(TimeStampedModel):
    """A measurable deliverable: 2 máy, 60 học viên, 1 mô hình trình diễn."""

    project = models.ForeignKey(Project, verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="outputs")
    description = models.CharField(_("sản phẩm, kết quả"), max_length=300)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40)
    planned_quantity = models.DecimalField(_("số lượng kế hoạch"), max_digits=14, decimal_places=2)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sản phẩm dự kiến")
        verbose_name_plural = _("sản phẩm dự kiến")
        ordering = ["project", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_quantity__gt=0), name="planned_output_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.planned_quantity.normalize():f} {self.unit_of_measure}"


class ProjectTransition(models.Model):
    """One step of a đề án's timeline: who moved it, when, from where to where, and why."""

    project = models.ForeignKey(Project, verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("từ trạng thái"), max_length=24, choices=ProjectStatus.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=24, choices=ProjectStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    comment = models.TextField(_("ghi chú"), blank=True)
    decision = models.ForeignKey(
        "Decision", verbose_name=_("quyết định"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("bước chuyển trạng thái")
        verbose_name_plural = _("dòng thời gian đề án")
        ordering = ["project", "at", "id"]
        indexes = [
            # The detail page timeline.
            models.Index(fields=["project", "at"], name="transition_project_at"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_status or '∅'} → {self.to_status}"


class DecisionKind(models.TextChoices):
    PLAN_APPROVAL = "plan_approval", _("Phê duyệt kế hoạch khuyến công năm")
    PROJECT_APPROVAL = "project_approval", _("Phê duyệt một đề án")
    ADJUSTMENT = "adjustment", _("Điều chỉnh")
    STOP = "stop", _("Dừng thực hiện")


APPROVAL_KINDS = (DecisionKind.PLAN_APPROVAL, DecisionKind.PROJECT_APPROVAL)


class Decision(TimeStampedModel):
    """A quyết định (QĐ). One approval decision usually lists the whole annual plan, one DecisionItem per đề án;
    the approved amounts per source hang off DecisionItem in `budgets`."""

    number = models.CharField(
        _("số quyết định"),
        max_length=40,
        validators=[validate_decision_number],
        help_text=_("Ví dụ 191/QĐ-UBND, 1881/QĐ-TTg, 21/2019/QĐ-UBND."),
    )
    signed_on = models.DateField(_("ngày ký"))
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    signer = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    kind = models.CharField(_("loại quyết định"), max_length=20, choices=DecisionKind.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices, blank=True)
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)
    pdf = models.FileField(_("bản PDF"), upload_to="decisions/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    projects = models.ManyToManyField(
        Project, verbose_name=_("đề án"), through="DecisionItem", related_name="decisions", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["pdf_sha256"])

    class Meta:
        verbose_name = _("quyết định")
        verbose_name_plural = _("quyết định")
        ordering = ["-signed_on", "-id"]
        constraints = [
            # Numbers restart every year at each body; the same number on the same day is a duplicate entry.
            models.UniqueConstraint(fields=["number", "signed_on"], name="decision_unique_number_date"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"

    @property
    def is_approval(self) -> bool:
        return self.kind in APPROVAL_KINDS


class DecisionItem(TimeStampedModel):
    """One đề án listed in one decision. Amounts per source are attached by `budgets` to this row."""

    decision = models.ForeignKey(Decision, verbose_name=_("quyết định"), on_delete=models.CASCADE, related_name="items")
    project = models.ForeignKey(
        Project, verbose_name=_("đề án"), on_delete=models.PROTECT, related_name="decision_items"
    )
    position = models.PositiveSmallIntegerField(_("số thứ tự"), default=0)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề án trong quyết định")
        verbose_name_plural = _("đề án trong quyết định")
        ordering = ["decision", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "project"], name="decision_item_unique_project"),
        ]

    def __str__(self) -> str:
        return f"{self.decision.number} · {self.project.code}"


class AnnualPlan(TimeStampedModel):
    """Kế hoạch khuyến công năm for one level. Its đề án are those with the same level and plan year."""

    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    registration_deadline = models.DateField(_("hạn đăng ký"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("quyết định phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_plans",
    )
    notes = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế hoạch khuyến công năm")
        verbose_name_plural = _("kế hoạch khuyến công năm")
        ordering = ["-year", "level"]
        constraints = [
            models.UniqueConstraint(fields=["level", "year"], name="annual_plan_unique_level_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="annual_plan_year"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def projects(self):
        return Project.objects.filter(level=self.level, plan_year=self.year)


class AdjustmentKind(models.TextChoices):
    MORE_MONEY = "more_money", _("Bổ sung kinh phí")
    CONTENT = "content", _("Thay đổi nội dung")
    EXTENSION = "extension", _("Gia hạn sang năm sau")
    STOP = "stop", _("Dừng thực hiện")
    PLACE_BENEFICIARY_TIMING = "place_timing", _("Đổi địa điểm, cơ sở thụ hưởng, thời gian (không tăng kinh phí)")


class Authority(models.TextChoices):
    # domain.md §6.6: money, content, extension and stop go back to the body that approved the đề án;
    # place, beneficiary or timing without more money the Sở Công Thương decides itself.
    APPROVING_BODY = "approving_body", _("Cơ quan đã phê duyệt đề án (Bộ Công Thương / UBND thành phố)")
    DEPARTMENT = "department", _("Sở Công Thương")


class AdjustmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Đề nghị")
    APPROVED = "approved", _("Đã chấp thuận")
    REJECTED = "rejected", _("Không chấp thuận")
    WITHDRAWN = "withdrawn", _("Đã rút")


class Adjustment(TimeStampedModel):
    """A request to change an approved đề án. `original` and `adjusted` hold the changed fields side by side
    ({"end_date": "2021-12-31"} vs {"end_date": "2022-06-30"}); the change is applied when approved."""

    project = models.ForeignKey(Project, verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(_("loại điều chỉnh"), max_length=20, choices=AdjustmentKind.choices)
    reason = models.TextField(_("lý do"))
    original = models.JSONField(_("giá trị ban đầu"), default=dict, blank=True)
    adjusted = models.JSONField(_("giá trị điều chỉnh"), default=dict, blank=True)
    additional_amount = models.BigIntegerField(_("kinh phí bổ sung đề nghị (đồng)"), null=True, blank=True)
    authority = models.CharField(_("thẩm quyền quyết định"), max_length=20, choices=Authority.choices)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=AdjustmentStatus.choices, default=AdjustmentStatus.REQUESTED
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("quyết định điều chỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_comment = models.TextField(_("ý kiến"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điều chỉnh đề án")
        verbose_name_plural = _("điều chỉnh đề án")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(additional_amount__isnull=True) | Q(additional_amount__gt=0),
                name="adjustment_additional_amount_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(decided_at__isnull=False),
                name="adjustment_approved_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved", authority="approving_body") | Q(decision__isnull=False),
                name="adjustment_approving_body_needs_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.get_kind_display()}"


class AttachmentKind(models.TextChoices):
    REGISTRATION = "registration", _("Hồ sơ đăng ký đề án")
    APPRAISAL = "appraisal", _("Biên bản thẩm định")
    CONTRACT = "contract", _("Hợp đồng")
    REPORT = "report", _("Báo cáo")
    PHOTO = "photo", _("Hình ảnh")
    OTHER = "other", _("Khác")


def attachment_path(instance, filename: str) -> str:
    return f"projects/{instance.project_id}/{filename}"


class Attachment(TimeStampedModel):
    """A scanned dossier file. Type, size and content are checked on upload (projects.validators.validate_upload)."""

    project = models.ForeignKey(Project, verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(
        _("loại hồ sơ"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.OTHER
    )
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=attachment_path)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), null=True, on_delete=models.SET_NULL
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tài liệu đính kèm")
        verbose_name_plural = _("tài liệu đính kèm")
        ordering = ["project", "-created_at"]
        constraints = [
            # The same scan uploaded twice to one đề án is refused.
            models.UniqueConstraint(fields=["project", "sha256"], name="attachment_unique_file_per_project"),
        ]

    def __str__(self) -> str:
        return self.title
