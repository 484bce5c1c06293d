"""Money of the programme: the yearly envelope per level, each đề án's funding lines by source and cost item,
formal adjustments, disbursements, settlement, support ceilings and the exceptions a leader approves.

Every amount is integer đồng. The invariants that must hold whoever writes (amounts ≥ 0, disbursed ≤ approved,
settled ≤ approved) are database constraints; the ones that span rows (ceilings, the yearly envelope) are checked
by `budgets.services` under a row lock, with a leader's exception as the recorded way past them.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budgets.sources import FundingSource
from core.models import TimeStampedModel
from projects.models import Level


class CostItem(models.TextChoices):
    EQUIPMENT = "thiet_bi", _("Máy móc, thiết bị")
    TRAINING = "dao_tao", _("Đào tạo, tập huấn")
    DOCUMENTATION = "tai_lieu", _("Tài liệu, hồ sơ kỹ thuật")
    ORGANISATION = "to_chuc", _("Tổ chức, quản lý thực hiện")
    OTHER = "khac", _("Chi khác")


class CeilingBasis(models.TextChoices):
    PER_MODEL = "mo_hinh", _("mô hình")
    PER_ESTABLISHMENT = "co_so", _("cơ sở")
    PER_PROJECT = "de_an", _("đề án")


class BudgetAllocation(TimeStampedModel):
    """Dự toán kinh phí giao: the envelope the Ministry (KCQG) or the city (KCĐP) gives for one year."""

    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    amount = models.BigIntegerField(_("kinh phí được giao (đồng)"))
    decision = models.ForeignKey(
        "projects.Decision",
        verbose_name=_("quyết định giao dự toán"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_allocations",
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dự toán kinh phí năm")
        verbose_name_plural = _("dự toán kinh phí năm")
        ordering = ["-year", "level"]
        constraints = [
            models.UniqueConstraint(fields=["level", "year"], name="allocation_unique_level_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_amount_non_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="allocation_year"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.year}"


class SupportCeilingQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(effective_from__lte=day).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))


class SupportCeiling(TimeStampedModel):
    """One row of the support-ceiling table (mức hỗ trợ tối đa): support ≤ min(percent × eligible cost,
    VND cap × number of models/establishments). Rows of the same content and title are versions of one rule
    over time; a change in the law is a new row with its effective date, never an edit of the old one."""

    title = models.CharField(_("trường hợp hỗ trợ"), max_length=200)
    level = models.CharField(
        _("cấp"), max_length=10, choices=Level.choices, blank=True, help_text=_("Để trống: áp dụng cho cả hai cấp.")
    )
    activity_content = models.ForeignKey(
        "projects.ActivityContent",
        verbose_name=_("nội dung hoạt động"),
        on_delete=models.PROTECT,
        related_name="support_ceilings",
    )
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    percent_cap = models.DecimalField(
        _("tỷ lệ hỗ trợ tối đa (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    amount_cap = models.BigIntegerField(_("mức hỗ trợ tối đa (đồng)"), null=True, blank=True)
    basis = models.CharField(_("tính cho mỗi"), max_length=10, choices=CeilingBasis.choices)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = SupportCeilingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mức hỗ trợ tối đa")
        verbose_name_plural = _("mức hỗ trợ tối đa")
        ordering = ["activity_content__sort_order", "title", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_cap__isnull=True) | Q(percent_cap__gte=0, percent_cap__lte=100),
                name="ceiling_percent_0_100",
            ),
            models.CheckConstraint(
                condition=Q(amount_cap__isnull=True) | Q(amount_cap__gte=0), name="ceiling_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="ceiling_effective_ordered",
            ),
        ]
        indexes = [
            # Finding the rule in force for a đề án's contents on its approval date.
            models.Index(fields=["activity_content", "effective_from"], name="ceiling_content_from"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_content.code} · {self.title}"

    def describe(self) -> str:
        """ "tối đa 30% chi phí và không quá 1.000.000.000 đồng/mô hình"."""
        from core.money import format_dong

        parts = []
        if self.percent_cap is not None:
            parts.append(_("tối đa %(p)s%% chi phí") % {"p": f"{self.percent_cap.normalize():f}".replace(".", ",")})
        if self.amount_cap is not None:
            parts.append(
                _("không quá %(a)s đồng/%(b)s") % {"a": format_dong(self.amount_cap), "b": self.get_basis_display()}
            )
        return " và ".join(str(p) for p in parts) or str(_("không giới hạn"))


class ProjectFunding(TimeStampedModel):
    """The money header of one đề án: which support ceiling applies and for how many models/establishments.
    Its row is locked while the funding lines are saved, which serialises two people editing them."""

    project = models.OneToOneField(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="funding"
    )
    ceiling = models.ForeignKey(
        SupportCeiling,
        verbose_name=_("mức hỗ trợ áp dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Bắt buộc khi nội dung của đề án có nhiều mức hỗ trợ khác nhau."),
    )
    # Staff's recorded statement that the đề án is none of the capped cases of its contents (e.g. a showroom
    # under 4.4, whose only ceiling is for fairs abroad). Shown on the đề án page; history keeps who said it.
    ceiling_not_applicable = models.BooleanField(_("không thuộc trường hợp có mức hỗ trợ tối đa"), default=False)
    ceiling_units = models.PositiveSmallIntegerField(
        _("số mô hình / cơ sở được hỗ trợ"), default=1, help_text=_("Mức tối đa bằng đồng nhân với số này.")
    )
    # The exception that let the last save exceed a ceiling or the yearly envelope, shown on the đề án page.
    ceiling_exception = models.ForeignKey(
        "BudgetException",
        verbose_name=_("ngoại lệ mức trần"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    allocation_exception = models.ForeignKey(
        "BudgetException",
        verbose_name=_("ngoại lệ dự toán năm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Optimistic lock: the editor carries it; a save from an older page is refused.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("kinh phí đề án")
        verbose_name_plural = _("kinh phí đề án")
        constraints = [
            models.CheckConstraint(condition=Q(ceiling_units__gte=1), name="funding_ceiling_units_positive"),
        ]

    def __str__(self) -> str:
        return str(self.project)


class FundingLine(TimeStampedModel):
    """One source × cost item of a đề án. `estimated_cost` is the dự toán (eligible cost) of this line,
    `approved_amount` what the decision approved. `disbursed_total` and `settled_amount` are kept by the services
    (conditional UPDATE) so that the constraints below can refuse an overspend at the database."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.PROTECT, related_name="funding_lines"
    )
    source = models.CharField(_("nguồn kinh phí"), max_length=10, choices=FundingSource.choices)
    cost_item = models.CharField(_("khoản chi"), max_length=10, choices=CostItem.choices)
    description = models.CharField(_("diễn giải"), max_length=300, blank=True)
    estimated_cost = models.BigIntegerField(_("dự toán chi phí hợp lệ (đồng)"), default=0)
    approved_amount = models.BigIntegerField(_("kinh phí phê duyệt (đồng)"), default=0)
    disbursed_total = models.BigIntegerField(_("đã giải ngân (đồng)"), default=0, editable=False)
    settled_amount = models.BigIntegerField(_("đã quyết toán (đồng)"), default=0, editable=False)
    decision_item = models.ForeignKey(
        "projects.DecisionItem",
        verbose_name=_("theo quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding_lines",
    )

    history = HistoricalRecords(excluded_fields=["disbursed_total", "settled_amount"])

    class Meta:
        verbose_name = _("dòng kinh phí")
        verbose_name_plural = _("dòng kinh phí")
        ordering = ["project", "source", "cost_item"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source", "cost_item"], name="funding_line_unique_item"),
            models.CheckConstraint(condition=Q(estimated_cost__gte=0), name="funding_line_estimated_non_negative"),
            models.CheckConstraint(condition=Q(approved_amount__gte=0), name="funding_line_approved_non_negative"),
            models.CheckConstraint(condition=Q(disbursed_total__gte=0), name="funding_line_disbursed_non_negative"),
            models.CheckConstraint(condition=Q(settled_amount__gte=0), name="funding_line_settled_non_negative"),
            models.CheckConstraint(
                condition=Q(disbursed_total__lte=F("approved_amount")), name="funding_line_disbursed_within_approved"
            ),
            models.CheckConstraint(
                condition=Q(settled_amount__lte=F("approved_amount")), name="funding_line_settled_within_approved"
            ),
        ]
        indexes = [
            # The annual budget summary (budgets.selectors.budget_summary): lines of the year's đề án summed by
            # source; the amounts ride along in the index so the sums need not visit the table (PostgreSQL).
            models.Index(
                fields=["project", "source"],
                include=["approved_amount", "disbursed_total", "settled_amount", "estimated_cost"],
                name="funding_line_summary",
            ),
            # The API's cursor pages and updated_since sync of funding lines (api.pagination.SyncCursor).
            models.Index(fields=["updated_at", "id"], name="funding_line_updated_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.get_cost_item_display()}"

    @property
    def remaining(self) -> int:
        return self.approved_amount - self.disbursed_total

    @property
    def approval_percent(self):
        """Approved as a share of the line's eligible cost; None when there is no cost."""
        if not self.estimated_cost:
            return None
        return self.approved_amount * 100 / self.estimated_cost


class FundingAdjustment(TimeStampedModel):
    """A formal change of an approved amount: the amount before and after, and the decision behind it."""

    line = models.ForeignKey(
        FundingLine, verbose_name=_("dòng kinh phí"), on_delete=models.PROTECT, related_name="adjustments"
    )
    approved_amount = models.BigIntegerField(_("kinh phí đã phê duyệt (đồng)"))
    adjusted_amount = models.BigIntegerField(_("kinh phí sau điều chỉnh (đồng)"))
    decision = models.ForeignKey(
        "projects.Decision", verbose_name=_("quyết định điều chỉnh"), null=True, blank=True, on_delete=models.PROTECT
    )
    adjustment = models.ForeignKey(
        "projects.Adjustment",
        verbose_name=_("đề nghị điều chỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding_adjustments",
    )
    reason = models.TextField(_("lý do"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điều chỉnh kinh phí")
        verbose_name_plural = _("điều chỉnh kinh phí")
        ordering = ["line", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_amount__gte=0, adjusted_amount__gte=0), name="funding_adjustment_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=False) | Q(adjustment__isnull=False),
                name="funding_adjustment_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.approved_amount} → {self.adjusted_amount}"


class DisbursementKind(models.TextChoices):
    ADVANCE = "tam_ung", _("Tạm ứng")
    PAYMENT = "thanh_toan", _("Thanh toán")


class Disbursement(TimeStampedModel):
    """One payment (tạm ứng or thanh toán) against a funding line."""

    line = models.ForeignKey(
        FundingLine, verbose_name=_("dòng kinh phí"), on_delete=models.PROTECT, related_name="disbursements"
    )
    kind = models.CharField(_("loại"), max_length=12, choices=DisbursementKind.choices)
    paid_on = models.DateField(_("ngày chi"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    document_number = models.CharField(_("số chứng từ"), max_length=60)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khoản giải ngân")
        verbose_name_plural = _("giải ngân")
        ordering = ["line", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            # A form sent twice must not pay twice: a payment document is recorded once per line.
            models.UniqueConstraint(fields=["line", "document_number"], name="disbursement_unique_document"),
        ]
        indexes = [
            # The đề án money page lists a line's payments by date.
            models.Index(fields=["line", "paid_on"], name="disbursement_line_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_number}"


class Settlement(TimeStampedModel):
    """Quyết toán of one funding line (one per line; a correction edits it and leaves history)."""

    line = models.OneToOneField(
        FundingLine, verbose_name=_("dòng kinh phí"), on_delete=models.PROTECT, related_name="settlement"
    )
    amount = models.BigIntegerField(_("số quyết toán (đồng)"))
    settled_on = models.DateField(_("ngày quyết toán"))
    document_number = models.CharField(_("số văn bản quyết toán"), max_length=60)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quyết toán")
        verbose_name_plural = _("quyết toán")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="settlement_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.amount}"


class ExceptionKind(models.TextChoices):
    CEILING = "ceiling", _("Vượt mức hỗ trợ tối đa")
    ALLOCATION = "allocation", _("Vượt dự toán kinh phí năm")


class ExceptionStatus(models.TextChoices):
    REQUESTED = "requested", _("Chờ lãnh đạo duyệt")
    APPROVED = "approved", _("Đã chấp thuận")
    REJECTED = "rejected", _("Không chấp thuận")


class BudgetException(TimeStampedModel):
    """A leader's permission for one đề án to receive state support up to `amount` although it breaks a
    ceiling or the yearly envelope. Staff may ask for it; only a leader approves it, with a reason."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="budget_exceptions"
    )
    kind = models.CharField(_("loại ngoại lệ"), max_length=12, choices=ExceptionKind.choices)
    amount = models.BigIntegerField(_("kinh phí hỗ trợ được phép (đồng)"))
    reason = models.TextField(_("lý do"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ExceptionStatus.choices, default=ExceptionStatus.REQUESTED
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
        verbose_name=_("lãnh đạo quyết định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_comment = models.TextField(_("ý kiến lãnh đạo"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngoại lệ kinh phí")
        verbose_name_plural = _("ngoại lệ kinh phí")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_exception_amount_non_negative"),
            models.CheckConstraint(
                condition=Q(status="requested") | Q(decided_at__isnull=False),
                name="budget_exception_decided_has_date",
            ),
        ]
        indexes = [
            # The leaders' queue of requests and the check for an approved exception of a đề án.
            models.Index(fields=["project", "kind", "status"], name="budget_exception_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.get_kind_display()}"


# --- pre-computed figures (issue 18) ---------------------------------------------------------------------------
SOURCE_KEYS = ("kcqg", "kcdp", "doi_ung", "khac")  # FundingSource values, spelled out for the column names
AMOUNT_KEYS = ("approved", "disbursed", "settled", "estimated", "lines")
# The FundingLine column each amount of a figure sums ("lines" counts the lines).
LINE_COLUMNS = {
    "approved": "approved_amount",
    "disbursed": "disbursed_total",
    "settled": "settled_amount",
    "estimated": "estimated_cost",
}


def figure_column(amount: str, source: str) -> str:
    return f"{amount}_{source}"


class ProjectFigures(models.Model):
    """One đề án's money per source, summed from its funding lines, beside the keys the dashboard, the money
    summary, the map and the reports group by (year, level, kind, status, unit). A copy kept exactly in step by
    budgets.figures in the transaction of every write (model signals and the services' conditional UPDATEs), so
    that the figures pages sum one narrow row per đề án instead of joining every funding line of the country.
    Never edited by hand: `manage.py rebuild_aggregates` rebuilds it and `--check` compares it with the lines."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="figures", verbose_name=_("đề án")
    )
    plan_year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    level = models.CharField(_("cấp"), max_length=10)
    kind = models.CharField(_("loại"), max_length=10)
    status = models.CharField(_("trạng thái"), max_length=24)
    unit = models.ForeignKey(
        "areas.AdministrativeUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn")
    )
    approved_kcqg = models.BigIntegerField(default=0)
    disbursed_kcqg = models.BigIntegerField(default=0)
    settled_kcqg = models.BigIntegerField(default=0)
    estimated_kcqg = models.BigIntegerField(default=0)
    lines_kcqg = models.PositiveIntegerField(default=0)
    approved_kcdp = models.BigIntegerField(default=0)
    disbursed_kcdp = models.BigIntegerField(default=0)
    settled_kcdp = models.BigIntegerField(default=0)
    estimated_kcdp = models.BigIntegerField(default=0)
    lines_kcdp = models.PositiveIntegerField(default=0)
    approved_doi_ung = models.BigIntegerField(default=0)
    disbursed_doi_ung = models.BigIntegerField(default=0)
    settled_doi_ung = models.BigIntegerField(default=0)
    estimated_doi_ung = models.BigIntegerField(default=0)
    lines_doi_ung = models.PositiveIntegerField(default=0)
    approved_khac = models.BigIntegerField(default=0)
    disbursed_khac = models.BigIntegerField(default=0)
    settled_khac = models.BigIntegerField(default=0)
    estimated_khac = models.BigIntegerField(default=0)
    lines_khac = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp của đề án")
        verbose_name_plural = _("số liệu tổng hợp của đề án")
        indexes = [
            # Dashboard, money summary and report: the figures of one (or two) plan years.
            models.Index(fields=["plan_year", "status"], name="project_figures_year"),
        ]

    def __str__(self) -> str:
        return str(self.project_id)
