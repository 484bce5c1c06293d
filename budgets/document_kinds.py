"""The programme's city-wide documents, produced by the document jobs (documents app):

- `approval_report` — the appendix of an annual plan's approval (per level and year): the approved đề án with
  beneficiary, place, activity content and the approved amounts per source, totals and the amount in words, with
  the approving decisions' numbers and dates. Requested from the annual plan page and the budget summary.
- `annual_report` — the báo cáo kết quả khuyến công năm (per year, optionally one level): counts and money by level,
  activity content and area, progress, problems from field reports and the contest's certified products, written
  as the department's narrative from the data. Requested from the budget summary and the documents page.

Both are department documents (no unit): admin, staff and leaders. An area officer is refused with 403 by role
before any data is read — the document covers the whole city, so there is no object of theirs to hide; the jobs
themselves, having no unit, are invisible to officers (404), like every city-wide job.

The numbers come from the apps' selectors (budgets.selectors.summary_projects / budget_summary), read as the
department (documents.kinds.base.DEPARTMENT_READER); nothing is aggregated twice. An approved đề án is one that
reached APPROVED or any later state (including suspended or stopped ones: they were approved), as on the annual
plan page (projects.selectors.annual_plan_summary).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beneficiaries.models import Beneficiary
from budgets.selectors import SummaryFilters, budget_summary, summary_projects
from budgets.sources import FundingSource
from core.money import format_million
from core.numwords import amount_in_words
from documents.kinds import register
from documents.kinds.base import DEPARTMENT_READER, DocumentKind
from projects.models import APPROVAL_KINDS, AnnualPlan, DecisionItem, Level, Project, ProjectKind, ProjectStatus

NOT_YET_APPROVED = (ProjectStatus.DRAFT, ProjectStatus.REGISTERED, ProjectStatus.APPRAISED, ProjectStatus.NOT_APPROVED)
APPROVED_STATES = tuple(s for s in ProjectStatus.values if s not in NOT_YET_APPROVED)

LEVEL_SHORT = {Level.NATIONAL: "KCQG", Level.LOCAL: "KCĐP"}
LEVEL_NAMES = {Level.NATIONAL: "khuyến công quốc gia", Level.LOCAL: "khuyến công địa phương"}
# How the department names each source in a sentence ("trong đó kinh phí KCQG 600 triệu đồng, KCĐP …").
SOURCE_SHORT = {
    FundingSource.NATIONAL: "KCQG",
    FundingSource.LOCAL: "KCĐP",
    FundingSource.COUNTERPART: "vốn đối ứng của cơ sở",
    FundingSource.OTHER: "nguồn khác",
}
SOURCE_COLUMNS = {
    FundingSource.NATIONAL: "KCQG",
    FundingSource.LOCAL: "KCĐP",
    FundingSource.COUNTERPART: "Đối ứng",
    FundingSource.OTHER: "Khác",
}


def million(value: int) -> str:
    """Triệu đồng as the department writes them in sentences: 600.000.000 → "600", 1.521.500.000 → "1.521,5",
    986.629.000 → "986,629" (core.money.format_million, trailing zeros dropped)."""
    text = format_million(value)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def count(n: int) -> str:
    """Counts in reports have two digits: 1 → "01", 7 → "07", 12 → "12"."""
    return f"{n:02d}"


def _year_param(kind: DocumentKind, raw) -> int:
    year = kind.int_param(raw, "year", label=_("Năm"))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Năm không hợp lệ: “%(value)s”.") % {"value": raw.get("year")})
    return year


def _level_param(raw, *, required: bool) -> str:
    level = str(raw.get("level") or "").strip()
    if not level:
        if required:
            raise ValidationError(_("Thiếu cấp (KCQG hoặc KCĐP)."))
        return ""
    if level not in Level.values:
        raise ValidationError(_("Cấp không hợp lệ: “%(value)s”.") % {"value": level})
    return level


def _unit_place(project) -> str:
    unit = project.unit
    name = f"{unit.name}, {unit.parent.name}" if unit.parent_id and unit.depth >= 2 else unit.name
    return f"{project.place_detail}, {name}" if project.place_detail else name


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
        return {"level": _level_param(raw, required=True), "year": _year_param(self, raw)}

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


# --- annual programme report ----------------------------------------------------------------------------------


def _money(row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "projects": row.projects,
        "allocated": row.allocated,
        "approved": row.approved,
        "disbursed": row.disbursed,
        "settled": row.settled,
    }


def _approving_bodies(year: int, level: str) -> dict[str, str]:
    """Who approved each level's đề án that year: the plan's decision, else the projects' approval decisions."""
    bodies: dict[str, str] = {}
    plans = AnnualPlan.objects.filter(year=year, decision__isnull=False).select_related("decision")
    for plan in plans.filter(level=level) if level else plans:
        bodies[plan.level] = plan.decision.issuing_body
    items = DecisionItem.objects.filter(
        decision__kind__in=APPROVAL_KINDS, project__plan_year=year, project__status__in=APPROVED_STATES
    )
    if level:
        items = items.filter(project__level=level)
    for project_level, body in items.values_list("project__level", "decision__issuing_body").order_by(
        "decision__signed_on", "decision_id"
    ):
        bodies.setdefault(project_level, body)
    return bodies


def _problems(year: int, level: str) -> list[dict]:
    from field.models import FieldReport, ReportStatus

    qs = FieldReport.objects.filter(status=ReportStatus.SUBMITTED, has_problem=True, project__plan_year=year)
    if level:
        qs = qs.filter(project__level=level)
    return [
        {
            "code": r.project.code,
            "visit_date": r.visit_date.strftime("%d/%m/%Y"),
            # Sentences are joined in the template: no trailing full stop here.
            "problem": r.problem.strip().rstrip("."),
            "acknowledged": r.problem_acknowledged_at is not None,
            "note": r.acknowledgement_note.strip().rstrip("."),
        }
        for r in qs.select_related("project").order_by("visit_date", "id")
    ]


def _contests(year: int) -> list[dict]:
    from contest.models import Certificate, Contest, ContestState

    contests = []
    for contest in Contest.objects.filter(year=year).order_by("level", "id"):
        certificates = Certificate.objects.filter(contest=contest).order_by("sequence")
        contests.append(
            {
                "name": contest.name,
                "level": str(contest.get_level_display()),
                "published": contest.state == ContestState.PUBLISHED,
                "state": str(contest.get_state_display()),
                "entries": contest.entries.count(),
                "decision_number": contest.result_decision_number,
                "decision_date": contest.result_decision_date.strftime("%d/%m/%Y")
                if contest.result_decision_date
                else "",
                "certified": [
                    {
                        "product": c.product_name,
                        "beneficiary": c.beneficiary_name,
                        "commune": c.commune,
                        "group": str(c.get_group_display()),
                        "score": f"{c.score.normalize():f}".replace(".", ","),
                    }
                    for c in certificates
                ],
            }
        )
    return contests


def _kind_counts(counts: dict[str, int]) -> str:
    """{"de_an": 7, "du_toan": 1} → "07 đề án và 01 dự toán"."""
    parts = []
    if counts.get(ProjectKind.PROJECT):
        parts.append(f"{count(counts[ProjectKind.PROJECT])} đề án")
    if counts.get(ProjectKind.TASK):
        parts.append(f"{count(counts[ProjectKind.TASK])} dự toán")
    return " và ".join(parts)


@register
class AnnualReport(DocumentKind):
    code = "annual_report"
    title = gettext_lazy("Báo cáo kết quả thực hiện chương trình khuyến công năm")
    template = "budgets/pdf/annual_report.html"
    number_symbol = "BC"

    def clean_params(self, raw):
        return {"year": _year_param(self, raw), "level": _level_param(raw, required=False)}

    def target(self, user, params):
        return None  # city-wide: department roles only (self.roles)

    def collect(self, params):
        year, level = params["year"], params["level"]
        summary = budget_summary(user=DEPARTMENT_READER, filters=SummaryFilters(year=year, level=level))
        projects = Project.objects.filter(plan_year=year, status__in=APPROVED_STATES)
        if level:
            projects = projects.filter(level=level)
        by_level_kind: dict[str, dict[str, int]] = {}
        by_status_kind: dict[str, dict[str, int]] = {}
        for row in projects.values("level", "kind", "status").annotate(n=Count("id")).order_by():
            lk = by_level_kind.setdefault(row["level"], {})
            lk[row["kind"]] = lk.get(row["kind"], 0) + row["n"]
            sk = by_status_kind.setdefault(row["status"], {})
            sk[row["kind"]] = sk.get(row["kind"], 0) + row["n"]
        return {
            "year": year,
            "level": level,
            "counts_by_level": [
                {"level": lv, "short": LEVEL_SHORT[lv], "counts": by_level_kind[lv]}
                for lv in Level.values
                if lv in by_level_kind
            ],
            "counts_by_status": [
                {"status": st, "label": str(ProjectStatus(st).label), "counts": by_status_kind[st]}
                for st in ProjectStatus.values
                if st in by_status_kind
            ],
            "approving_bodies": _approving_bodies(year, level),
            "total": _money(summary.total),
            "by_source": [_money(r) for r in summary.by_source],
            "by_level": [_money(r) for r in summary.by_level],
            "by_content": [_money(r) for r in summary.by_content],
            "by_area": [_money(r) for r in summary.by_area],
            "problems": _problems(year, level),
            "contests": _contests(year),
        }

    def document_title(self, data):
        if data["level"]:
            return _("Báo cáo kết quả khuyến công năm %(year)s (%(level)s)") % {
                "year": data["year"],
                "level": LEVEL_SHORT[data["level"]],
            }
        return _("Báo cáo kết quả khuyến công năm %(year)s") % {"year": data["year"]}

    def context(self, data):
        return {
            "summary_sentence": self.summary_sentence(data),
            "progress_sentence": self.progress_sentence(data),
            "total_words": amount_in_words(data["total"]["approved"]),
            "level_short": LEVEL_SHORT.get(data["level"], ""),
        }

    @staticmethod
    def summary_sentence(data) -> str:
        """ "Năm 2021, Bộ Công Thương phê duyệt 01 đề án KCQG, UBND thành phố Hải Phòng phê duyệt 07 đề án và 01 dự
        toán KCĐP với tổng kinh phí 3.108,129 triệu đồng, trong đó kinh phí KCQG 600 triệu đồng, KCĐP 986,629 triệu
        đồng, vốn đối ứng của cơ sở 1.521,5 triệu đồng." """
        year = data["year"]
        if not data["counts_by_level"]:
            return f"Năm {year}, chưa có đề án khuyến công nào được phê duyệt."
        clauses = []
        for row in data["counts_by_level"]:
            body = data["approving_bodies"].get(row["level"], "cấp có thẩm quyền")
            clauses.append(f"{body} phê duyệt {_kind_counts(row['counts'])} {row['short']}")
        sentence = f"Năm {year}, " + ", ".join(clauses)
        sentence += f" với tổng kinh phí {million(data['total']['approved'])} triệu đồng"
        sources = [r for r in data["by_source"] if r["approved"]]
        parts = [f"{SOURCE_SHORT.get(r['key'], r['label'])} {million(r['approved'])} triệu đồng" for r in sources]
        if parts:
            if sources[0]["key"] in (FundingSource.NATIONAL, FundingSource.LOCAL):
                parts[0] = "kinh phí " + parts[0]
            sentence += ", trong đó " + ", ".join(parts)
        return sentence + "."

    @staticmethod
    def progress_sentence(data) -> str:
        total = data["total"]
        text = f"Đến thời điểm báo cáo, đã giải ngân {million(total['disbursed'])} triệu đồng"
        if total["approved"]:
            share = f"{total['disbursed'] * 100 / total['approved']:.1f}".replace(".", ",")
            text += f" ({share}% kinh phí được phê duyệt)"
        text += f", đã quyết toán {million(total['settled'])} triệu đồng."
        states = [f"{row['label'].lower()} {_kind_counts(row['counts'])}" for row in data["counts_by_status"]]
        if states:
            text += " Về tiến độ: " + "; ".join(states) + "."
        return text
