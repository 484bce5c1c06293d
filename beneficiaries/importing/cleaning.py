"""One cell → one value. Each reader returns the value or raises CellError with a Vietnamese explanation."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from beneficiaries.models import LegalForm
from beneficiaries.validators import normalise_tax_code, validate_tax_code
from core.text import fold, nfc


class CellError(ValueError):
    pass


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """Trimmed NFC text; a whole number Excel stored as 12.0 reads "12"; a date reads dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return nfc(value)


def tax_code(value) -> str:
    """201234567 (a number), "0201.234.567 " or "0201234567 - 001" → the stored form, else CellError."""
    written = text(value)
    if isinstance(value, str) and re.fullmatch(r"[\d. ]+(-\s*\d+)?", nfc(value)):
        value = nfc(value).replace(".", "")
    result = normalise_tax_code(value)
    try:
        validate_tax_code(result)
    except ValidationError:
        raise CellError(
            _("Mã số thuế '%(value)s' không hợp lệ: cần 10 chữ số, hoặc 10 chữ số - 3 chữ số cho chi nhánh.")
            % {"value": written}
        )
    return result


def phone(value) -> str:
    """Excel turns 0912345678 into the number 912345678: the leading zero comes back."""
    result = text(value)
    if result.isdigit() and len(result) in (9, 10) and not result.startswith(("0", "84")):
        result = "0" + result
    return result


_THOUSANDS = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


def whole_number(value) -> int | None:
    """12, 12.0, "1.200", "1 200" → int; "12,5" or "mười" → CellError."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' không phải là số.") % {"value": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("'%(value)s' phải là số nguyên.") % {"value": text(value)})
        number = int(value)
    else:
        raw = nfc(value)
        if raw.isdigit():
            number = int(raw)
        elif _THOUSANDS.match(raw):
            number = int(re.sub(r"[.,\s]", "", raw))
        else:
            raise CellError(_("'%(value)s' không phải là số nguyên.") % {"value": raw})
    if number < 0:
        raise CellError(_("Không được là số âm (%(value)s).") % {"value": number})
    return number


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def year(value) -> int | None:
    """A founding year from 2005, 2005.0, "2005", a real date, "15/03/2005" (day first), "03/2005" or a serial."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        result = value.year
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value)
        # A date cell read without its format arrives as a day count since 1899-12-30.
        result = (_EXCEL_EPOCH + datetime.timedelta(days=number)).year if number > 3000 else number
    else:
        raw = nfc(value)
        if raw.isdigit() and len(raw) == 4:
            result = int(raw)
        elif match := _DMY.match(raw):
            day, month, result = (int(part) for part in match.groups())
            try:
                datetime.date(result, month, day)
            except ValueError:
                raise CellError(_("Ngày '%(value)s' không có thật (ghi theo dd/mm/yyyy).") % {"value": raw})
        elif match := _MY.match(raw):
            result = int(match.group(2))
        else:
            raise CellError(_("'%(value)s' không phải năm hoặc ngày dd/mm/yyyy.") % {"value": raw})
    if not 1900 <= result <= datetime.date.today().year:
        raise CellError(_("Năm thành lập %(value)s không hợp lý.") % {"value": result})
    return result


def date(value) -> datetime.date | None:
    """A day from a real date cell, or text written dd/mm/yyyy (also with . or -); anything else is CellError:
    a registry's date is kept, so one that does not exist (31/02/2020) or that is not day-first is refused."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    match = _DMY.match(raw)
    if not match:
        raise CellError(_("'%(value)s' không phải ngày dd/mm/yyyy.") % {"value": raw})
    day, month, year_ = (int(part) for part in match.groups())
    try:
        return datetime.date(year_, month, day)
    except ValueError:
        raise CellError(_("Ngày '%(value)s' không có thật (ghi theo dd/mm/yyyy).") % {"value": raw})


_TRUE = {"x", "co", "1", "true", "yes", "v", "dung", "phai", "✓", "✔", "c"}
_FALSE = {"", "khong", "0", "false", "no", "k", "-"}


def flag(value) -> bool:
    if isinstance(value, bool):
        return value
    key = fold(text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(_("'%(value)s' không rõ: ghi 'x' (hoặc 'Có') nếu đúng, để trống nếu không.") % {"value": value})


_LEGAL_FORMS = {
    "doanh nghiep": LegalForm.ENTERPRISE,
    "dn": LegalForm.ENTERPRISE,
    "cong ty": LegalForm.ENTERPRISE,
    "cong ty tnhh": LegalForm.ENTERPRISE,
    "cong ty co phan": LegalForm.ENTERPRISE,
    "doanh nghiep tu nhan": LegalForm.ENTERPRISE,
    "dntn": LegalForm.ENTERPRISE,
    "tnhh": LegalForm.ENTERPRISE,
    "ctcp": LegalForm.ENTERPRISE,
    "hop tac xa": LegalForm.COOPERATIVE,
    "htx": LegalForm.COOPERATIVE,
    "to hop tac": LegalForm.COOPERATIVE_GROUP,
    "tht": LegalForm.COOPERATIVE_GROUP,
    "ho kinh doanh": LegalForm.HOUSEHOLD,
    "hkd": LegalForm.HOUSEHOLD,
    "ho ca the": LegalForm.HOUSEHOLD,
    "ho kinh doanh ca the": LegalForm.HOUSEHOLD,
    "co so": LegalForm.HOUSEHOLD,
    "co so san xuat": LegalForm.HOUSEHOLD,
}
# A name usually says what it is: "Công ty TNHH …", "HTX …", "Hộ kinh doanh …".
_NAME_PREFIXES = (
    ("cong ty", LegalForm.ENTERPRISE),
    ("cty", LegalForm.ENTERPRISE),
    ("doanh nghiep", LegalForm.ENTERPRISE),
    ("dntn", LegalForm.ENTERPRISE),
    ("hop tac xa", LegalForm.COOPERATIVE),
    ("htx", LegalForm.COOPERATIVE),
    ("to hop tac", LegalForm.COOPERATIVE_GROUP),
    ("ho kinh doanh", LegalForm.HOUSEHOLD),
    ("hkd", LegalForm.HOUSEHOLD),
)
_LABELS = {fold(str(label)): value for value, label in LegalForm.choices}


def legal_form(value, name: str) -> str:
    key = fold(text(value)).strip(" .")
    if key:
        found = _LEGAL_FORMS.get(key) or _LABELS.get(key) or (key if key in LegalForm.values else None)
        if found is None:
            raise CellError(
                _("Loại hình '%(value)s' không rõ: ghi Doanh nghiệp, Hợp tác xã, Tổ hợp tác hoặc Hộ kinh doanh.")
                % {"value": text(value)}
            )
        return found
    folded_name = fold(name)
    for prefix, form in _NAME_PREFIXES:
        if folded_name.startswith(prefix):
            return form
    raise CellError(_("Thiếu loại hình, và tên cơ sở không cho biết loại hình."))


_NAME_NOISE = re.compile(
    r"^(cong ty (tnhh|co phan|cp)( mot thanh vien| 1 thanh vien| mtv)?|cty (tnhh|cp)|cong ty|hop tac xa|htx|"
    r"to hop tac|ho kinh doanh|hkd|co so( san xuat)?|doanh nghiep tu nhan|dntn)\s+"
)


def name_key(name: str) -> str:
    """The name as a near-duplicate check compares it: folded, without the legal-form words and punctuation."""
    folded = re.sub(r"[^a-z0-9 ]+", " ", fold(name))
    folded = re.sub(r"\s+", " ", folded).strip()
    return _NAME_NOISE.sub("", folded)
