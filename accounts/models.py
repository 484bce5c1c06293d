from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who signs in. Roles are groups (accounts.roles); an area officer's scope is `areas`."""

    title = models.CharField(_("chức vụ"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default="vi")
    areas = models.ManyToManyField(
        "areas.AdministrativeUnit",
        verbose_name=_("địa bàn phụ trách"),
        blank=True,
        related_name="officers",
        help_text=_("Cán bộ địa bàn chỉ thấy dữ liệu của các đơn vị này và các đơn vị trực thuộc."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Vietnamese order: family name first ("Trần Thị Hồng").
        return f"{self.last_name} {self.first_name}".strip()
