"""Reads of the money. Every queryset a user sees is scoped by `accounts.scope` through the đề án's unit.

The annual budget summary is computed by the database: one GROUP BY query per breakdown over the pre-computed
figures of the year's đề án (`ProjectFigures`, one row per đề án with its money per source, kept in step by
budgets.figures), whatever the number of đề án. The drill-down list is one annotated, paginated query.
"""

from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.scope import area_paths, in_scope, scope_key
from areas.models import AdministrativeUnit  # noqa: F401  (type of SummaryFilters.area)
from budgets.models import (
    SOURCE_KEYS,
    BudgetAllocation,
    BudgetException,
    Disbursement,
    ExceptionStatus,
    FundingLine,
    ProjectFigures,
    ProjectFunding,
    SupportCeiling,
    figure_column,
)
from budgets.sources import FundingSource
from core import figures_cache
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


def amounts_by_source(project: Project, *, paid: bool = False) -> dict[str, int]:
    """{source: đồng} of a đề án, for the funding sources it has lines of: approved (summed over its funding lines)
    or, `paid`, paid so far (tạm ứng + thanh toán: its disbursements). One GROUP BY query."""
    if paid:
        rows = Disbursement.objects.filter(line__project=project).values_list("line__source")
        return dict(rows.annotate(total=Sum("amount")).values_list("line__source", "total"))
    rows = FundingLine.objects.filter(project=project).values_list("source")
    return dict(rows.annotate(total=Sum("approved_amount")).values_list("source", "total"))


def project_lines(project) -> list[FundingLine]:
    return list(
        FundingLine.objects.filter(project=project).select_related("settlement").order_by("source", "cost_item")
    )


def project_money(project) -> dict:
    """Everything the đề án money page shows, in a fixed number of queries."""
    from budgets.models import FundingAdjustment

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


# --- the pre-computed figures (budgets.figures) ---------------------------------------------------------------
def figures_scope(*, user) -> QuerySet[ProjectFigures]:
    """The figures of the đề án the user may see: project_scope's rule, applied through the đề án only when the
    user has an area (a department-wide reader reads the figures table alone)."""
    qs = ProjectFigures.objects.all()
    if area_paths(user) is None:
        return qs
    return qs.filter(project__in=project_scope(user=user))


def amount_sum(amount: str, sources=SOURCE_KEYS):
    """The sum over the selected sources of one amount column of the figures (approved, disbursed, …, lines)."""
    expression = None
    for source in sources:
        column = F(figure_column(amount, source))
        expression = column if expression is None else expression + column
    return Coalesce(Sum(expression), 0)


def state_approved_sum(sources=SOURCE_KEYS):
    """Approved money of the level's own source (KCQG money of KCQG đề án, …), which a level's envelope feeds."""
    whens = [When(level=s, then=F(figure_column("approved", s))) for s in (FundingSource.NATIONAL, FundingSource.LOCAL)]
    whens = [w for w, s in zip(whens, (FundingSource.NATIONAL, FundingSource.LOCAL), strict=True) if s in sources]
    if not whens:
        return Coalesce(Sum(Value(0)), 0)
    return Coalesce(Sum(Case(*whens, default=Value(0), output_field=BigIntegerField())), 0)


def _amounts(sources=SOURCE_KEYS) -> dict:
    return {
        "approved": amount_sum("approved", sources),
        "disbursed": amount_sum("disbursed", sources),
        "settled": amount_sum("settled", sources),
        "estimated": amount_sum("estimated", sources),
        "projects": Count("pk"),
    }


def summary_lines(*, user, filters: SummaryFilters) -> QuerySet[FundingLine]:
    """The funding lines behind the summary (the drill-down; the summary itself reads `summary_figures`)."""
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


def _summary_sources(filters: SummaryFilters) -> tuple[str, ...]:
    return (filters.source,) if filters.source else SOURCE_KEYS


def summary_figures(*, user, filters: SummaryFilters) -> QuerySet[ProjectFigures]:
    """The figures of the đề án that have at least one funding line the summary counts (the same set as
    `summary_lines`, one row per đề án)."""
    qs = figures_scope(user=user).filter(plan_year=filters.year)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.content is not None:
        qs = qs.filter(project__contents=filters.content)
    if filters.area is not None:
        qs = qs.filter(unit__path__startswith=filters.area.path)
    if filters.status:
        qs = qs.filter(status=filters.status)
    has_line = Q()
    for source in _summary_sources(filters):
        has_line |= Q(**{f"{figure_column('lines', source)}__gt": 0})
    return qs.filter(has_line)


def _area_key():
    # A commune recorded before 7/2025 counts under its district; a current commune (directly under the city)
    # and a district count as themselves.
    return Case(
        When(unit__depth__gte=2, then=F("unit__parent_id")),
        default=F("unit_id"),
        output_field=IntegerField(),
    )


def _area_name():
    return Case(
        When(unit__depth__gte=2, then=F("unit__parent__name")),
        default=F("unit__name"),
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


# How many areas the summary page names (the rest are one summed row; see budget_summary).
AREAS_ON_SUMMARY = 20


def budget_summary(*, user, filters: SummaryFilters, area_limit: int | None = None) -> BudgetSummary:
    """The annual summary: allocated, approved, disbursed, settled and remaining by source, level, activity
    content, area and status. A constant number of queries (6), each an aggregate over the pre-computed
    figures (one row per đề án, budgets.figures) rather than over every funding line.

    `area_limit` (the page): only that many areas, the most approved money first, get a row of their own; the
    others are summed into one last row, so the table still adds up and a department-wide page at national scale
    does not render a thousand districts. Exports and reports pass nothing and get every area, by name.

    A đề án with two activity contents counts under each of them in the content breakdown (its totals do not).

    Shared between readers of the same scope and filters until the figures change (core.figures_cache)."""
    key = (
        scope_key(user),
        filters.year,
        filters.level,
        filters.source,
        filters.content.pk if filters.content else None,
        filters.area.pk if filters.area else None,
        filters.status,
        area_limit,
    )
    return figures_cache.cached(
        "budget_summary",
        ("figures", "units"),
        key,
        lambda: _budget_summary(user=user, filters=filters, area_limit=area_limit),
    )


def _budget_summary(*, user, filters: SummaryFilters, area_limit: int | None) -> BudgetSummary:
    figures = summary_figures(user=user, filters=filters)
    sources = _summary_sources(filters)
    source_labels = dict(FundingSource.choices)
    level_labels = dict(Level.choices)
    status_labels = dict(ProjectStatus.choices)

    # The total and the per-source rows in one query.
    per_source = {}
    for source in sources:
        only = (source,)
        for amount in ("approved", "disbursed", "settled", "estimated", "lines"):
            per_source[f"{source}__{amount}"] = amount_sum(amount, only)
        per_source[f"{source}__projects"] = Count("pk", filter=Q(**{f"{figure_column('lines', source)}__gt": 0}))
    total_values = figures.aggregate(
        **_amounts(sources),
        de_an=Count("pk", filter=Q(kind=ProjectKind.PROJECT)),
        du_toan=Count("pk", filter=Q(kind=ProjectKind.TASK)),
        **per_source,
    )
    summary = BudgetSummary(filters=filters, total=_row("total", "", total_values))
    summary.counts = {"de_an": total_values["de_an"], "du_toan": total_values["du_toan"]}

    for source in sources:
        if not total_values[f"{source}__lines"]:
            continue
        values = {
            k: total_values[f"{source}__{k}"] for k in ("approved", "disbursed", "settled", "estimated", "projects")
        }
        summary.by_source.append(
            _row(source, source_labels.get(source, source), values, filter_param="source", filter_value=source)
        )

    allocations = {
        a.level: a.amount
        for a in BudgetAllocation.objects.filter(
            year=filters.year, **({"level": filters.level} if filters.level else {})
        )
    }
    level_rows = {
        values["level"]: values
        for values in figures.values("level")
        .annotate(**_amounts(sources), approved_state=state_approved_sum(sources))
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
        figures.values("project__contents__id", "project__contents__code", "project__contents__name")
        .annotate(**_amounts(sources))
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

    area_values = figures.annotate(area=_area_key(), area_name=_area_name()).values("area", "area_name")
    for values in area_values.annotate(**_amounts(sources)).order_by():
        summary.by_area.append(
            _row(values["area"], values["area_name"], values, filter_param="area", filter_value=values["area"])
        )
    if area_limit is None or len(summary.by_area) <= area_limit:
        summary.by_area.sort(key=lambda row: row.label)
    else:
        from django.utils.translation import gettext as _

        summary.by_area.sort(key=lambda row: (-row.approved, row.label))
        rest = summary.by_area[area_limit:]
        del summary.by_area[area_limit:]
        summary.by_area.append(
            SummaryRow(
                key="others",
                label=_("Các địa bàn khác (%(n)s)") % {"n": len(rest)},
                **{k: sum(getattr(r, k) for r in rest) for k in ("approved", "disbursed", "settled", "estimated")},
                projects=sum(r.projects for r in rest),
            )
        )

    status_order = list(ProjectStatus.values)
    for values in figures.values("status").annotate(**_amounts(sources)).order_by():
        status = values["status"]
        summary.by_status.append(
            _row(status, status_labels.get(status, status), values, filter_param="status", filter_value=status)
        )
    summary.by_status.sort(key=lambda row: status_order.index(row.key))
    return summary


def summary_projects(*, user, filters: SummaryFilters) -> QuerySet[Project]:
    """The drill-down: the đề án behind the summary (the set `summary_figures` counts), each with its money by
    source read from its pre-computed figures (no join of the funding lines, so a page of 25 reads 25 rows)."""
    sources = _summary_sources(filters)

    def money(amount, only=sources):
        expression = None
        for source in only:
            column = F(f"figures__{figure_column(amount, source)}")
            expression = column if expression is None else expression + column
        return Coalesce(expression, 0) if expression is not None else Value(0)

    qs = project_scope(user=user).filter(
        plan_year=filters.year, pk__in=summary_figures(user=user, filters=filters).values("project_id")
    )
    amounts = {
        f"approved_{source}": money("approved", (source,)) if source in sources else Value(0)
        for source in FundingSource.values
    }
    return (
        qs.annotate(
            approved=money("approved"),
            disbursed=money("disbursed"),
            settled=money("settled"),
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


def proposed_projects(*, user, year: int, level: str) -> QuerySet[Project]:
    """The đề án of a plan with the money proposed for them per source (the lines' dự toán, `estimated_cost`):
    what the department submits for approval (Tờ trình) or registers with the ministry, before anything is
    approved. `proposed_<source>` per source and `proposed` in total, in one annotated query."""
    amounts = {
        f"proposed_{source}": Coalesce(Sum("funding_lines__estimated_cost", filter=Q(funding_lines__source=source)), 0)
        for source in FundingSource.values
    }
    return (
        project_scope(user=user)
        .filter(plan_year=year, level=level)
        .annotate(proposed=Coalesce(Sum("funding_lines__estimated_cost"), 0), **amounts)
        .select_related("unit")
        .order_by("kind", "code")
    )
