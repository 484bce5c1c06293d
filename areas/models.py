from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import fold


class UnitType(models.TextChoices):
    CITY = "thanh_pho_tw", _("Thành phố trực thuộc TW")
    PROVINCE = "tinh", _("Tỉnh")
    URBAN_DISTRICT = "quan", _("Quận")
    RURAL_DISTRICT = "huyen", _("Huyện")
    TOWN = "thi_xa", _("Thị xã")
    PROVINCIAL_CITY = "thanh_pho", _("Thành phố thuộc tỉnh/TP")
    WARD = "phuong", _("Phường")
    COMMUNE = "xa", _("Xã")
    TOWNLET = "thi_tran", _("Thị trấn")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")


# The commune-level types; the rest are province or district level.
COMMUNE_LEVEL = {UnitType.WARD, UnitType.COMMUNE, UnitType.TOWNLET, UnitType.SPECIAL_ZONE}


class AdministrativeUnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def subtree_of(self, units):
        """Units in the subtrees of the given units (themselves included)."""
        condition = Q(pk__in=[])
        for unit in units:
            condition |= Q(path__startswith=unit.path)
        return self.filter(condition)


class AdministrativeUnit(models.Model):
    """A province, district or commune, with the dates it existed.

    Records from 2021 carry pre-reform addresses (three levels) and records from 7/2025 carry the
    new communes directly under the city, so both generations live side by side in one tree.
    `path` ("/31/d311/w11473/") makes "this unit and everything under it" one indexed prefix match.
    """

    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=120)
    short_name = models.CharField(_("tên rút gọn"), max_length=100)
    unit_type = models.CharField(_("loại"), max_length=20, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("đường dẫn"), max_length=100, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("cấp"), default=0, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    aliases = models.CharField(
        _("tên khác"), max_length=255, blank=True, help_text=_("Tên cũ hoặc cách viết khác, cách nhau bởi dấu ;")
    )
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    area_km2 = models.FloatField(_("diện tích (km²)"), null=True, blank=True)
    # For a pre-2025 unit taken over whole by one current commune: that commune (one join for scope and
    # reports). Null for current units and for the split ones, whose records name their successor themselves.
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sole_predecessors",
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        from areas.labels import unit_label

        return unit_label(self)

    def save(self, *args, **kwargs):
        # path and search_name are derived from the row itself; keeping them here keeps them in step.
        if not self.path:
            self.path = (self.parent.path if self.parent_id else "/") + f"u{self.code}/"
        self.depth = self.path.count("/") - 2
        self.search_name = fold(" ".join([self.name, self.aliases]))
        super().save(*args, **kwargs)

    @property
    def is_commune_level(self) -> bool:
        return self.unit_type in COMMUNE_LEVEL

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def is_split(self) -> bool:
        """A pre-2025 unit whose territory went to several current communes."""
        return not self.is_current and self.successor_id is None and self.successor_links.count() > 1


class UnitSuccessor(models.Model):
    """One official link from a unit in force before 1/7/2025 to a commune that took over (part of) it.

    Most old communes have one successor; a commune split between several has one row per successor, and the
    one the source names as the default (`is_default`) is only a guess: a record there asks a person.
    """

    predecessor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị cũ"), on_delete=models.CASCADE, related_name="successor_links"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị mới"), on_delete=models.CASCADE, related_name="predecessor_links"
    )
    is_default = models.BooleanField(_("mặc định"), default=True)

    class Meta:
        verbose_name = _("đơn vị kế thừa")
        verbose_name_plural = _("đơn vị kế thừa")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="unit_successor_once")]

    def __str__(self) -> str:
        return f"{self.predecessor.name} → {self.successor.name}"


class BoundaryFile(models.Model):
    """A licensed outline of the province's communes (GeoJSON) that an admin uploads; the map draws the active
    one behind the communes' centres. None ships with the application: no openly licensed outline of the
    post-2025 communes exists."""

    file = models.FileField(_("tệp GeoJSON"), upload_to="boundaries/")
    licence = models.CharField(
        _("giấy phép sử dụng"), max_length=300, help_text=_("Nguồn và giấy phép cho phép dùng tệp này.")
    )
    sha256 = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("đang dùng"), default=True)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp ranh giới xã, phường")
        verbose_name_plural = _("tệp ranh giới xã, phường")
        constraints = [models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="boundary_one_active")]

    def __str__(self) -> str:
        return self.file.name
