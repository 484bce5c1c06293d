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
