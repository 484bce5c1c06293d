"""The approval report, produced by the document jobs (documents app):

- `approval_report` — the appendix of an annual plan's approval (per level and year): the approved đề án with
  beneficiary, place, activity content and the approved amounts per source, totals and the amount in words, with
  the approving decisions' numbers and dates. Requested from the annual plan page and the budget summary.

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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.labels import place_label
from beneficiaries.models import Beneficiary
from budgets.selectors import SummaryFilters, summary_projects
from budgets.sources import FundingSource
from core.numwords import amount_in_words
from documents.kinds import register
from documents.kinds.base import DEPARTMENT_READER, DocumentKind
from projects.models import APPROVAL_KINDS, AnnualPlan, DecisionItem, Level, Project, ProjectKind, ProjectStatus

NOT_YET_APPROVED = (ProjectStatus.DRAFT, ProjectStatus.REGISTERED, ProjectStatus.APPRAISED, ProjectStatus.NOT_APPROVED)
APPROVED_STATES = tuple(s for s in ProjectStatus.values if s not in NOT_YET_APPROVED)

LEVEL_SHORT = {Level.NATIONAL: "KCQG", Level.LOCAL: "KCĐP"}
LEVEL_NAMES = {Level.NATIONAL: "khuyến công quốc gia", Level.LOCAL: "khuyến công địa phương"}
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


def _decision(decision) -> dict:
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


@register
class ApprovalReport(DocumentKind):
    code = "approval_report"
    title = gettext_lazy("Danh mục đề án khuyến công được phê duyệt")
    template = "budgets/pdf/approval_report.html"
    number_symbol = "BC"

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
            decisions[plan.decision_id] = _decision(plan.decision)
        rows = []
        for p in projects:
            for item in p.approvals:
                decisions.setdefault(item.decision_id, _decision(item.decision))
            rows.append(
                {
                    "code": p.code,
                    "title": p.title,
                    "kind": p.kind,
                    "beneficiaries": [b.name for b in p.beneficiaries.all()],
                    "place": _unit_place(p),
                    "contents": [c.code for c in sorted(p.contents.all(), key=lambda c: (c.sort_order, c.code))],
                    "amounts": {source: getattr(p, f"approved_{source}") for source in FundingSource.values},
                    "total": p.approved,
                    "decision": p.approvals[0].decision.number if p.approvals else "",
                }
            )
        shown = [s for s in FundingSource.values if s == level or any(r["amounts"][s] for r in rows)]
        return {
            "level": level,
            "level_label": str(Level(level).label),
            "level_name": LEVEL_NAMES[level],
            "year": year,
            "plan_title": plan.title if plan else "",
            "decisions": sorted(decisions.values(), key=lambda d: (d["signed_on"], d["number"])),
            "sources": [{"code": s, "label": SOURCE_COLUMNS[s]} for s in shown],
            "rows": rows,
        }

    def document_title(self, data):
        return _("Danh mục đề án %(level)s năm %(year)s được phê duyệt") % {
            "level": LEVEL_SHORT[data["level"]],
            "year": data["year"],
        }

    def context(self, data):
        rows = data["rows"]
        sources = [s["code"] for s in data["sources"]]
        totals = {s: sum(r["amounts"][s] for r in rows) for s in sources}
        total = sum(r["total"] for r in rows)
        decisions = [{**d, "signed_on": datetime.date.fromisoformat(d["signed_on"])} for d in data["decisions"]]
        return {
            "rows": [{**r, "source_amounts": [r["amounts"][s] for s in sources]} for r in rows],
            "source_totals": [totals[s] for s in sources],
            "total": total,
            "total_words": amount_in_words(total),
            "decision_list": decisions,
            "projects_count": sum(1 for r in rows if r["kind"] == ProjectKind.PROJECT),
            "tasks_count": sum(1 for r in rows if r["kind"] == ProjectKind.TASK),
            "column_count": 6 + len(sources),
            "widths": self.column_widths(len(sources) + 1),
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
