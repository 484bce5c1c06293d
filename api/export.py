"""The year's results for upward reporting, in one JSON document (schemas/annual_results.schema.json) and the
same content as an .xlsx workbook. Built from the same selectors and scope as the pages and the statutory
report: the annual budget summary, the đề án of the year with their money, the acceptances held that year and
the products certified that year."""

import datetime
import io
import json
from pathlib import Path

from django.utils import timezone

from accounts.scope import in_scope
from budgets.selectors import SummaryFilters, budget_summary, summary_projects
from contest.models import Certificate
from field.selectors import acceptance_list

SCHEMA_PATH = Path(__file__).parent / "schemas" / "annual_results.schema.json"
SCHEMA_ID = "https://khuyencong.example.vn/schemas/annual_results.schema.json"


def _money_row(row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "projects": row.projects,
        "approved": row.approved,
        "disbursed": row.disbursed,
        "settled": row.settled,
    }


def annual_results(*, user, year: int, province: dict) -> dict:
    summary = budget_summary(user=user, filters=SummaryFilters(year=year))
    projects = summary_projects(user=user, filters=SummaryFilters(year=year))
    acceptances = acceptance_list(user=user).filter(held_on__year=year).order_by("held_on", "id")

    certificates = in_scope(
        Certificate.objects.filter(issued_on__year=year).select_related("contest"), user, "entry__beneficiary__unit"
    ).order_by("number")
    return {
        "$schema": SCHEMA_ID,
        "year": year,
        "province": province,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "totals": _money_row(summary.total),
        "by_source": [_money_row(r) for r in summary.by_source],
        "by_level": [_money_row(r) for r in summary.by_level],
        "by_content": [_money_row(r) for r in summary.by_content],
        "projects": [
            {
                "code": p.code,
                "title": p.title,
                "level": p.level,
                "kind": p.kind,
                "status": p.status,
                "unit_code": p.unit.code if p.unit_id else None,
                "unit_name": p.unit.name if p.unit_id else None,
                "approved": p.approved,
                "disbursed": p.disbursed,
                "settled": p.settled,
            }
            for p in projects
        ],
        "acceptances": [
            {"project": a.project.code, "held_on": a.held_on.isoformat(), "attempt": a.attempt, "result": a.result}
            for a in acceptances
        ],
        "certified_products": [
            {
                "number": c.number,
                "product_name": c.product_name,
                "group": c.group,
                "beneficiary_name": c.beneficiary_name,
                "commune": c.commune,
                "score": str(c.score),
                "issued_on": c.issued_on.isoformat(),
                "valid_until": c.valid_until.isoformat(),
            }
            for c in certificates
        ],
    }


SHEETS = [
    ("Tổng hợp", "by_source", ["key", "label", "projects", "approved", "disbursed", "settled"]),
    ("Theo cấp", "by_level", ["key", "label", "projects", "approved", "disbursed", "settled"]),
    ("Theo nội dung", "by_content", ["key", "label", "projects", "approved", "disbursed", "settled"]),
    ("Đề án", "projects", ["code", "title", "level", "kind", "status", "unit_code", "unit_name", "approved",
                            "disbursed", "settled"]),
    ("Nghiệm thu", "acceptances", ["project", "held_on", "attempt", "result"]),
    ("Sản phẩm tiêu biểu", "certified_products", ["number", "product_name", "group", "beneficiary_name", "commune",
                                                  "score", "issued_on", "valid_until"]),
]  # fmt: skip


def to_xlsx(data: dict) -> bytes:
    """The same document as a workbook: one sheet per list, column names as in the JSON."""
    from openpyxl import Workbook

    book = Workbook()
    info = book.active
    info.title = "Thông tin"
    info.append(["Năm", data["year"]])
    info.append(["Tỉnh/thành phố", data["province"]["name"]])
    info.append(["Tạo lúc", data["generated_at"]])
    for title, key, columns in SHEETS:
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for row in data[key]:
            values = [row.get(c) for c in columns]
            sheet.append([datetime.date.fromisoformat(v) if c in ("held_on", "issued_on", "valid_until") else v
                          for c, v in zip(columns, values, strict=True)])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
