"""Funding sources (nguồn kinh phí). Shared by budgets, acceptance (field) and reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingSource(models.TextChoices):
    NATIONAL = "kcqg", _("Kinh phí khuyến công quốc gia")
    LOCAL = "kcdp", _("Kinh phí khuyến công địa phương")
    COUNTERPART = "doi_ung", _("Vốn đối ứng của cơ sở")
    OTHER = "khac", _("Nguồn khác")


# The state budget sources; the rest is the beneficiary's or others' money.
STATE_SOURCES = (FundingSource.NATIONAL, FundingSource.LOCAL)
