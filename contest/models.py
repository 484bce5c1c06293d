"""Bình chọn sản phẩm CNNT tiêu biểu (Thông tư 26/2014/TT-BCT, sửa đổi bởi 14/2018/TT-BCT; domain.md §7).

A contest has entries (a product of an eligible establishment), jurors fill one score sheet per entry
against a criteria set that is data, and passing entries get a certificate once results are published.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel

POINTS = {"max_digits": 5, "decimal_places": 2}


class ContestLevel(models.TextChoices):
    # District rounds ended with the districts (1/7/2025): the level exists for historical records only.
    DISTRICT = "district", _("Cấp huyện")
    CITY = "city", _("Cấp thành phố")


class ContestState(models.TextChoices):
    OPEN = "open", _("Nhận hồ sơ")
    SCORING = "scoring", _("Đang chấm điểm")
    CLOSED = "closed", _("Đã kết thúc chấm")
    PUBLISHED = "published", _("Đã công bố kết quả")


class ScoreRule(models.TextChoices):
    MEAN = "mean", _("Trung bình cộng các phiếu")
    TRIMMED_MEAN = "trimmed_mean", _("Bỏ điểm cao nhất và thấp nhất khi có từ 5 phiếu, rồi lấy trung bình")


class ProductGroup(models.TextChoices):
    """The four product groups of Thông tư 26/2014/TT-BCT."""

    HANDICRAFT = "thu_cong_my_nghe", _("Thủ công mỹ nghệ")
    FOOD = "che_bien_thuc_pham", _("Chế biến nông-lâm-thủy sản và thực phẩm")
    MECHANICAL = "co_khi", _("Thiết bị, máy móc, dụng cụ, phụ tùng cơ khí")
    OTHER = "khac", _("Sản phẩm khác")


class CriteriaSet(TimeStampedModel):
    """A scoring grid as data: a later circular brings a new set, not new code."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    effective_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bộ tiêu chí chấm điểm")
        verbose_name_plural = _("bộ tiêu chí chấm điểm")
        ordering = ["-effective_from", "code"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """A criterion group or, when `parent` is set, a sub-criterion. Jurors score the leaves."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc nhóm"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("số thứ tự"), max_length=10)
    name = models.CharField(_("tên tiêu chí"), max_length=255)
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS, validators=[MinValueValidator(Decimal("0.01"))])
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Contest(TimeStampedModel):
    name = models.CharField(_("tên cuộc bình chọn"), max_length=255)
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    level = models.CharField(_("cấp"), max_length=10, choices=ContestLevel.choices, default=ContestLevel.CITY)
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=200, default="UBND thành phố Hải Phòng")
    organiser = models.CharField(_("cơ quan tổ chức"), max_length=200, default="Sở Công Thương")
    place = models.CharField(_("địa danh ghi trên văn bản"), max_length=60, default="Hải Phòng")
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, default="Giám đốc", blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    decision_number = models.CharField(_("số quyết định tổ chức"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định tổ chức"), null=True, blank=True)
    result_decision_number = models.CharField(_("số quyết định công nhận"), max_length=60, blank=True)
    result_decision_date = models.DateField(_("ngày quyết định công nhận"), null=True, blank=True)
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT)
    pass_mark = models.DecimalField(
        _("điểm đạt"),
        **POINTS,
        default=Decimal("70"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    score_rule = models.CharField(_("cách tính điểm"), max_length=20, choices=ScoreRule.choices, default=ScoreRule.MEAN)
    proposal_quota = models.PositiveSmallIntegerField(
        _("số sản phẩm được đề xuất lên cấp trên"), default=0, help_text=_("0: không đề xuất.")
    )
    next_level_name = models.CharField(
        _("vòng bình chọn cấp trên"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Bình chọn sản phẩm CNNT tiêu biểu cấp khu vực phía Bắc năm 2022."),
    )
    state = models.CharField(_("trạng thái"), max_length=12, choices=ContestState.choices, default=ContestState.OPEN)
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thư ký hội đồng"), blank=True, related_name="contests_as_secretary"
    )
    jurors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("giám khảo"), blank=True, related_name="contests_as_juror"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Who sits on the council is shown on the contest page; state changes are in ContestTransition.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cuộc bình chọn")
        verbose_name_plural = _("cuộc bình chọn")
        ordering = ["-year", "level"]
        constraints = [
            models.UniqueConstraint(fields=["year", "level"], name="contest_unique_year_level"),
            models.CheckConstraint(condition=Q(pass_mark__gte=0, pass_mark__lte=100), name="contest_pass_mark_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.level == ContestLevel.DISTRICT and self.year and self.year > 2025:
            raise ValidationError({"level": _("Từ 1/7/2025 không còn cấp huyện: chỉ nhập cấp huyện cho dữ liệu cũ.")})

    @property
    def is_results_visible_to_all_jurors(self) -> bool:
        return self.state in (ContestState.CLOSED, ContestState.PUBLISHED)


class ContestTransition(models.Model):
    """Who moved the contest from one state to the next, and when."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("từ"), max_length=12, choices=ContestState.choices)
    to_state = models.CharField(_("sang"), max_length=12, choices=ContestState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("chuyển trạng thái cuộc bình chọn")
        verbose_name_plural = _("chuyển trạng thái cuộc bình chọn")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Entry(TimeStampedModel):
    contest = models.ForeignKey(
        Contest, verbose_name=_("cuộc bình chọn"), on_delete=models.PROTECT, related_name="entries"
    )
    number = models.PositiveIntegerField(_("số hồ sơ"))
    product_name = models.CharField(_("tên sản phẩm"), max_length=255)
    is_product_set = models.BooleanField(_("là bộ sản phẩm"), default=False)
    group = models.CharField(_("nhóm sản phẩm"), max_length=24, choices=ProductGroup.choices)
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary", verbose_name=_("cơ sở"), on_delete=models.PROTECT, related_name="contest_entries"
    )
    description = models.TextField(_("mô tả sản phẩm"), blank=True)
    proposed = models.BooleanField(_("đề xuất lên cấp trên"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hồ sơ dự thi")
        verbose_name_plural = _("hồ sơ dự thi")
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="entry_unique_number"),
            models.UniqueConstraint(fields=["contest", "beneficiary", "product_name"], name="entry_unique_product"),
        ]

    def __str__(self) -> str:
        return f"{self.number:03d} · {self.product_name}"


class EntryPhoto(TimeStampedModel):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("ảnh"), upload_to="contest/photos/%Y/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    caption = models.CharField(_("chú thích"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ảnh sản phẩm")
        verbose_name_plural = _("ảnh sản phẩm")
        ordering = ["entry", "id"]


class DocumentKind(models.TextChoices):
    REGISTRATION_FORM = "registration_form", _("Phiếu đăng ký tham gia bình chọn")
    BUSINESS_REGISTRATION = "business_registration", _("Giấy chứng nhận đăng ký kinh doanh (bản sao)")
    CERTIFICATE = "certificate", _("Chứng nhận, giấy khen liên quan")
    OTHER = "other", _("Tài liệu khác")


class EntryDocument(TimeStampedModel):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("loại giấy tờ"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(_("tệp"), upload_to="contest/documents/%Y/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giấy tờ hồ sơ")
        verbose_name_plural = _("giấy tờ hồ sơ")
        ordering = ["entry", "kind", "id"]


class SheetState(models.TextChoices):
    DRAFT = "draft", _("Đang chấm")
    SUBMITTED = "submitted", _("Đã nộp")


class ScoreSheet(TimeStampedModel):
    """One juror's scores for one entry."""

    entry = models.ForeignKey(Entry, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="sheets")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("giám khảo"), on_delete=models.PROTECT, related_name="score_sheets"
    )
    state = models.CharField(_("trạng thái"), max_length=10, choices=SheetState.choices, default=SheetState.DRAFT)
    total = models.DecimalField(_("tổng điểm"), **POINTS, default=Decimal("0"))
    comment = models.TextField(_("nhận xét"), blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")
        ordering = ["entry", "juror_id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "juror"], name="sheet_unique_entry_juror"),
            models.CheckConstraint(condition=Q(total__gte=0), name="sheet_total_not_negative"),
        ]
        indexes = [
            # Results: the submitted sheets of a contest's entries.
            models.Index(fields=["entry", "state"], name="sheet_entry_state"),
        ]


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT)
    points = models.DecimalField(_("điểm"), **POINTS)
    comment = models.CharField(_("ghi chú"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điểm theo tiêu chí")
        verbose_name_plural = _("điểm theo tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.points is not None and self.criterion_id and self.points > self.criterion.max_points:
            raise ValidationError(
                {
                    "points": _("Điểm %(points)s vượt quá điểm tối đa %(max)s của tiêu chí %(code)s.")
                    % {"points": self.points, "max": self.criterion.max_points, "code": self.criterion.code}
                }
            )


class SheetCorrection(models.Model):
    """A secretary's correction to a submitted sheet, with the reason the council gave."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="corrections")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("thư ký"), on_delete=models.PROTECT)
    reason = models.TextField(_("lý do"))
    total_before = models.DecimalField(_("tổng trước"), **POINTS)
    total_after = models.DecimalField(_("tổng sau"), **POINTS)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("điều chỉnh phiếu chấm")
        verbose_name_plural = _("điều chỉnh phiếu chấm")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.total_before} → {self.total_after}"


class ConflictOfInterest(TimeStampedModel):
    """A juror declared a conflict: their sheet for this entry does not count and they cannot score it."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="conflicts")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("giám khảo"), on_delete=models.PROTECT)
    reason = models.CharField(_("lý do"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xung đột lợi ích")
        verbose_name_plural = _("xung đột lợi ích")
        constraints = [models.UniqueConstraint(fields=["entry", "juror"], name="conflict_unique_entry_juror")]


def certificate_valid_until(issued_on: date) -> date:
    """31 December of the 4th year, the issue year counting as the first (issued 2021 → 31/12/2024)."""
    return date(issued_on.year + 3, 12, 31)


class Certificate(TimeStampedModel):
    """One per passing entry. What it says is copied at issue time, so a later edit does not rewrite it."""

    entry = models.OneToOneField(Entry, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="certificate")
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="certificates")
    sequence = models.PositiveIntegerField(_("số thứ tự"))
    number = models.CharField(_("số giấy chứng nhận"), max_length=40)
    issued_on = models.DateField(_("ngày cấp"))
    valid_until = models.DateField(_("có giá trị đến"))
    score = models.DecimalField(_("điểm"), **POINTS)
    product_name = models.CharField(_("tên sản phẩm"), max_length=255)
    group = models.CharField(_("nhóm sản phẩm"), max_length=24, choices=ProductGroup.choices)
    beneficiary_name = models.CharField(_("tên cơ sở"), max_length=255)
    beneficiary_address = models.CharField(_("địa chỉ cơ sở"), max_length=255)
    commune = models.CharField(_("xã/phường"), max_length=120)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"), null=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người cấp"), on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giấy chứng nhận")
        verbose_name_plural = _("giấy chứng nhận")
        ordering = ["contest", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "sequence"], name="certificate_unique_sequence"),
            models.UniqueConstraint(fields=["number"], name="certificate_unique_number"),
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("issued_on")), name="certificate_valid_after"),
        ]

    def __str__(self) -> str:
        return self.number
