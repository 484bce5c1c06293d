"""The periodic report of khuyến công results (6 months / year) that the department sends upward, as an Excel
workbook: title rows in the administrative style, Vietnamese headers, amounts in triệu đồng with the unit stated,
one row per đề án grouped by level with subtotals, and summary sheets taken from the dashboard's own figures so
that the totals are the same numbers the leaders see on screen.

Text that comes from users (titles, names) is neutralised: a cell starting with = + - @ would otherwise be read
as a formula by Excel or LibreOffice (CSV/formula injection).
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from beneficiaries.models import Beneficiary
from budgets.models import Disbursement
from budgets.sources import FundingSource
from monitoring.selectors import APPROVED_STATES, DashboardFilters, dashboard, latest_progress_subquery
from projects.models import Level, ProjectKind
from projects.selectors import project_scope

MILLION = Decimal(1_000_000)
MONEY_FORMAT = "#,##0.000"
PERCENT_FORMAT = "0.0"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class Period:
    HALF = "6-thang"
    YEAR = "ca-nam"
    CHOICES = ((HALF, "6 tháng đầu năm"), (YEAR, "Cả năm"))


@dataclass(frozen=True)
class ReportRequest:
    year: int
    period: str = Period.YEAR
    area: object = None
    # What the figures cover when no area is chosen: the whole city, or an officer's own areas.
    scope_label: str = ""
    # The area sheet: by pre-2025 district ("") or by current commune ("xa"), as the dashboard.
    group: str = ""

    @property
    def period_end(self) -> datetime.date:
        return datetime.date(self.year, 6, 30) if self.period == Period.HALF else datetime.date(self.year, 12, 31)

    @property
    def filename(self) -> str:
        return f"bao-cao-khuyen-cong-{self.period}-{self.year}.xlsx"


def safe_text(value) -> str:
    """User text as an inert cell: a leading formula character gets an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def millions(amount: int | None) -> Decimal:
    return (Decimal(amount or 0) / MILLION).quantize(Decimal("0.001"))


def report_rows(*, user, req: ReportRequest) -> list:
    """The year's approved đề án with their money per source: a fixed number of queries."""
    qs = project_scope(user=user).filter(plan_year=req.year, status__in=APPROVED_STATES)
    if req.area is not None:
        qs = qs.filter(unit__path__startswith=req.area.path)
    sums = {
        f"approved_{src}": Sum("funding_lines__approved_amount", filter=Q(funding_lines__source=src))
        for src in FundingSource.values
    }
    rows = list(
        qs.annotate(
            **sums,
            approved_all=Sum("funding_lines__approved_amount"),
            disbursed_all=Sum("funding_lines__disbursed_total"),
            settled_all=Sum("funding_lines__settled_amount"),
            progress=latest_progress_subquery(),
        )
        .select_related("unit", "implementing_unit")
        .prefetch_related(
            Prefetch(
                "beneficiaries", queryset=Beneficiary.objects.only("id", "name", "sort_name").order_by("sort_name")
            ),
            "contents",
        )
        .order_by("level", "kind", "code")
    )
    if req.period == Period.HALF:
        # Payments up to the end of the period, not the running total.
        paid = dict(
            Disbursement.objects.filter(line__project__in=qs, paid_on__lte=req.period_end)
            .values_list("line__project_id")
            .annotate(s=Sum("amount"))
            .order_by()
        )
        for r in rows:
            r.disbursed_all = paid.get(r.pk, 0)
    return rows


_THIN = Side(style="thin", color="888888")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_BOLD = Font(name="Times New Roman", bold=True, size=12)
_NORMAL = Font(name="Times New Roman", size=12)
_ITALIC = Font(name="Times New Roman", italic=True, size=12)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)


def _header_block(ws, *, last_col: int, title: str, subtitle: str) -> int:
    """Quốc hiệu and issuing body, title, unit line. Returns the next free row."""
    half = max(3, last_col // 2)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=half - 1)
    ws.cell(1, 1, _("UBND THÀNH PHỐ HẢI PHÒNG")).font = _NORMAL
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=half - 1)
    ws.cell(2, 1, _("SỞ CÔNG THƯƠNG")).font = _BOLD
    ws.merge_cells(start_row=1, start_column=half, end_row=1, end_column=last_col)
    ws.cell(1, half, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).font = _BOLD
    ws.merge_cells(start_row=2, start_column=half, end_row=2, end_column=last_col)
    ws.cell(2, half, _("Độc lập - Tự do - Hạnh phúc")).font = Font(
        name="Times New Roman", bold=True, underline="single", size=12
    )
    for r in (1, 2):
        for c in (1, half):
            ws.cell(r, c).alignment = _CENTER
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=last_col)
    ws.cell(4, 1, title).font = Font(name="Times New Roman", bold=True, size=14)
    ws.cell(4, 1).alignment = _CENTER
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=last_col)
    ws.cell(5, 1, subtitle).font = _ITALIC
    ws.cell(5, 1).alignment = _CENTER
    ws.merge_cells(start_row=6, start_column=1, end_row=6, end_column=last_col)
    ws.cell(6, 1, _("Đơn vị tính: triệu đồng")).font = _ITALIC
    ws.cell(6, 1).alignment = Alignment(horizontal="right")
    return 8


def _put(ws, row, col, value, *, fmt=None, font=_NORMAL, fill=None, align=_WRAP):
    cell = ws.cell(row, col, value)
    cell.border = _BORDER
    cell.font = font
    cell.alignment = align
    if fmt:
        cell.number_format = fmt
    if fill:
        cell.fill = fill
    return cell


def _title(req: ReportRequest) -> str:
    if req.period == Period.HALF:
        return _("BÁO CÁO KẾT QUẢ THỰC HIỆN CÔNG TÁC KHUYẾN CÔNG 6 THÁNG ĐẦU NĂM %(y)s") % {"y": req.year}
    return _("BÁO CÁO KẾT QUẢ THỰC HIỆN CÔNG TÁC KHUYẾN CÔNG NĂM %(y)s") % {"y": req.year}


def _subtitle(req: ReportRequest) -> str:
    scope = req.area.name if req.area is not None else (req.scope_label or _("toàn thành phố"))
    if req.period == Period.HALF:
        when = _("giải ngân tính đến ngày %(d)s") % {"d": req.period_end.strftime("%d/%m/%Y")}
    else:
        when = _("giải ngân, quyết toán lũy kế đến ngày lập báo cáo")
    return _("(Phạm vi: %(scope)s; %(when)s)") % {"scope": scope, "when": when}


DETAIL_HEADERS = [
    ("STT", 6),
    ("Tên đề án, nhiệm vụ", 44),
    ("Đơn vị thực hiện", 24),
    ("Cơ sở thụ hưởng", 28),
    ("Địa điểm", 20),
    ("Nội dung", 9),
    ("Tổng kinh phí", 13),
    ("KCQG", 12),
    ("KCĐP", 12),
    ("Vốn đối ứng", 12),
    ("Nguồn khác", 12),
    ("Đã giải ngân", 13),
    ("Đã quyết toán", 13),
    ("Tiến độ (%)", 9),
    ("Tình trạng", 18),
]
SOURCE_COLUMNS = {
    FundingSource.NATIONAL: 8,
    FundingSource.LOCAL: 9,
    FundingSource.COUNTERPART: 10,
    FundingSource.OTHER: 11,
}
ROMAN = ["I", "II", "III", "IV"]


def _detail_sheet(ws, rows, req: ReportRequest) -> dict:
    last = len(DETAIL_HEADERS)
    r = _header_block(ws, last_col=last, title=_title(req), subtitle=_subtitle(req))
    # Two header rows: the money columns under "Kinh phí phê duyệt".
    ws.merge_cells(start_row=r, start_column=7, end_row=r, end_column=11)
    _put(ws, r, 7, _("Kinh phí phê duyệt"), font=_BOLD, fill=_HEAD_FILL, align=_CENTER)
    for i, (label, width) in enumerate(DETAIL_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        if 7 <= i <= 11:
            _put(ws, r + 1, i, _(label), font=_BOLD, fill=_HEAD_FILL, align=_CENTER)
            ws.cell(r, i).border = _BORDER
            ws.cell(r, i).fill = _HEAD_FILL
        else:
            ws.merge_cells(start_row=r, start_column=i, end_row=r + 1, end_column=i)
            _put(ws, r, i, _(label), font=_BOLD, fill=_HEAD_FILL, align=_CENTER)
            _put(ws, r + 1, i, None, fill=_HEAD_FILL)
    r += 2
    ws.freeze_panes = ws.cell(r, 3)

    grand = {"all": 0, "disbursed": 0, "settled": 0, **dict.fromkeys(FundingSource.values, 0)}
    for index, level in enumerate(Level):
        level_rows = [p for p in rows if p.level == level]
        subtotal = {
            "all": sum(p.approved_all or 0 for p in level_rows),
            "disbursed": sum(p.disbursed_all or 0 for p in level_rows),
            "settled": sum(p.settled_all or 0 for p in level_rows),
            **{src: sum(getattr(p, f"approved_{src}") or 0 for p in level_rows) for src in FundingSource.values},
        }
        for k, v in subtotal.items():
            grand[k] += v
        projects = sum(1 for p in level_rows if p.kind == ProjectKind.PROJECT)
        tasks = len(level_rows) - projects
        _put(ws, r, 1, ROMAN[index], font=_BOLD, fill=_TOTAL_FILL, align=_CENTER)
        label = _("%(level)s: %(p)s đề án, %(t)s dự toán/nhiệm vụ") % {"level": level.label, "p": projects, "t": tasks}
        _put(ws, r, 2, label.upper(), font=_BOLD, fill=_TOTAL_FILL)
        for c in range(3, last + 1):
            _put(ws, r, c, None, fill=_TOTAL_FILL)
        _money_cells(ws, r, subtotal, font=_BOLD, fill=_TOTAL_FILL)
        r += 1
        for n, p in enumerate(level_rows, start=1):
            _put(ws, r, 1, n, align=_CENTER)
            title = p.title + (f" ({p.get_kind_display()})" if p.kind == ProjectKind.TASK else "")
            _put(ws, r, 2, safe_text(f"{p.code} – {title}"))
            _put(ws, r, 3, safe_text(p.implementing_unit))
            _put(ws, r, 4, safe_text("; ".join(b.name for b in p.beneficiaries.all())))
            _put(ws, r, 5, safe_text(p.unit.name))
            _put(ws, r, 6, ", ".join(c.code for c in p.contents.all()), align=_CENTER)
            _money_cells(
                ws,
                r,
                {
                    "all": p.approved_all,
                    "disbursed": p.disbursed_all,
                    "settled": p.settled_all,
                    **{src: getattr(p, f"approved_{src}") for src in FundingSource.values},
                },
            )
            _put(ws, r, 14, p.progress, align=_CENTER)
            _put(ws, r, 15, str(p.get_status_display()))
            r += 1
    _put(ws, r, 1, None, fill=_TOTAL_FILL)
    _put(ws, r, 2, _("TỔNG CỘNG"), font=_BOLD, fill=_TOTAL_FILL)
    for c in range(3, last + 1):
        _put(ws, r, c, None, fill=_TOTAL_FILL)
    _money_cells(ws, r, grand, font=_BOLD, fill=_TOTAL_FILL)
    ws.print_title_rows = "8:9"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    return grand


def _money_cells(ws, r, values, *, font=_NORMAL, fill=None):
    _put(ws, r, 7, millions(values["all"]), fmt=MONEY_FORMAT, font=font, fill=fill)
    for src, col in SOURCE_COLUMNS.items():
        _put(ws, r, col, millions(values[src]), fmt=MONEY_FORMAT, font=font, fill=fill)
    _put(ws, r, 12, millions(values["disbursed"]), fmt=MONEY_FORMAT, font=font, fill=fill)
    _put(ws, r, 13, millions(values["settled"]), fmt=MONEY_FORMAT, font=font, fill=fill)


def _summary_sheet(ws, board: dict, req: ReportRequest) -> None:
    headers = [
        ("Nguồn kinh phí", 34),
        ("Dự toán được giao", 16),
        ("Kinh phí phê duyệt", 16),
        ("Đã giải ngân", 16),
        ("Đã quyết toán", 16),
        ("Tỷ lệ giải ngân (%)", 14),
    ]
    r = _header_block(
        ws,
        last_col=len(headers),
        title=_("TỔNG HỢP KINH PHÍ KHUYẾN CÔNG NĂM %(y)s THEO NGUỒN") % {"y": req.year},
        subtitle=_subtitle(ReportRequest(req.year, Period.YEAR, req.area, req.scope_label)),
    )
    for i, (label, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        _put(ws, r, i, _(label), font=_BOLD, fill=_HEAD_FILL, align=_CENTER)
    r += 1
    for s in board["sources"]:
        _put(ws, r, 1, str(s["label"]))
        _put(ws, r, 2, millions(s["allocated"]) if s["allocated"] is not None else None, fmt=MONEY_FORMAT)
        _put(ws, r, 3, millions(s["approved"]), fmt=MONEY_FORMAT)
        _put(ws, r, 4, millions(s["disbursed"]), fmt=MONEY_FORMAT)
        _put(ws, r, 5, millions(s["settled"]), fmt=MONEY_FORMAT)
        _put(ws, r, 6, round(s["rate"], 1) if s["rate"] is not None else None, fmt=PERCENT_FORMAT)
        r += 1
    t = board["money_total"]
    _put(ws, r, 1, _("Tổng cộng"), font=_BOLD, fill=_TOTAL_FILL)
    _put(
        ws,
        r,
        2,
        millions(t["allocated"]) if t["allocated"] is not None else None,
        fmt=MONEY_FORMAT,
        font=_BOLD,
        fill=_TOTAL_FILL,
    )
    _put(ws, r, 3, millions(t["approved"]), fmt=MONEY_FORMAT, font=_BOLD, fill=_TOTAL_FILL)
    _put(ws, r, 4, millions(t["disbursed"]), fmt=MONEY_FORMAT, font=_BOLD, fill=_TOTAL_FILL)
    _put(ws, r, 5, millions(t["settled"]), fmt=MONEY_FORMAT, font=_BOLD, fill=_TOTAL_FILL)
    _put(
        ws,
        r,
        6,
        round(t["rate"], 1) if t["rate"] is not None else None,
        fmt=PERCENT_FORMAT,
        font=_BOLD,
        fill=_TOTAL_FILL,
    )
    r += 2
    # Counts by level, as in the narrative part of the report.
    _put(ws, r, 1, _("Cấp"), font=_BOLD, fill=_HEAD_FILL, align=_CENTER)
    _put(ws, r, 2, _("Số đề án"), font=_BOLD, fill=_HEAD_FILL, align=_CENTER)
    _put(ws, r, 3, _("Số dự toán, nhiệm vụ"), font=_BOLD, fill=_HEAD_FILL, align=_CENTER)
    r += 1
    for level in Level:
        bucket = board["year"].by_level.get(level.value, {"projects": 0, "tasks": 0})
        _put(ws, r, 1, str(level.label))
        _put(ws, r, 2, bucket["projects"], align=_CENTER)
        _put(ws, r, 3, bucket["tasks"], align=_CENTER)
        r += 1


def _content_sheet(ws, board: dict, req: ReportRequest) -> None:
    headers = [
        ("Mã", 8),
        ("Nội dung hoạt động khuyến công", 60),
        ("Số đề án", 10),
        ("Kinh phí phê duyệt", 16),
        ("Đã giải ngân", 16),
    ]
    r = _header_block(
        ws,
        last_col=len(headers),
        title=_("KẾT QUẢ KHUYẾN CÔNG NĂM %(y)s THEO NỘI DUNG HOẠT ĐỘNG") % {"y": req.year},
        subtitle=_("(Một đề án có nhiều nội dung được tính ở mỗi nội dung)"),
    )
    for i, (label, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        _put(ws, r, i, _(label), font=_BOLD, fill=_HEAD_FILL, align=_CENTER)
    r += 1
    for row in board["by_content"]:
        _put(ws, r, 1, row["code"], align=_CENTER)
        _put(ws, r, 2, safe_text(row["name"]))
        _put(ws, r, 3, row["count"], align=_CENTER)
        _put(ws, r, 4, millions(row["approved"]), fmt=MONEY_FORMAT)
        _put(ws, r, 5, millions(row["disbursed"]), fmt=MONEY_FORMAT)
        r += 1


def _area_sheet(ws, board, req: ReportRequest) -> None:
    """Approved đề án and their money per pre-2025 district or per current commune (the dashboard's rows)."""
    headers = [("Địa bàn", 40), ("Số đề án", 10), ("Kinh phí phê duyệt", 16), ("Đã giải ngân", 16)]
    group = _("theo xã, phường hiện nay") if req.group else _("theo huyện cũ (trước 7/2025)")
    r = _header_block(ws, last_col=len(headers), title=_title(req), subtitle=_("Tổng hợp %(g)s") % {"g": group})
    for i, (label, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        _put(ws, r, i, _(label), font=_BOLD, fill=_HEAD_FILL, align=_CENTER)
    r += 1
    for row in board["by_area"]:
        _put(ws, r, 1, safe_text(row["name"]))
        _put(ws, r, 2, row["count"], align=_CENTER)
        _put(ws, r, 3, millions(row["approved"]), fmt=MONEY_FORMAT)
        _put(ws, r, 4, millions(row["disbursed"]), fmt=MONEY_FORMAT)
        r += 1


def build_workbook(*, user, req: ReportRequest) -> tuple[bytes, dict]:
    """The report as xlsx bytes, and the totals written on its detail sheet (đồng) for checks."""
    rows = report_rows(user=user, req=req)
    board = dashboard(user=user, filters=DashboardFilters(year=req.year, area=req.area, group=req.group))
    wb = Workbook()
    ws = wb.active
    ws.title = _("Chi tiết đề án")
    totals = _detail_sheet(ws, rows, req)
    _summary_sheet(wb.create_sheet(_("Tổng hợp theo nguồn")), board, req)
    _content_sheet(wb.create_sheet(_("Theo nội dung")), board, req)
    _area_sheet(wb.create_sheet(_("Theo địa bàn")), board, req)
    wb.properties.title = _title(req)
    wb.properties.creator = "Khuyến công — Sở Công Thương"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), totals
