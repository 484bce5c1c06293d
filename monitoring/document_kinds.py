"""The programme-wide annual report, produced by the document jobs (documents app):

- `annual_report` — the báo cáo kết quả khuyến công năm (per year, optionally one level): counts and money by level,
  activity content and area, progress, problems from field reports and the contest's certified products, written
  as the department's narrative from the data. Requested from the budget summary and the documents page ("Văn bản
  của tôi", the card `monitoring/partials/annual_report_request.html`).

It reads every app of the programme (đề án, money, field reports, contest), so it lives here, on the top floor.
A department document (no unit): admin, staff and leaders; an area officer is refused with 403 by role before any
data is read. The money comes from budgets.selectors.budget_summary read as the department
(documents.kinds.base.DEPARTMENT_READER); an approved đề án is one that reached APPROVED or any later state
(budgets.document_kinds.APPROVED_STATES, as for the approval report).
"""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.document_kinds import APPROVED_STATES, LEVEL_SHORT, level_param, year_param
from budgets.selectors import SummaryFilters, budget_summary
from budgets.sources import FundingSource
from contest.models import Certificate, Contest, ContestState
from core.money import format_million
from core.numwords import amount_in_words
from documents.kinds import register
from documents.kinds.base import DEPARTMENT_READER, DocumentKind
from field.models import FieldReport, ReportStatus
from projects.models import APPROVAL_KINDS, AnnualPlan, DecisionItem, Level, Project, ProjectKind, ProjectStatus
from projects.selectors import plan_years

# How the department names each source in a sentence ("trong đó kinh phí KCQG 600 triệu đồng, KCĐP …").
SOURCE_SHORT = {
    FundingSource.NATIONAL: "KCQG",
    FundingSource.LOCAL: "KCĐP",
    FundingSource.COUNTERPART: "vốn đối ứng của cơ sở",
    FundingSource.OTHER: "nguồn khác",
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
    template = "monitoring/pdf/annual_report.html"
    request_template = "monitoring/partials/annual_report_request.html"
    number_symbol = "BC"

    def request_context(self, user, data=None):
        years = plan_years(user=user)
        return {"years": years} if years else None

    def clean_params(self, raw):
        return {"year": year_param(self, raw), "level": level_param(raw, required=False)}

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
