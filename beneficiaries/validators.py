import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")


def normalise_tax_code(value) -> str:
    """Restores what Excel and typists do to tax codes: numbers lose leading zeros, spaces creep in.

    "0201234567", 201234567 (a number) and " 0201234567 " all become "0201234567";
    "0201234567 - 001" becomes "0201234567-001".
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", "", str(value))
    if not text:
        return ""
    main, dash, branch = text.partition("-")
    # Codes start with a two-digit province code (01 Hà Nội, 02 Hải Phòng…), so Excel drops at most one zero;
    # padding shorter numbers would turn a typo into a valid-looking code.
    if main.isdigit() and len(main) == 9:
        main = "0" + main
    return main + (dash + branch if dash else "")


def validate_tax_code(value: str) -> None:
    if value and not TAX_CODE_RE.match(value):
        raise ValidationError(
            _("Mã số thuế '%(value)s' không hợp lệ: cần 10 chữ số, hoặc 10 chữ số - 3 chữ số cho chi nhánh."),
            code="invalid_tax_code",
            params={"value": value},
        )


def tax_code_field(**kwargs):
    """The tax code column of every model that keeps one (establishments, implementing units): one definition."""
    from django.db import models
    from django.utils.translation import gettext_lazy

    return models.CharField(
        gettext_lazy("mã số thuế"),
        max_length=14,
        blank=True,
        validators=[validate_tax_code],
        help_text=gettext_lazy("10 chữ số, hoặc 10 chữ số - 3 chữ số (chi nhánh)."),
        **kwargs,
    )


def validate_not_future(value) -> None:
    """A registration certificate, like any paper already issued, cannot be dated after today."""
    if value and value > datetime.date.today():
        raise ValidationError(_("Ngày cấp không được sau hôm nay."), code="future_date")
