"""The annual budget summary as an .xlsx workbook: a sheet per breakdown, then the đề án."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from budgets.sources import FundingSource

# Cells that a spreadsheet would read as a formula (or DDE) are written as text with a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0"


def safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _sheet(workbook, title: str, header: list[str], rows: list[list], widths: list[int]):
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([safe(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe(value) for value in row])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = MONEY_FORMAT
    sheet.freeze_panes = "A2"
    return sheet


def summary_workbook(summary, projects) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    header = [
        _("Nhóm"),
        _("Số đề án"),
        _("Được giao (đồng)"),
        _("Phê duyệt (đồng)"),
        _("Đã giải ngân (đồng)"),
        _("Đã quyết toán (đồng)"),
        _("Còn lại chưa giải ngân (đồng)"),
    ]
    total = summary.total
    for _key, title, rows in summary.breakdowns:
        data = [
            [row.label, row.projects, row.allocated, row.approved, row.disbursed, row.settled, row.remaining]
            for row in rows
        ]
        data.append(
            [
                _("Tổng cộng"),
                total.projects,
                total.allocated,
                total.approved,
                total.disbursed,
                total.settled,
                total.remaining,
            ]
        )
        _sheet(workbook, str(title), header, data, [60, 10, 20, 20, 20, 20, 24])

    source_labels = [label for _value, label in FundingSource.choices]
    project_header = [
        _("Mã"),
        _("Tên đề án"),
        _("Loại"),
        _("Cấp"),
        _("Địa bàn"),
        _("Trạng thái"),
        *[str(label) for label in source_labels],
        _("Phê duyệt (đồng)"),
        _("Đã giải ngân (đồng)"),
        _("Đã quyết toán (đồng)"),
        _("Còn lại (đồng)"),
        _("Ngoại lệ được chấp thuận"),
    ]
    rows = [
        [
            p.code,
            p.title,
            p.get_kind_display(),
            p.get_level_display(),
            p.unit.name,
            p.get_status_display(),
            *[getattr(p, f"approved_{source}") for source in FundingSource.values],
            p.approved,
            p.disbursed,
            p.settled,
            p.remaining,
            _("Có") if p.has_exception else "",
        ]
        for p in projects.iterator(chunk_size=2000)
    ]
    _sheet(workbook, _("Đề án"), project_header, rows, [18, 60, 14, 24, 24, 20] + [18] * 8)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
