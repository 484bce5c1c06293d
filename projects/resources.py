"""Import of an annual plan list from Excel: upload → preview with per-row errors → confirm.

django-import-export reads the file (its XLSX format, first sheet, formulas as values); the rows are checked
here and written through projects.services.project_create, so the import obeys the same rules as the form.
Nothing is written before the confirm step, and the confirm step writes all rows in one transaction or none.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

from areas.models import AdministrativeUnit
from beneficiaries.selectors import beneficiary_list
from beneficiaries.validators import TAX_CODE_RE, normalise_tax_code
from core.text import fold, nfc
from projects.models import ActivityContent, Level, Organisation, Project, ProjectKind
from projects.services import project_create

MAX_ROWS = 2000

# Folded header text → our field. Several spellings are accepted for the same column.
HEADERS = {
    "ma de an": "code",
    "ma": "code",
    "ten de an": "title",
    "ten de an/nhiem vu": "title",
    "loai": "kind",
    "cap": "level",
    "nam": "plan_year",
    "nam ke hoach": "plan_year",
    "noi dung": "contents",
    "ma noi dung": "contents",
    "ma so thue": "tax_codes",
    "ma so thue co so": "tax_codes",
    "mst": "tax_codes",
    "dia diem": "place",
    "dia ban": "place",
    "don vi thuc hien": "implementing_unit",
    "bat dau": "start_date",
    "ngay bat dau": "start_date",
    "ket thuc": "end_date",
    "ngay ket thuc": "end_date",
    "muc tieu": "objectives",
}
REQUIRED = ("code", "title", "level", "plan_year", "tax_codes", "place")
LABELS = {
    "code": "Mã đề án",
    "title": "Tên đề án",
    "level": "Cấp",
    "plan_year": "Năm",
    "tax_codes": "Mã số thuế",
    "place": "Địa điểm",
}


class ImportRefused(Exception):
    def __init__(self, preview):
        super().__init__("import refused")
        self.preview = preview


@dataclass
class PreviewRow:
    number: int
    raw: dict
    errors: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


@dataclass
class Preview:
    rows: list[PreviewRow]
    missing_columns: list[str] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors) + (1 if self.missing_columns else 0)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.error_count == 0


def _cell(value) -> str:
    """Excel cells as JSON-safe text: dates dd/mm/yyyy, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


def read_plan_file(uploaded) -> list[dict]:
    """The sheet as a list of {field: text}; unknown columns are dropped. Raises ValidationError if unreadable."""
    if not uploaded.name.lower().endswith(".xlsx"):
        raise ValidationError(_("Chỉ nhận tệp Excel .xlsx."))
    try:
        dataset = XLSX().create_dataset(uploaded.read())
    except Exception:  # openpyxl raises many kinds on a corrupt or non-Excel file
        raise ValidationError(_("Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx."))
    columns = [HEADERS.get(fold(_cell(h)).strip(" *:"), None) for h in dataset.headers or []]
    rows = []
    for values in dataset:
        row = {name: _cell(value) for name, value in zip(columns, values, strict=False) if name}
        if any(row.values()):
            rows.append(row)
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Tệp có quá %(n)s dòng; hãy chia nhỏ.") % {"n": MAX_ROWS})
    return [{"__columns__": [c for c in columns if c]}, *rows]


def _date(text: str):
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text.split(" ")[0], fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _level(text: str) -> str | None:
    folded = fold(text).replace(" ", "")
    if folded in ("kcqg", "quocgia", "khuyenconquocgia", "khuyencongquocgia"):
        return Level.NATIONAL
    if folded in ("kcdp", "diaphuong", "khuyencongdiaphuong"):
        return Level.LOCAL
    return None


def _kind(text: str) -> str | None:
    folded = fold(text)
    if not folded or folded.startswith("de an"):
        return ProjectKind.PROJECT
    if folded.startswith(("du toan", "nhiem vu")):
        return ProjectKind.TASK
    return None


def _unit(text: str, year: int | None):
    """A unit by name (diacritics and case ignored), optionally "commune, district" to tell apart two of one
    name; with an old and a new unit of one name, the one in force in the plan year. None or "ambiguous"."""
    name, _, parent = (part.strip() for part in text.partition(","))
    folded = fold(name)
    candidates = AdministrativeUnit.objects.filter(depth__gte=1, search_name__startswith=folded).select_related(
        "parent"
    )
    exact = [u for u in candidates if fold(u.name) == folded] or [
        u for u in candidates if folded in [fold(a) for a in u.aliases.split(";") if a.strip()]
    ]
    if parent:
        exact = [u for u in exact if u.parent and fold(parent) in fold(u.parent.name)]
    if len(exact) > 1 and year:
        on = dt.date(year, 6, 30)
        exact = [u for u in exact if (not u.valid_from or u.valid_from <= on) and (not u.valid_to or u.valid_to >= on)]
    return exact[0] if len(exact) == 1 else (None if not exact else "ambiguous")


def validate_plan_rows(raw_rows: list[dict], *, user) -> Preview:
    """Checks every row against the database without writing. Error messages name the row and the column."""
    header, *rows = raw_rows
    missing = [LABELS[c] for c in REQUIRED if c not in header["__columns__"]]
    preview = Preview(rows=[], missing_columns=missing)
    if missing:
        return preview
    visible = beneficiary_list(user=user)
    contents = {c.code: c for c in ActivityContent.objects.all()}
    organisations = list(Organisation.objects.filter(active=True))
    default_org = next((o for o in organisations if o.kind == Organisation.Kind.EXTENSION_CENTRE), None)
    existing_codes = set(
        Project.objects.filter(code__in=[r.get("code", "") for r in rows]).values_list("code", flat=True)
    )
    seen_codes: set[str] = set()

    for number, raw in enumerate(rows, start=2):  # row 1 is the header
        row = PreviewRow(number=number, raw=raw)
        errors = row.errors
        for column in REQUIRED:
            if not raw.get(column):
                errors.append(_("Thiếu %(column)s.") % {"column": LABELS[column]})
        code = raw.get("code", "")
        if code in existing_codes:
            errors.append(_("Mã đề án %(code)s đã có trong hệ thống.") % {"code": code})
        elif code and code in seen_codes:
            errors.append(_("Mã đề án %(code)s lặp lại trong tệp.") % {"code": code})
        seen_codes.add(code)
        level = _level(raw.get("level", ""))
        if raw.get("level") and level is None:
            errors.append(_("Cấp '%(value)s' không rõ: ghi KCQG hoặc KCĐP.") % {"value": raw["level"]})
        kind = _kind(raw.get("kind", ""))
        if kind is None:
            errors.append(_("Loại '%(value)s' không rõ: ghi Đề án hoặc Dự toán.") % {"value": raw["kind"]})
        year = None
        if raw.get("plan_year"):
            if re.fullmatch(r"\d{4}", raw["plan_year"]) and 2000 <= int(raw["plan_year"]) <= 2100:
                year = int(raw["plan_year"])
            else:
                errors.append(_("Năm '%(value)s' không hợp lệ.") % {"value": raw["plan_year"]})
        content_list = []
        for token in filter(None, re.split(r"[,;\s]+", raw.get("contents", ""))):
            if token in contents:
                content_list.append(contents[token])
            else:
                errors.append(_("Mã nội dung '%(code)s' không có trong danh mục.") % {"code": token})
        beneficiaries = []
        for token in filter(None, re.split(r"[,;\s]+", raw.get("tax_codes", ""))):
            tax = normalise_tax_code(token)
            if not TAX_CODE_RE.match(tax):
                errors.append(_("Mã số thuế '%(value)s' không hợp lệ.") % {"value": token})
                continue
            found = visible.filter(Q(tax_code=tax) | Q(registration_number=token)).first()
            if found is None:
                errors.append(_("Không tìm thấy cơ sở có mã số thuế %(tax)s: hãy thêm cơ sở trước.") % {"tax": tax})
            else:
                beneficiaries.append(found)
        unit = _unit(raw["place"], year) if raw.get("place") else None
        if raw.get("place") and unit is None:
            errors.append(_("Không tìm thấy địa điểm '%(place)s' trong danh mục đơn vị hành chính.") % raw)
        elif unit == "ambiguous":
            errors.append(_("Địa điểm '%(place)s' trùng tên nhiều đơn vị: ghi thêm tên huyện sau dấu phẩy.") % raw)
            unit = None
        org = default_org
        if raw.get("implementing_unit"):
            wanted = fold(raw["implementing_unit"])
            org = next((o for o in organisations if wanted in (fold(o.name), fold(o.short_name))), None)
            if org is None:
                errors.append(_("Không có đơn vị thực hiện '%(name)s'.") % {"name": raw["implementing_unit"]})
        elif org is None:
            errors.append(_("Thiếu đơn vị thực hiện."))
        dates = {}
        for key in ("start_date", "end_date"):
            try:
                dates[key] = _date(raw.get(key, ""))
            except ValueError:
                errors.append(_("Ngày '%(value)s' không đúng dạng dd/mm/yyyy.") % {"value": raw[key]})
        if dates.get("start_date") and dates.get("end_date") and dates["end_date"] < dates["start_date"]:
            errors.append(_("Ngày kết thúc trước ngày bắt đầu."))
        if len(raw.get("title", "")) > 500:
            errors.append(_("Tên đề án dài quá 500 ký tự."))
        if not errors:
            row.data = {
                "kind": kind,
                "code": code,
                "title": raw["title"],
                "level": level,
                "plan_year": year,
                "implementing_unit": org,
                "unit": unit,
                "objectives": raw.get("objectives", ""),
                "contents": content_list,
                "beneficiaries": beneficiaries,
                **dates,
            }
        preview.rows.append(row)
    return preview


def import_plan_rows(raw_rows: list[dict], *, actor) -> list[Project]:
    """Re-checks the rows (the database may have changed since the preview) and creates every đề án in one
    transaction. Raises ImportRefused with the new preview if any row fails; nothing is written then."""
    preview = validate_plan_rows(raw_rows, user=actor)
    if not preview.ok:
        raise ImportRefused(preview)
    created = []
    try:
        with transaction.atomic():
            for row in preview.rows:
                created.append(project_create(actor=actor, data=row.data))
    except (ValidationError, PermissionDenied) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        failed = preview.rows[len(created)]
        failed.errors.append(message)
        raise ImportRefused(preview)
    return created
