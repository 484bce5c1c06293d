"""Reads of the money. Every queryset a user sees is scoped by `accounts.scope` through the đề án's unit.

The annual budget summary is computed by the database: one GROUP BY query per breakdown over the funding lines
of the year's đề án (amounts paid and settled are kept on the line, so no join to the payments is needed),
whatever the number of đề án. The drill-down list is one annotated, paginated query.
"""

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.scope import in_scope
from areas.models import AdministrativeUnit  # noqa: F401  (type of SummaryFilters.area)
from budgets.models import (
    BudgetAllocation,
    BudgetException,
    ExceptionStatus,
    FundingLine,
    ProjectFunding,
    SupportCeiling,
)
from budgets.sources import FundingSource
from projects.models import ActivityContent, Decision, DecisionKind, Level, Project, ProjectKind, ProjectStatus
from projects.selectors import project_scope


def project_list(*, user) -> QuerySet[Project]:
    """The đề án whose money the user may see: those they may see at all (projects.selectors.project_scope)."""
    return project_scope(user=user).select_related("unit__parent", "implementing_unit")


def project_get(*, user, pk: int) -> Project:
    """A đề án whose money the user may see, or 404."""
    return get_object_or_404(project_list(user=user), pk=pk)


def line_get(*, user, pk: int) -> FundingLine:
    qs = in_scope(
        FundingLine.objects.all(), user, "project__unit", chosen_field="project__successor_unit"
    ).select_related("project__unit")
    return get_object_or_404(qs, pk=pk)


def funding_get(project: Project) -> ProjectFunding:
    """The đề án's funding header as it stands; an unsaved blank one when nothing was recorded yet.

    A read: the row is created by the first write (services.funding_for inside funding_lines_save), never by a page.
    """
    return ProjectFunding.objects.filter(project=project).first() or ProjectFunding(project=project)


def disbursable_lines(project: Project) -> QuerySet[FundingLine]:
    """The lines a payment can be recorded against, in the order of the money page."""
    return FundingLine.objects.filter(project=project).order_by("source", "cost_item")


def adjustment_decisions() -> QuerySet[Decision]:
    """Decisions a line adjustment can cite: adjustment decisions first (an approval may also restate amounts)."""
    return Decision.objects.order_by(Case(When(kind=DecisionKind.ADJUSTMENT, then=0), default=1), "-signed_on")


def project_money_brief(project: Project) -> dict:
    """The money card of the đề án page: totals of its lines and the exceptions a leader approved (two queries)."""
    totals = FundingLine.objects.filter(project=project).aggregate(
        approved=Sum("approved_amount"),
        estimated=Sum("estimated_cost"),
        disbursed=Sum("disbursed_total"),
        settled=Sum("settled_amount"),
    )
    exceptions = list(
        BudgetException.objects.filter(project=project, status=ExceptionStatus.APPROVED).select_related("decided_by")
    )
    return {"totals": totals, "exceptions": exceptions}


def project_lines(project) -> list[FundingLine]:
    return list(
        FundingLine.objects.filter(project=project).select_related("settlement").order_by("source", "cost_item")
    )


def project_money(project) -> dict:
    """Everything the đề án money page shows, in a fixed number of queries."""
    from budgets.models import Disbursement, FundingAdjustment

    lines = project_lines(project)
    return {
        "lines": lines,
        "disbursements": list(
            Disbursement.objects.filter(line__project=project)
            .select_related("line", "recorded_by")
            .order_by("-paid_on", "-id")
        ),
        "adjustments": list(
            FundingAdjustment.objects.filter(line__project=project)
            .select_related("line", "decision", "recorded_by")
            .order_by("-created_at")
        ),
        "exceptions": list(
            BudgetException.objects.filter(project=project).select_related("requested_by", "decided_by")
        ),
        "totals": {
            "estimated": sum(line.estimated_cost for line in lines),
            "approved": sum(line.approved_amount for line in lines),
            "disbursed": sum(line.disbursed_total for line in lines),
            "settled": sum(line.settled_amount for line in lines),
            "remaining": sum(line.remaining for line in lines),
        },
    }


def exception_queue(*, user) -> QuerySet[BudgetException]:
    return in_scope(
        BudgetException.objects.all(), user, "project__unit", chosen_field="project__successor_unit"
    ).select_related("project", "requested_by", "decided_by")


def exception_get(*, user, pk: int) -> BudgetException:
    """An exception request on a đề án of the user's areas, or 404."""
    return get_object_or_404(exception_queue(user=user), pk=pk)


def exception_lists(*, user) -> tuple[list[BudgetException], list[BudgetException]]:
    """The exception queue page: (pending requests, oldest first; the 50 latest decided ones)."""
    qs = exception_queue(user=user)
    pending = list(qs.filter(status=ExceptionStatus.REQUESTED).order_by("created_at"))
    decided = list(qs.exclude(status=ExceptionStatus.REQUESTED).order_by("-decided_at")[:50])
    return pending, decided


def allocation_list() -> QuerySet[BudgetAllocation]:
    return BudgetAllocation.objects.select_related("decision").order_by("-year", "level")


def allocation_get(pk: int) -> BudgetAllocation:
    return get_object_or_404(BudgetAllocation, pk=pk)


def ceiling_list() -> QuerySet[SupportCeiling]:
    return SupportCeiling.objects.select_related("activity_content")


def ceiling_choices(project, on) -> QuerySet[SupportCeiling]:
    """Rules in force on `on` for the đề án's level, its contents first."""
    return (
        SupportCeiling.objects.in_force_on(on)
        .filter(Q(level="") | Q(level=project.level))
        .select_related("activity_content")
        .order_by("activity_content__sort_order", "title")
    )


# --- the annual budget summary --------------------------------------------------------------------------------


@dataclass
class SummaryFilters:
    year: int
    level: str = ""
    source: str = ""
    content: ActivityContent | None = None
    area: AdministrativeUnit | None = None
    status: str = ""


def _amounts() -> dict:
    return {
        "approved": Coalesce(Sum("approved_amount"), 0),
        "disbursed": Coalesce(Sum("disbursed_total"), 0),
        "settled": Coalesce(Sum("settled_amount"), 0),
        "estimated": Coalesce(Sum("estimated_cost"), 0),
        "projects": Count("project", distinct=True),
    }


def summary_lines(*, user, filters: SummaryFilters) -> QuerySet[FundingLine]:
    qs = in_scope(
        FundingLine.objects.filter(project__plan_year=filters.year),
        user,
        "project__unit",
        chosen_field="project__successor_unit",
    )
    if filters.level:
        qs = qs.filter(project__level=filters.level)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.content is not None:
        qs = qs.filter(project__contents=filters.content)
    if filters.area is not None:
        qs = qs.filter(project__unit__path__startswith=filters.area.path)
    if filters.status:
        qs = qs.filter(project__status=filters.status)
    return qs


def _area_key():
    # A commune recorded before 7/2025 counts under its district; a current commune (directly under the city)
    # and a district count as themselves.
    return Case(
        When(project__unit__depth__gte=2, then=F("project__unit__parent_id")),
        default=F("project__unit_id"),
        output_field=IntegerField(),
    )


def _area_name():
    return Case(
        When(project__unit__depth__gte=2, then=F("project__unit__parent__name")),
        default=F("project__unit__name"),
        output_field=CharField(),
    )


@dataclass
class SummaryRow:
    key: str
    label: str
    approved: int = 0
    disbursed: int = 0
    settled: int = 0
    estimated: int = 0
    projects: int = 0
    allocated: int | None = None
    approved_state: int = 0
    filter_param: str = ""
    filter_value: str = ""

    @property
    def remaining(self) -> int:
        """Approved but not yet paid."""
        return self.approved - self.disbursed

    @property
    def allocation_left(self) -> int | None:
        return None if self.allocated is None else self.allocated - self.approved_state


@dataclass
class BudgetSummary:
    filters: SummaryFilters
    total: SummaryRow
    by_source: list[SummaryRow] = field(default_factory=list)
    by_level: list[SummaryRow] = field(default_factory=list)
    by_content: list[SummaryRow] = field(default_factory=list)
    by_area: list[SummaryRow] = field(default_factory=list)
    by_status: list[SummaryRow] = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def breakdowns(self):
        from django.utils.translation import gettext_lazy as _

        return [
            ("source", _("Theo nguồn kinh phí"), self.by_source),
            ("level", _("Theo cấp"), self.by_level),
            ("content", _("Theo nội dung hoạt động"), self.by_content),
            ("area", _("Theo địa bàn"), self.by_area),
            ("status", _("Theo trạng thái đề án"), self.by_status),
        ]


def _row(key, label, values, **extra) -> SummaryRow:
    return SummaryRow(
        key=str(key),
        label=str(label),
        approved=values["approved"],
        disbursed=values["disbursed"],
        settled=values["settled"],
        estimated=values["estimated"],
        projects=values["projects"],
        **extra,
    )


def budget_summary(*, user, filters: SummaryFilters) -> BudgetSummary:
    """The annual summary: allocated, approved, disbursed, settled and remaining by source, level, activity
    content, area and status. A constant number of queries (8), each an aggregate in the database.

    A đề án with two activity contents counts under each of them in the content breakdown (its totals do not)."""
    lines = summary_lines(user=user, filters=filters)
    source_labels = dict(FundingSource.choices)
    level_labels = dict(Level.choices)
    status_labels = dict(ProjectStatus.choices)

    total_values = lines.aggregate(
        **_amounts(),
        de_an=Count("project", distinct=True, filter=Q(project__kind=ProjectKind.PROJECT)),
        du_toan=Count("project", distinct=True, filter=Q(project__kind=ProjectKind.TASK)),
    )
    summary = BudgetSummary(filters=filters, total=_row("total", "", total_values))
    summary.counts = {"de_an": total_values["de_an"], "du_toan": total_values["du_toan"]}

    for values in lines.values("source").annotate(**_amounts()).order_by():
        summary.by_source.append(
            _row(
                values["source"],
                source_labels.get(values["source"], values["source"]),
                values,
                filter_param="source",
                filter_value=values["source"],
            )
        )
    order = list(FundingSource.values)
    summary.by_source.sort(key=lambda row: order.index(row.key) if row.key in order else 99)

    allocations = {
        a.level: a.amount
        for a in BudgetAllocation.objects.filter(
            year=filters.year, **({"level": filters.level} if filters.level else {})
        )
    }
    level_rows = {
        values["project__level"]: values
        for values in lines.values("project__level")
        .annotate(
            **_amounts(),
            # The envelope of a level is spent by the level's own source (KCQG money for KCQG đề án, …).
            approved_state=Coalesce(Sum("approved_amount", filter=Q(source=F("project__level"))), 0),
        )
        .order_by()
    }
    for level in Level.values:
        if level not in level_rows and level not in allocations:
            continue
        values = level_rows.get(level) or dict.fromkeys(
            ("approved", "disbursed", "settled", "estimated", "projects", "approved_state"), 0
        )
        summary.by_level.append(
            _row(
                level,
                level_labels[level],
                values,
                allocated=allocations.get(level),
                approved_state=values["approved_state"],
                filter_param="level",
                filter_value=level,
            )
        )
    summary.total.allocated = sum(allocations.values()) if allocations else None
    summary.total.approved_state = sum(row.approved_state for row in summary.by_level)

    for values in (
        lines.values("project__contents__id", "project__contents__code", "project__contents__name")
        .annotate(**_amounts())
        .order_by("project__contents__sort_order", "project__contents__code")
    ):
        code = values["project__contents__code"]
        label = f"{code}. {values['project__contents__name']}" if code else "—"
        summary.by_content.append(
            _row(
                code or "none",
                label,
                values,
                filter_param="content",
                filter_value=values["project__contents__id"] or "",
            )
        )

    area_values = lines.annotate(area=_area_key(), area_name=_area_name()).values("area", "area_name")
    for values in area_values.annotate(**_amounts()).order_by():
        summary.by_area.append(
            _row(values["area"], values["area_name"], values, filter_param="area", filter_value=values["area"])
        )
    summary.by_area.sort(key=lambda row: row.label)

    status_order = list(ProjectStatus.values)
    for values in lines.values("project__status").annotate(**_amounts()).order_by():
        status = values["project__status"]
        summary.by_status.append(
            _row(status, status_labels.get(status, status), values, filter_param="status", filter_value=status)
        )
    summary.by_status.sort(key=lambda row: status_order.index(row.key))
    return summary


def summary_projects(*, user, filters: SummaryFilters) -> QuerySet[Project]:
    """The drill-down: the đề án behind the summary, each with its money by source, in one query."""
    lines = summary_lines(user=user, filters=filters)
    qs = project_scope(user=user).filter(plan_year=filters.year, pk__in=lines.values("project_id"))
    line_filter = Q()
    if filters.source:
        line_filter &= Q(funding_lines__source=filters.source)
    amounts = {}
    for source in FundingSource.values:
        amounts[f"approved_{source}"] = Coalesce(
            Sum("funding_lines__approved_amount", filter=line_filter & Q(funding_lines__source=source)), 0
        )
    return (
        qs.annotate(
            approved=Coalesce(Sum("funding_lines__approved_amount", filter=line_filter), 0),
            disbursed=Coalesce(Sum("funding_lines__disbursed_total", filter=line_filter), 0),
            settled=Coalesce(Sum("funding_lines__settled_amount", filter=line_filter), 0),
            remaining=F("approved") - F("disbursed"),
            # Shown next to the đề án: a leader let it past a ceiling or the envelope.
            has_exception=Exists(
                BudgetException.objects.filter(project=OuterRef("pk"), status=ExceptionStatus.APPROVED)
            ),
            **amounts,
        )
        .select_related("unit")
        .order_by("level", "code")
    )


def latest_year() -> int | None:
    """The default year of the summary: the latest plan year (read from the index on plan_year)."""
    return Project.objects.aggregate(latest=Max("plan_year"))["latest"]
