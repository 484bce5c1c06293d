"""The filtered list as .xlsx, and the import template. openpyxl writes; nothing here reads user files.

A cell that begins with = + - @ (or a tab / carriage return) is a formula to Excel and LibreOffice, so a
hostile name like "=HYPERLINK(...)" is written as text with a leading apostrophe (OWASP's advice).
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from beneficiaries.eligibility import compute_eligibility
from beneficiaries.importing.columns import COLUMNS

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Text that Excel would run as a formula becomes plain text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _yes(value: bool) -> str:
    return _("Có") if value else ""


# (header, width, number format, value)
def _export_columns():
    return [
        (_("STT"), 6, "0", None),
        (_("Tên cơ sở"), 36, None, lambda b: b.name),
        (_("Loại hình"), 16, None, lambda b: b.get_legal_form_display()),
        (_("Mã số thuế"), 15, "@", lambda b: b.tax_code),
        (_("Số ĐKKD"), 15, "@", lambda b: b.registration_number),
        (_("Ngày cấp ĐKKD"), 12, "dd/mm/yyyy", lambda b: b.registration_date),
        (_("Nơi cấp ĐKKD"), 22, None, lambda b: b.registration_place),
        (_("Người đại diện"), 22, None, lambda b: b.representative),
        (_("Điện thoại"), 14, "@", lambda b: b.phone),
        (_("Email"), 22, None, lambda b: b.email),
        (_("Địa chỉ"), 40, None, lambda b: b.address),
        (_("Đơn vị hành chính"), 30, None, lambda b: str(b.unit)),
        (_("Đơn vị trước 7/2025"), 12, None, lambda b: _yes(b.unit.valid_to is not None)),
        (_("Làng nghề"), 22, None, lambda b: b.craft_village.name if b.craft_village else ""),
        (_("Ngành nghề"), 24, None, lambda b: b.sector),
        (_("Mã ngành VSIC"), 10, "@", lambda b: b.vsic_code),
        (_("Sản phẩm chính"), 28, None, lambda b: b.main_products),
        (_("Số lao động"), 11, "#,##0", lambda b: b.employees),
        (_("Năm thành lập"), 11, "0", lambda b: b.founded_year),
        (_("Phụ nữ làm chủ"), 10, None, lambda b: _yes(b.women_owned)),
        (_("DTTS làm chủ"), 10, None, lambda b: _yes(b.ethnic_minority_owned)),
        (_("Thuộc đối tượng hỗ trợ"), 12, None, None),
        (_("Lý do"), 40, None, None),
        (_("Trạng thái"), 16, None, lambda b: b.get_status_display()),
        (_("Cần rà soát"), 10, None, lambda b: _yes(b.needs_review)),
        (_("Ghi chú"), 30, None, lambda b: b.notes),
        (_("Cập nhật lúc"), 17, "dd/mm/yyyy hh:mm", lambda b: timezone.localtime(b.updated_at).replace(tzinfo=None)),
    ]


# The workbooks are official Vietnamese lists (and the import reads Vietnamese headers), whatever the user's
# interface language.
@override("vi")
def export_beneficiaries(queryset, *, progress=None) -> bytes:
    """A workbook of the given establishments (already scoped and filtered by the caller). `progress(rows_done)`
    is called every 2,000 rows (the export job's status page)."""
    columns = _export_columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cơ sở CNNT"))
    for index, (_header, width, _fmt, _value) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    header = []
    for title, *_rest in columns:
        cell = WriteOnlyCell(sheet, value=neutralise(str(title)))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    for number, beneficiary in enumerate(queryset.iterator(chunk_size=2000), start=1):
        eligibility = compute_eligibility(beneficiary)
        row = []
        for title, _width, fmt, getter in columns:
            if getter is not None:
                value = getter(beneficiary)
            elif title == _("STT"):
                value = number
            elif title == _("Thuộc đối tượng hỗ trợ"):
                value = _yes(eligibility.eligible) or _("Không")
            else:
                value = eligibility.reason
            cell = WriteOnlyCell(sheet, value=neutralise(value) if value not in (None, "") else None)
            if fmt and value not in (None, ""):
                cell.number_format = fmt
            row.append(cell)
        sheet.append(row)
        if progress is not None and number % 2000 == 0:
            progress(number)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@override("vi")
def import_template() -> bytes:
    """The expected columns, one example row, and a sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Danh sách cơ sở")
    sheet.append([str(column.header) for column in COLUMNS])
    sheet.append([column.example for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        head = sheet[f"{letter}1"]
        head.font, head.fill = _HEADER_FONT, _HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center")
        if column.key in ("tax_code", "registration_number", "registration_date", "phone", "vsic_code"):
            # Text cells, so that Excel keeps the leading zero of 0201234567.
            for row in range(2, 1001):
                sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "B2"
    guide = workbook.create_sheet(_("Hướng dẫn"))
    guide.append([_("Cột"), _("Cách ghi")])
    guide["A1"].font = guide["B1"].font = Font(bold=True)
    for column in COLUMNS:
        guide.append([str(column.header), str(column.help)])
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
