"""Excel import of entries: read and check every row first (the preview), write nothing until the user confirms.

The sheet's first row holds the headers; columns are found by name, with or without diacritics:
"Tên sản phẩm", "Bộ sản phẩm" (có/không), "Nhóm sản phẩm" (1–4 or the group's name),
"Mã số thuế" (or "Số ĐKKD") of the establishment, "Mô tả".
"""

from dataclasses import dataclass, field
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from beneficiaries.eligibility import compute_eligibility
from beneficiaries.models import Beneficiary
from beneficiaries.validators import normalise_tax_code
from contest.models import Contest, ProductGroup
from contest.services import ImportRow
from core.text import fold, nfc

MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024

HEADERS = {
    "product_name": ("ten san pham",),
    "is_product_set": ("bo san pham", "la bo san pham"),
    "group": ("nhom san pham", "nhom"),
    "identifier": ("ma so thue", "mst", "so dkkd", "ma so thue / so dkkd", "ma so thue hoac so dkkd"),
    "description": ("mo ta", "mo ta san pham"),
}
TEMPLATE_HEADERS = ["Tên sản phẩm", "Bộ sản phẩm", "Nhóm sản phẩm", "Mã số thuế / số ĐKKD", "Mô tả"]

_GROUP_BY_NUMBER = {str(i): value for i, value in enumerate(ProductGroup.values, start=1)}
_GROUP_BY_NAME = {fold(str(label)): value for value, label in ProductGroup.choices}
_YES = {"co", "x", "1", "yes", "true", "bo"}
_NO = {"", "khong", "0", "no", "false"}


@dataclass
class PreviewRow:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    row: ImportRow | None = None
    beneficiary_name: str = ""
    group_label: str = ""


@dataclass
class Preview:
    rows: list[PreviewRow]
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and bool(self.rows) and all(not r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def _group(value) -> str | None:
    text = fold(str(value or "")).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text in _GROUP_BY_NUMBER:
        return _GROUP_BY_NUMBER[text]
    if text in _GROUP_BY_NAME:
        return _GROUP_BY_NAME[text]
    for name, group in _GROUP_BY_NAME.items():
        if text and name.startswith(text):
            return group
    return None


def _columns(header_row) -> dict[str, int]:
    columns = {}
    for index, cell in enumerate(header_row):
        name = fold(str(cell or "")).strip().rstrip("*").strip()
        for key, aliases in HEADERS.items():
            if name in aliases and key not in columns:
                columns[key] = index
    return columns


def _find_beneficiary(raw, cache: dict) -> Beneficiary | None:
    """By tax code (Excel may have turned it into a number and dropped the leading zero) or registration number."""
    identifier = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
    if identifier in cache:
        return cache[identifier]
    qs = Beneficiary.objects.select_related("unit", "craft_village")
    found = qs.filter(tax_code=normalise_tax_code(raw)).first() or qs.filter(registration_number=identifier).first()
    cache[identifier] = found
    return found


def read_entries(upload, *, contest: Contest) -> Preview:
    """Every row with its problems in Vietnamese; rows without problems carry the ImportRow to create."""
    if upload.size > MAX_BYTES:
        return Preview([], _("Tệp lớn hơn 2 MB."))
    try:
        workbook = load_workbook(BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        return Preview([], _("Không đọc được tệp: cần tệp Excel .xlsx."))
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    columns = _columns(header or [])
    required = {"product_name": "Tên sản phẩm", "group": "Nhóm sản phẩm", "identifier": "Mã số thuế / số ĐKKD"}
    missing = [label for key, label in required.items() if key not in columns]
    if missing:
        return Preview([], _("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})

    existing = {(b, fold(p)) for b, p in contest.entries.values_list("beneficiary_id", "product_name")}
    seen: dict[tuple[int, str], int] = {}
    cache: dict = {}
    preview: list[PreviewRow] = []
    for line, raw in enumerate(rows, start=2):

        def cell(key, raw=raw):
            index = columns.get(key)
            return raw[index] if index is not None and index < len(raw) else None

        values = {key: cell(key) for key in HEADERS}
        if all(v in (None, "") for v in values.values()):
            continue
        if len(preview) >= MAX_ROWS:
            return Preview([], _("Tệp có quá %(n)d dòng.") % {"n": MAX_ROWS})
        row = PreviewRow(line=line, values={k: "" if v is None else str(v) for k, v in values.items()})
        product = nfc(values["product_name"])
        if not product:
            row.errors.append(_("Thiếu tên sản phẩm."))
        elif len(product) > 255:
            row.errors.append(_("Tên sản phẩm dài quá 255 ký tự."))
        product_set = fold(str(values["is_product_set"] or "")).strip()
        if product_set not in _YES | _NO:
            row.errors.append(_("Cột “Bộ sản phẩm” chỉ nhận “có” hoặc “không”."))
        group = _group(values["group"])
        if group is None:
            row.errors.append(
                _("Nhóm sản phẩm “%(v)s” không hợp lệ: ghi 1–4 hoặc tên nhóm theo Thông tư 26.")
                % {"v": values["group"] or ""}
            )
        if group is not None:
            row.group_label = str(ProductGroup(group).label)
        identifier = normalise_tax_code(values["identifier"]) if values["identifier"] not in (None, "") else ""
        beneficiary = None
        if not identifier:
            row.errors.append(_("Thiếu mã số thuế hoặc số ĐKKD của cơ sở."))
        else:
            beneficiary = _find_beneficiary(values["identifier"], cache)
            if beneficiary is None:
                row.errors.append(
                    _("Không tìm thấy cơ sở có mã số thuế/số ĐKKD “%(v)s” trong danh bạ.") % {"v": identifier}
                )
            else:
                row.beneficiary_name = beneficiary.name
                eligibility = compute_eligibility(beneficiary)
                if not eligibility.eligible:
                    row.errors.append(_("Cơ sở không thuộc đối tượng: %(r)s") % {"r": eligibility.reason})
        if beneficiary is not None and product:
            key = (beneficiary.pk, fold(product))
            if key in existing:
                row.errors.append(_("Sản phẩm này của cơ sở đã có trong cuộc bình chọn."))
            elif key in seen:
                row.errors.append(_("Trùng với dòng %(line)d.") % {"line": seen[key]})
            else:
                seen[key] = line
        if not row.errors:
            row.row = ImportRow(
                line=line,
                product_name=product,
                is_product_set=product_set in _YES,
                group=group,
                beneficiary_id=beneficiary.pk,
                description=(str(values["description"] or "")).strip(),
            )
        preview.append(row)
    if not preview:
        return Preview([], _("Tệp không có dòng dữ liệu nào."))
    return Preview(preview)


def template_workbook() -> bytes:
    """An empty sheet with the expected headers and one example row, to download."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ho so du thi"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(["Nước mắm truyền thống", "không", 2, "0200567892", "Nước mắm cốt ủ chượp 12 tháng"])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
