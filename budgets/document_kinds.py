"""The approval report, produced by the document jobs (documents app):

- `approval_report` — the appendix of an annual plan's approval (per level and year): the approved đề án with
  beneficiary, place, activity content and the approved amounts per source, totals and the amount in words, with
  the approving decisions' numbers and dates. Requested from the annual plan page and the budget summary.
- `budget_summary_export` — the budget summary's Excel export when it lists more than `EXPORT_SYNC_MAX_ROWS` đề án
  (an `ExportKind`: read as the requester, with the page's filters, in the worker).

The programme-wide annual report, which also reads the field reports and the contest, lives on the floor above
them: monitoring/document_kinds.py; it shares the parameters and the approved states defined here.

A department document (no unit): admin, staff and leaders. An area officer is refused with 403 by role
before any data is read — the document covers the whole city, so there is no object of theirs to hide; the jobs
themselves, having no unit, are invisible to officers (404), like every city-wide job.

The numbers come from budgets.selectors.summary_projects, read as the
department (documents.kinds.base.DEPARTMENT_READER); nothing is aggregated twice. An approved đề án is one that
reached APPROVED or any later state (including suspended or stopped ones: they were approved), as on the annual
plan page (projects.selectors.annual_plan_summary).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from areas.labels import place_label
from beneficiaries.models import Beneficiary
from budgets.selectors import SummaryFilters, summary_projects
from budgets.sources import FundingSource
from core.money import group_thousands
from core.numwords import amount_in_words
from documents.kinds import register
from documents.kinds.base import DEPARTMENT_READER, DEPARTMENT_ROLES, DocumentKind, ExportFile, ExportKind
from projects.models import APPROVAL_KINDS, AnnualPlan, DecisionItem, Level, Project, ProjectKind, ProjectStatus

NOT_YET_APPROVED = (ProjectStatus.DRAFT, ProjectStatus.REGISTERED, ProjectStatus.APPRAISED, ProjectStatus.NOT_APPROVED)
APPROVED_STATES = tuple(s for s in ProjectStatus.values if s not in NOT_YET_APPROVED)

LEVEL_SHORT = {Level.NATIONAL: "KCQG", Level.LOCAL: "KCĐP"}
LEVEL_NAMES = {Level.NATIONAL: "khuyến công quốc gia", Level.LOCAL: "khuyến công địa phương"}
SOURCE_SENTENCES = {
    FundingSource.NATIONAL: "Kinh phí khuyến công quốc gia",
    FundingSource.LOCAL: "Kinh phí khuyến công địa phương (ngân sách địa phương)",
    FundingSource.COUNTERPART: "Vốn đối ứng của cơ sở thụ hưởng",
    FundingSource.OTHER: "Nguồn kinh phí khác",
}
SOURCE_COLUMNS = {
    FundingSource.NATIONAL: "KCQG",
    FundingSource.LOCAL: "KCĐP",
    FundingSource.COUNTERPART: "Đối ứng",
    FundingSource.OTHER: "Khác",
}


def year_param(kind: DocumentKind, raw) -> int:
    year = kind.int_param(raw, "year", label=_("Năm"))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Năm không hợp lệ: “%(value)s”.") % {"value": raw.get("year")})
    return year


def level_param(raw, *, required: bool) -> str:
    level = str(raw.get("level") or "").strip()
    if not level:
        if required:
            raise ValidationError(_("Thiếu cấp (KCQG hoặc KCĐP)."))
        return ""
    if level not in Level.values:
        raise ValidationError(_("Cấp không hợp lệ: “%(value)s”.") % {"value": level})
    return level


def _unit_place(project) -> str:
    return place_label(project.place_detail, project.unit)


def decision_data(decision) -> dict:
    """A projects' Decision as the plan documents keep it in their data (JSON: the date as ISO text)."""
    return {
        "number": decision.number,
        "signed_on": decision.signed_on.isoformat(),
        "issuing_body": decision.issuing_body,
    }


# --- approval report ----------------------------------------------------------------------------------------------


def approval_rows(*, level: str, year: int) -> list[Project]:
    """The approved đề án of a level and year with their approved amounts per source (summary_projects' one
    annotated query) and what the appendix shows next to them (beneficiaries, contents, approving decisions)."""
    approvals = DecisionItem.objects.filter(decision__kind__in=APPROVAL_KINDS).select_related("decision")
    return list(
        summary_projects(user=DEPARTMENT_READER, filters=SummaryFilters(year=year, level=level))
        .filter(status__in=APPROVED_STATES)
        .select_related("unit__parent")
        .prefetch_related(
            Prefetch("beneficiaries", queryset=Beneficiary.objects.order_by("sort_name", "id")),
            "contents",
            Prefetch("decision_items", queryset=approvals.order_by("decision__signed_on", "id"), to_attr="approvals"),
        )
        .order_by("kind", "code")
    )


def plan_row(project, *, amounts: str) -> dict:
    """One đề án of a plan table, with its amounts per source from the annotations `<amounts>_<source>` and
    `<amounts>` (summary_projects' "approved", proposed_projects' "proposed")."""
    approvals = getattr(project, "approvals", [])
    return {
        "code": project.code,
        "title": project.title,
        "kind": project.kind,
        "beneficiaries": [b.name for b in project.beneficiaries.all()],
        "place": _unit_place(project),
        "contents": [c.code for c in sorted(project.contents.all(), key=lambda c: (c.sort_order, c.code))],
        "amounts": {source: getattr(project, f"{amounts}_{source}") for source in FundingSource.values},
        "total": getattr(project, amounts),
        "decision": approvals[0].decision.number if approvals else "",
    }


def plan_table(rows: list[dict], *, level: str) -> dict:
    """The columns a plan table shows: the level's own source always, the others when some row uses them."""
    shown = [s for s in FundingSource.values if s == level or any(r["amounts"][s] for r in rows)]
    return {"sources": [{"code": s, "label": SOURCE_COLUMNS[s]} for s in shown], "rows": rows}


def table_context(data: dict) -> dict:
    """Totals, words and column widths of a plan table (`plan_table` inside the collected data)."""
    rows = data["rows"]
    sources = [s["code"] for s in data["sources"]]
    totals = {s: sum(r["amounts"][s] for r in rows) for s in sources}
    total = sum(r["total"] for r in rows)
    return {
        "rows": [{**r, "source_amounts": [r["amounts"][s] for s in sources]} for r in rows],
        "source_totals": [totals[s] for s in sources],
        # "trong đó: …" under a total, one line per source shown.
        "source_breakdown": [{"label": SOURCE_SENTENCES[s], "amount": totals[s]} for s in sources],
        "total": total,
        "total_words": amount_in_words(total),
        "projects_count": sum(1 for r in rows if r["kind"] == ProjectKind.PROJECT),
        "tasks_count": sum(1 for r in rows if r["kind"] == ProjectKind.TASK),
        "column_count": 6 + len(sources),
        "widths": ApprovalReport.column_widths(len(sources) + 1),
    }


def decision_number(number: str, *, appendix: bool = False) -> dict:
    """The register entry of a decision recorded with its number ("812/QĐ-UBND", "21/2019/QĐ-UBND"): the order
    number, the symbol as written and the register it came from ("QĐ-UBND"); an appendix is entered beside it
    ("PL-UBND"), under its decision's number."""
    head, _slash, tail = number.partition("/")
    type_and_body = number.rsplit("/", 1)[-1]
    if not head.isdigit() or not tail or "-" not in type_and_body:
        raise ValidationError(
            _("Số quyết định “%(number)s” không đọc được (ví dụ đúng: 812/QĐ-UBND).") % {"number": number}
        )
    body = type_and_body.split("-", 1)[1]
    doc_type = f"PL-{body}" if appendix else type_and_body
    return {"number": int(head), "symbol": number, "doc_type": doc_type[:8]}


@register
class ApprovalReport(DocumentKind):
    """The appendix (Phụ lục) of a plan's approval decision, as its own file: no number of its own (Nghị định
    30/2020: an appendix names the decision it belongs to), no heading, no signature block. Issued under its
    decision's number once that decision is recorded, and signed as an attached file (the organisation's text
    at the top right of page 1)."""

    code = "approval_report"
    title = gettext_lazy("Danh mục đề án khuyến công được phê duyệt")
    template = "budgets/pdf/approval_report.html"
    number_symbol = ""
    register_type = "PL"
    is_attachment = True
    layout_version = 2

    def clean_params(self, raw):
        return {"level": level_param(raw, required=True), "year": year_param(self, raw)}

    def target(self, user, params):
        return None  # city-wide: department roles only (self.roles)

    def collect(self, params):
        level, year = params["level"], params["year"]
        projects = approval_rows(level=level, year=year)
        plan = AnnualPlan.objects.filter(level=level, year=year).select_related("decision").first()
        decisions: dict[int, dict] = {}
        if plan and plan.decision_id:
            decisions[plan.decision_id] = decision_data(plan.decision)
        for p in projects:
            for item in p.approvals:
                decisions.setdefault(item.decision_id, decision_data(item.decision))
        return {
            "level": level,
            "level_label": str(Level(level).label),
            "level_name": LEVEL_NAMES[level],
            "year": year,
            "plan_title": plan.title if plan else "",
            # The plan's decision first: it is the one the appendix belongs to.
            "decisions": list(decisions.values())[:1]
            + sorted(list(decisions.values())[1:], key=lambda d: (d["signed_on"], d["number"])),
            **plan_table([plan_row(p, amounts="approved") for p in projects], level=level),
        }

    def document_title(self, data):
        return _("Danh mục đề án %(level)s năm %(year)s được phê duyệt") % {
            "level": LEVEL_SHORT[data["level"]],
            "year": data["year"],
        }

    def context(self, data):
        decisions = [{**d, "signed_on": datetime.date.fromisoformat(d["signed_on"])} for d in data["decisions"]]
        return {**table_context(data), "decision_list": decisions}

    def fixed_number(self, data):
        if not data["decisions"]:
            raise ValidationError(
                _("Phụ lục chỉ ban hành kèm theo quyết định phê duyệt: hãy ghi số và ngày ký của quyết định trước.")
            )
        return decision_number(data["decisions"][0]["number"], appendix=True)

    def issue_date(self, data):
        # An appendix is dated by its decision.
        return datetime.date.fromisoformat(data["decisions"][0]["signed_on"]) if data["decisions"] else None

    def register_entry(self, data):
        decision = data["decisions"][0]["number"] if data["decisions"] else ""
        return {
            "summary": _("Phụ lục danh mục đề án %(level)s năm %(year)s kèm theo Quyết định số %(number)s")
            % {"level": LEVEL_SHORT[data["level"]], "year": data["year"], "number": decision},
            "subject": data["plan_title"],
            # It goes wherever its decision goes.
            "recipients": [_("Gửi kèm Quyết định số %(number)s") % {"number": decision}],
        }

    @staticmethod
    def column_widths(amount_columns: int) -> dict:
        """Percent widths for the fixed table layout: each amount column wide enough for "1.400.000.000" at 9.5 pt
        on A4 landscape, the text columns sharing the rest, the title the most (a row of the appendix should take
        two lines, so that 300 đề án fit in about 15 pages)."""
        amount = 8.5
        text = 100 - 3.5 - 5 - amount_columns * amount
        widths = {
            "tt": 3.5,
            "title": text * 0.5,
            "beneficiary": text * 0.26,
            "place": text * 0.24,
            "content": 5,
            "amount": amount,
        }
        # Strings: a float in a template is localised ("9,0"), which CSS ignores.
        return {key: f"{value:.1f}" for key, value in widths.items()}


@register
class BudgetSummaryExport(ExportKind):
    """The budget summary's Excel export when its đề án list is longer than `EXPORT_SYNC_MAX_ROWS`: the same
    filters, read as the requester (an officer's holds only their areas) in the worker."""

    code = "budget_summary_export"
    title = gettext_lazy("Tổng hợp kinh phí (Excel)")
    roles = DEPARTMENT_ROLES | {Role.AREA_OFFICER}

    def export(self, params, *, progress):
        from budgets.excel import summary_workbook
        from budgets.filters import summary_filters
        from budgets.selectors import budget_summary

        user = self.as_user(params)
        _form, filters = summary_filters(QueryDict(params["query"]), user=user)
        if filters is None:
            raise ValidationError(_("Bộ lọc của tệp xuất không còn hợp lệ; hãy lọc lại trên trang tổng hợp."))
        projects = summary_projects(user=user, filters=filters)
        rows = projects.count()
        progress(10)
        content = summary_workbook(budget_summary(user=user, filters=filters), projects)
        title = _("Tổng hợp kinh phí năm %(year)s (%(rows)s đề án)") % {
            "year": filters.year,
            "rows": group_thousands(rows),
        }
        return ExportFile(content=content, title=title, rows=rows)
