"""Reads for the monitoring pages: the programme dashboard, the map, the periodic report and the role home pages.

Every figure is computed by the database (GROUP BY over the scoped rows) so that the number of queries does not
grow with the data: the tests assert it. Scope: đề án start from projects.selectors.project_scope; establishments,
field reports and adjustments are scoped here with accounts.scope.in_scope (the rule their own apps' selectors
apply); a dashboard or report can then be narrowed to one area the user can already see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, sees_everything
from accounts.scope import area_paths, in_scope, scope_key
from areas.models import AdministrativeUnit
from areas.selectors import PlacedUnit, counts_by_current_commune, current_commune_of, unit_currency
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import beneficiary_list
from budgets.models import SOURCE_KEYS, BudgetAllocation, ProjectFigures, figure_column
from budgets.selectors import amount_sum, figures_scope
from budgets.sources import FundingSource
from core import figures_cache, heartbeat
from field.models import FieldReport, ReportStatus
from field.permissions import REPORTABLE_STATES
from projects.models import ActivityContent, Level, Project, ProjectKind, ProjectStatus
from projects.selectors import project_scope

S = ProjectStatus

# Approved by the Ministry or the city at some point: their money is "approved money". A đề án stopped or
# suspended after approval keeps its lines (what was disbursed stays disbursed).
APPROVED_STATES = (
    S.APPROVED,
    S.CONTRACTED,
    S.IN_PROGRESS,
    S.AWAITING_ACCEPTANCE,
    S.ACCEPTED,
    S.CONTRACT_CLOSED,
    S.SETTLED,
    S.SUSPENDED,
    S.STOPPED,
)
# Work still to be done on site: these can be behind schedule.
SCHEDULED_STATES = (S.APPROVED, S.CONTRACTED, S.IN_PROGRESS)
# How many behind-schedule đề án the dashboard lists (the most overdue); the rest are on their own paginated page.
BEHIND_ON_DASHBOARD = 10
# How many areas the dashboard's area table shows by name (the rest are one summed row).
AREAS_ON_DASHBOARD = 20
# Approved and not yet accepted: an officer owes these a periodic visit (and the field app accepts a report on them).
VISIT_STATES = tuple(s for s in (*SCHEDULED_STATES, S.AWAITING_ACCEPTANCE) if s in REPORTABLE_STATES)

SOURCE_ORDER = list(FundingSource.values)
MONEY_KEYS = ("approved", "disbursed", "settled", "estimated")
# Short names for tables and chart axes on a phone.
SOURCE_SHORT = {
    FundingSource.NATIONAL: "KCQG",
    FundingSource.LOCAL: "KCĐP",
    FundingSource.COUNTERPART: _("Đối ứng"),
    FundingSource.OTHER: _("Khác"),
}
# The budget source a level's yearly allocation (dự toán giao) feeds.
LEVEL_SOURCE = {Level.NATIONAL: FundingSource.NATIONAL, Level.LOCAL: FundingSource.LOCAL}


def progress_tolerance() -> int:
    """Percentage points a đề án may lag the time elapsed before it is listed as behind schedule [U]."""
    return int(getattr(settings, "MONITORING_PROGRESS_TOLERANCE", 15))


def visit_interval_days() -> int:
    """How often a running đề án should get a field visit [U]; officers see the ones past it."""
    return int(getattr(settings, "MONITORING_VISIT_INTERVAL_DAYS", 90))


def _url(name: str, **params) -> str | None:
    """A list URL with its query string; None while the list page does not exist (number shown unlinked)."""
    try:
        base = reverse(name)
    except NoReverseMatch:
        return None
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def project_list_url(**params) -> str | None:
    """The đề án list (projects:list) filtered by its own query-string names: year, level, kind, status,
    content (id), area (id of a district / current commune)."""
    return _url("projects:list", **params)


def _ancestor_path(path: str, depth: int) -> str:
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts[: depth + 1]) + "/"


def _ratio(part: int, whole: int) -> float | None:
    return None if not whole else part * 100 / whole


# --- the filtered set -----------------------------------------------------------------------------------------
class Grouping:
    """How the dashboard and the report group by area (issue 15)."""

    DISTRICT = ""  # pre-2025 district (a record entered with a current commune stands under that commune)
    COMMUNE = "xa"  # current commune: an old commune at its successor, a split one where the record chose
    CHOICES = (
        (DISTRICT, _("Theo huyện cũ (trước 7/2025)")),
        (COMMUNE, _("Theo xã, phường hiện nay")),
    )


@dataclass(frozen=True)
class DashboardFilters:
    year: int
    level: str = ""
    area: AdministrativeUnit | None = None
    group: str = Grouping.DISTRICT

    def link_params(self) -> dict:
        """The filters the đề án list understands (it has no grouping)."""
        return {"year": self.year, "level": self.level, "area": self.area.pk if self.area else None}

    def query(self) -> str:
        """The same filters as a query string, for the monitoring pages' own links."""
        params = {**self.link_params(), "group": self.group}
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def dashboard_area_choices(*, user) -> QuerySet[AdministrativeUnit]:
    """Areas a dashboard can be narrowed to: provinces, districts and current communes the user can see."""
    units = AdministrativeUnit.objects.filter(depth__lte=1).select_related("parent")  # the label names the district
    paths = area_paths(user)
    if paths is not None:
        units = units.subtree_of(AdministrativeUnit.objects.filter(path__in=paths))
    return units.order_by("valid_to", "path")


def dashboard_projects(*, user, year: int, level: str = "", area=None) -> QuerySet[Project]:
    qs = project_scope(user=user).filter(plan_year=year)
    if level:
        qs = qs.filter(level=level)
    if area is not None:
        qs = qs.filter(unit__path__startswith=area.path)
    return qs


def dashboard_years(*, user) -> list[int]:
    # Min/max read the ends of the year index; a DISTINCT would scan every đề án.
    span = project_scope(user=user).aggregate(first=Min("plan_year"), last=Max("plan_year"))
    this_year = timezone.localdate().year
    first, last = min(span["first"] or this_year, this_year), max(span["last"] or this_year, this_year)
    return list(range(last, first - 1, -1))


# --- counts and money -----------------------------------------------------------------------------------------
# Every sum below reads the pre-computed figures (budgets.ProjectFigures: one row per đề án with its money per
# source, kept in step with the funding lines in the transaction of each write), never the funding lines.
def dashboard_figures(*, user, years, level: str = "", area=None) -> QuerySet[ProjectFigures]:
    qs = figures_scope(user=user).filter(plan_year__in=list(years))
    if level:
        qs = qs.filter(level=level)
    if area is not None:
        qs = qs.filter(unit__path__startswith=area.path)
    return qs


def _count_rows(figures: QuerySet[ProjectFigures]) -> list[tuple]:
    """(year, level, kind, status, n) of the given (possibly two-year) set: one query."""
    return list(figures.values_list("plan_year", "level", "kind", "status").annotate(n=Count("pk")).order_by())


def _money(figures: QuerySet[ProjectFigures]) -> dict:
    """{(year, source): {approved, disbursed, settled, estimated}} over approved đề án: one query."""
    sums = {
        figure_column(amount, source): Sum(figure_column(amount, source))
        for source in SOURCE_KEYS
        for amount in MONEY_KEYS
    }
    out: dict = {}
    for row in figures.filter(status__in=APPROVED_STATES).values("plan_year").annotate(**sums).order_by():
        for source in SOURCE_KEYS:
            out[(row["plan_year"], source)] = {a: row[figure_column(a, source)] or 0 for a in MONEY_KEYS}
    return out


def _counts(rows: list[tuple]) -> dict:
    """{(year, level, kind, status): n}"""
    out: dict = {}
    for row in rows:
        key = row[:4]
        out[key] = out.get(key, 0) + row[-1]
    return out


def _allocations(*, user, years, level: str, area) -> dict | None:
    """{(year, level): amount} of the yearly envelopes; None when the view is narrowed to part of the city
    (an envelope is city-wide: showing it next to an area's money would mislead)."""
    if area is not None and area.depth > 0:
        return None
    if not sees_everything(user):
        return None
    qs = BudgetAllocation.objects.filter(year__in=years)
    if level:
        qs = qs.filter(level=level)
    return {(a.year, a.level): a.amount for a in qs.only("year", "level", "amount")}


@dataclass
class YearFigures:
    year: int
    projects: int = 0  # kind = đề án, approved
    tasks: int = 0  # kind = dự toán / nhiệm vụ, approved
    registered: int = 0  # every đề án / dự toán of the year except drafts
    by_level: dict = field(default_factory=dict)  # level → {"projects": n, "tasks": n}
    approved: int = 0
    state_approved: int = 0
    disbursed: int = 0
    settled: int = 0
    allocated: int | None = None

    @property
    def disbursement_rate(self) -> float | None:
        return _ratio(self.disbursed, self.approved)


def _year_figures(year: int, counts: dict, money: dict, allocations: dict | None) -> YearFigures:
    f = YearFigures(year=year)
    for (y, level, kind, status), n in counts.items():
        if y != year:
            continue
        if status != S.DRAFT:
            f.registered += n
        if status in APPROVED_STATES:
            bucket = f.by_level.setdefault(level, {"projects": 0, "tasks": 0})
            key = "tasks" if kind == ProjectKind.TASK else "projects"
            bucket[key] += n
            setattr(f, key, getattr(f, key) + n)
    for (y, source), m in money.items():
        if y != year:
            continue
        f.approved += m["approved"]
        f.disbursed += m["disbursed"]
        f.settled += m["settled"]
        if source in LEVEL_SOURCE.values():
            f.state_approved += m["approved"]
    if allocations is not None:
        f.allocated = sum(v for (y, _lv), v in allocations.items() if y == year)
    return f


# --- breakdowns ------------------------------------------------------------------------------------------------
def _by_content(current: QuerySet[ProjectFigures], filters: DashboardFilters) -> list[dict]:
    """Count and approved money per activity content (a đề án with two contents counts under both): 2 queries."""
    sums = {
        cid: (n, a, d)
        for cid, n, a, d in current.filter(status__in=APPROVED_STATES)
        .values_list("project__contents")
        .annotate(n=Count("pk"), a=amount_sum("approved"), d=amount_sum("disbursed"))
        .order_by()
    }
    rows = []
    for content in ActivityContent.objects.only("id", "code", "name", "sort_order"):
        n, approved, disbursed = sums.get(content.pk, (0, 0, 0))
        if not n and not approved:
            continue
        rows.append(
            {
                "code": content.code,
                "name": content.name,
                "count": n,
                "approved": approved,
                "disbursed": disbursed,
                "url": project_list_url(**filters.link_params(), content=content.pk),
            }
        )
    return rows


def _area_of_unit():
    """The district / current commune (depth 1 of the areas tree) a record's unit lies in."""
    return Case(
        When(unit__depth=2, then=F("unit__parent_id")),
        When(unit__depth__gte=3, then=F("unit__parent__parent_id")),
        default=F("unit_id"),
        output_field=IntegerField(),
    )


def _current_commune_key():
    """The current commune of a đề án's unit; a split commune at the successor chosen for the đề án where the
    đề án can hold one (`Project.successor_unit`), else null ("not yet chosen")."""
    chosen = "project__successor_unit" if any(f.name == "successor_unit" for f in Project._meta.fields) else None
    return current_commune_of("unit", chosen)


def _by_area(current: QuerySet[ProjectFigures], filters: DashboardFilters, *, limit: int | None = None) -> list[dict]:
    """Count and money per pre-2025 district (depth 1 of the areas tree: a district, or a current commune for a
    record entered with one) or per current commune (`filters.group`): one grouped query over the year's
    figures, plus one query for the areas' names. Split communes not yet placed are one flagged row.

    With `limit` (the dashboard page), only the `limit` areas with the most approved money get a row and the
    rest are summed into one "other areas" row (`others` = how many), so the table still adds up to the total and
    the page never renders the country's thousand districts; the names are then read for those rows only."""
    key = _current_commune_key() if filters.group == Grouping.COMMUNE else _area_of_unit()
    sums = {
        area: (n, a, d)
        for area, n, a, d in current.filter(status__in=APPROVED_STATES)
        .annotate(area=key)
        .values_list("area")
        .annotate(n=Count("pk"), a=amount_sum("approved"), d=amount_sum("disbursed"))
        .order_by()
    }
    # Most money first (ties by id until the names are known, then by path below).
    ranked = sorted(sums, key=lambda k: (k is None, -sums[k][1], k or 0))
    shown, rest = (ranked, []) if limit is None or len(ranked) <= limit else (ranked[:limit], ranked[limit:])
    # `or [0]`: an empty IN list would skip the query, and the page's query count would depend on the data.
    units = {
        u.pk: u
        for u in AdministrativeUnit.objects.filter(pk__in=[k for k in shown if k is not None] or [0]).only(
            "id", "path", "name", "depth"
        )
    }
    rows = []
    for pk in sorted(shown, key=lambda k: (k is None, -sums[k][1], units[k].path if k in units else "")):
        unit = units.get(pk)
        n, approved, disbursed = sums[pk]
        params = {"year": filters.year, "level": filters.level}
        rows.append(
            {
                "name": unit.name if unit else (_("Chưa chọn xã kế thừa") if pk is None else pk),
                "unplaced": pk is None,
                "count": n,
                "approved": approved,
                "disbursed": disbursed,
                "url": project_list_url(**params, area=unit.pk) if unit and unit.depth == 1 else None,
            }
        )
    if rest:
        rows.append(
            {
                "name": _("Các địa bàn khác (%(n)s)") % {"n": len(rest)},
                "unplaced": False,
                "others": len(rest),
                "count": sum(sums[k][0] for k in rest),
                "approved": sum(sums[k][1] for k in rest),
                "disbursed": sum(sums[k][2] for k in rest),
                "url": None,
            }
        )
    return rows


@dataclass
class ScheduleRow:
    project: Project
    expected: int | None
    progress: int | None
    overdue: bool

    @property
    def reason(self) -> str:
        from django.utils.translation import gettext as _

        if self.overdue:
            return _("Đã quá ngày kết thúc")
        if self.progress is None:
            return _("Chưa có báo cáo tiến độ; thời gian đã qua %(e)s%%") % {"e": self.expected}
        return _("Tiến độ %(p)s%%, thời gian đã qua %(e)s%%") % {"p": self.progress, "e": self.expected}


def latest_progress_subquery():
    """The progress % of the latest submitted field report that states one (uses field_report_project_date)."""
    return Subquery(
        FieldReport.objects.filter(
            project=OuterRef("pk"), status=ReportStatus.SUBMITTED, progress_percent__isnull=False
        )
        .order_by("-visit_date", "-id")
        .values("progress_percent")[:1]
    )


class DaysBetween(Func):
    """Whole days from the second date to the first, as an integer, on PostgreSQL (date − date) and SQLite
    (julianday difference)."""

    arity = 2
    output_field = IntegerField()

    def __init__(self, later, earlier, **extra):
        super().__init__(Cast(later, DateField()), Cast(earlier, DateField()), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def expected_progress(start: datetime.date, end: datetime.date, today: datetime.date) -> int:
    """The share (%) of a đề án's planned duration elapsed on `today`, rounded half up; 100 once it is over."""
    if end < today:
        return 100
    total = max((end - start).days, 1)
    return (200 * (today - start).days + total) // (2 * total)


def behind_schedule_qs(qs: QuerySet[Project], *, today: datetime.date | None = None) -> QuerySet[Project]:
    """Running đề án whose end date has passed, or whose latest reported progress lags the share of their
    planned duration already elapsed (`expected_progress`) by more than the tolerance, most overdue first (earliest
    end date). The test is done by the database, so a page counts them and shows the first few without reading
    every candidate: progress + tolerance < round(100 · elapsed / total) ⇔ (2 · (progress + tolerance) + 1) · total
    ≤ 200 · elapsed, in integers (the same rounding as `expected_progress`)."""
    today = today or timezone.localdate()
    tolerance = progress_tolerance()
    on = Value(today, output_field=DateField())
    lag = ExpressionWrapper(
        200 * DaysBetween(on, F("start_date"))
        - (2 * (Coalesce(F("latest_progress"), 0) + tolerance) + 1)
        * Greatest(DaysBetween(F("end_date"), F("start_date")), 1),
        output_field=IntegerField(),
    )
    return (
        qs.filter(status__in=SCHEDULED_STATES, start_date__isnull=False, end_date__isnull=False, start_date__lte=today)
        .annotate(latest_progress=latest_progress_subquery())
        .alias(lag=lag)
        .filter(Q(end_date__lt=today) | Q(lag__gte=0))
        .select_related("unit")
        .only("id", "code", "title", "status", "level", "start_date", "end_date", "unit__name", "unit__path")
        .order_by("end_date", "code")
    )


def schedule_rows(projects, *, today: datetime.date | None = None) -> list[ScheduleRow]:
    """The rows of a list of `behind_schedule_qs` đề án (a page of it), with the reason for each."""
    today = today or timezone.localdate()
    return [
        ScheduleRow(p, expected_progress(p.start_date, p.end_date, today), p.latest_progress, p.end_date < today)
        for p in projects
    ]


def behind_schedule(qs: QuerySet[Project], *, today: datetime.date | None = None) -> list[ScheduleRow]:
    """Every đề án of `qs` behind schedule (tests, exports); pages show a slice of `behind_schedule_qs`."""
    return schedule_rows(behind_schedule_qs(qs, today=today), today=today)


# --- the dashboard ----------------------------------------------------------------------------------------------
def dashboard(
    *, user, filters: DashboardFilters, today: datetime.date | None = None, area_limit: int | None = None
) -> dict:
    """Everything the dashboard page shows, in a fixed number of queries whatever the data size (ten, plus
    reading the user's roles once). `area_limit`: see `_by_area` (the page passes
    AREAS_ON_DASHBOARD; the periodic report lists every area).

    The figures are shared between readers of the same scope and filters until they change
    (core.figures_cache); the behind-schedule list depends on the day and the field reports and is read each time."""
    key = (
        scope_key(user),
        filters.year,
        filters.level,
        filters.area.pk if filters.area else None,
        filters.group,
        area_limit,
    )
    board = dict(
        figures_cache.cached(
            "dashboard", ("figures", "units"), key, lambda: _dashboard_figures(user, filters, area_limit)
        )
    )
    behind = behind_schedule_qs(
        dashboard_projects(user=user, year=filters.year, level=filters.level, area=filters.area), today=today
    )
    board["filters"] = filters
    # The most overdue few and the count (the full list is the paginated behind-schedule page).
    board["behind"] = schedule_rows(behind[:BEHIND_ON_DASHBOARD], today=today)
    board["behind_count"] = behind.count()
    return board


def _dashboard_figures(user, filters: DashboardFilters, area_limit: int | None) -> dict:
    year = filters.year
    both = dashboard_figures(user=user, years=[year, year - 1], level=filters.level, area=filters.area)
    current = both.filter(plan_year=year)
    counts = _counts(_count_rows(both))
    money = _money(both)
    allocations = _allocations(user=user, years=[year, year - 1], level=filters.level, area=filters.area)
    this_year = _year_figures(year, counts, money, allocations)
    last_year = _year_figures(year - 1, counts, money, allocations)
    link = filters.link_params()

    states = []
    for status in S:
        n = sum(v for (y, _lv, _k, s), v in counts.items() if y == year and s == status)
        if n:
            states.append(
                {
                    "status": status.value,
                    "label": status.label,
                    "count": n,
                    "url": project_list_url(**link, status=status.value),
                }
            )

    levels = [filters.level] if filters.level else list(Level.values)
    fed_by = {LEVEL_SOURCE[Level(lv)] for lv in levels}
    sources = []
    for source in FundingSource:
        m = money.get((year, source.value), {"approved": 0, "disbursed": 0, "settled": 0, "estimated": 0})
        allocated = None
        if allocations is not None and source in fed_by:
            allocated = sum(v for (y, lv), v in allocations.items() if y == year and LEVEL_SOURCE[Level(lv)] == source)
        if not (m["approved"] or m["disbursed"] or m["settled"] or allocated):
            continue
        sources.append(
            {
                "source": source.value,
                "label": source.label,
                "short": SOURCE_SHORT[source],
                "allocated": allocated,
                **m,
                "rate": _ratio(m["disbursed"], m["approved"]),
                "url": project_list_url(**link),
            }
        )

    comparison = [
        (label, getattr(last_year, attr), getattr(this_year, attr), is_money) for label, attr, is_money in _COMPARISON
    ]
    return {
        "year": this_year,
        "previous": last_year,
        "states": states,
        "sources": sources,
        "money_total": {
            "allocated": this_year.allocated,
            "approved": this_year.approved,
            "disbursed": this_year.disbursed,
            "settled": this_year.settled,
            "rate": this_year.disbursement_rate,
        },
        "by_content": _by_content(current, filters),
        "by_area": _by_area(current, filters, limit=area_limit),
        "comparison": comparison,
        "links": {
            "all": project_list_url(**link),
            "projects": project_list_url(**link, kind=ProjectKind.PROJECT),
            "tasks": project_list_url(**link, kind=ProjectKind.TASK),
            "previous": project_list_url(**{**link, "year": year - 1}),
            "level": {lv: project_list_url(**{**link, "level": lv}) for lv in Level.values},
        },
    }


_COMPARISON = [
    (_("Đề án được phê duyệt"), "projects", False),
    (_("Dự toán, nhiệm vụ được phê duyệt"), "tasks", False),
    (_("Kinh phí phê duyệt (mọi nguồn)"), "approved", True),
    (_("Trong đó ngân sách (KCQG + KCĐP)"), "state_approved", True),
    (_("Đã giải ngân"), "disbursed", True),
    (_("Đã quyết toán"), "settled", True),
]


def key_figures(*, user, year: int) -> YearFigures:
    """The year's headline numbers (leader's home page): 2–3 queries, shared as the dashboard's are."""

    def compute():
        figures = dashboard_figures(user=user, years=[year])
        allocations = _allocations(user=user, years=[year], level="", area=None)
        return _year_figures(year, _counts(_count_rows(figures)), _money(figures), allocations)

    return figures_cache.cached("key_figures", ("figures",), (scope_key(user), year), compute)


# --- the map ----------------------------------------------------------------------------------------------------
def map_data(*, user, filters: DashboardFilters, gps_limit: int = 500, communes: list | None = None) -> dict:
    """Counts of đề án (of the year) and establishments per current commune — records entered with an old
    commune count at its successor (a split one: at the successor chosen for the establishment, else under
    "not yet placed") — and the GPS points of the year's field reports: 5 queries."""
    qs = dashboard_projects(user=user, year=filters.year, level=filters.level, area=filters.area)
    # The counts are shared between readers of the same scope and filters until their data changes
    # (core.figures_cache); the GPS points below are read each time.
    projects, establishments = figures_cache.cached(
        "map_counts",
        ("figures", "establishments", "units"),
        (scope_key(user), filters.year, filters.level, filters.area.pk if filters.area else None),
        lambda: _map_counts(user, filters),
    )
    projects, establishments = dict(projects), dict(establishments)  # the cached ones stay whole
    unplaced = {"projects": projects.pop(None, 0), "establishments": establishments.pop(None, 0)}
    unit_ids = set(projects) | set(establishments)
    # The places are current communes: taken from `communes` (the map's base layer, placed_communes()) when the
    # caller has them; only units outside it are read (an IN list of 3,300 ids cost 40 ms to send).
    known = {c.pk: c for c in communes or ()}
    units = [known[pk] for pk in unit_ids if pk in known]
    missing = unit_ids - set(known)
    if missing:
        units += PlacedUnit.of(AdministrativeUnit.objects.filter(pk__in=missing, latitude__isnull=False))
    # One list URL, its area appended per place (a reverse() and urlencode() per commune was a third of the time).
    list_url = project_list_url(year=filters.year, level=filters.level)
    joiner = "&" if "?" in (list_url or "") else "?"
    places = [
        {
            "unit": unit,
            "lat": unit.latitude,
            "lng": unit.longitude,
            "projects": projects.get(unit.pk, 0),
            "establishments": establishments.get(unit.pk, 0),
            "url": f"{list_url}{joiner}area={unit.pk}" if list_url else None,
        }
        for unit in units
    ]
    places.sort(key=lambda p: (-p["projects"], -p["establishments"], p["unit"].path))
    gps = list(
        in_scope(FieldReport.objects.all(), user, "unit")
        .filter(status=ReportStatus.SUBMITTED, project__in=qs, latitude__isnull=False, longitude__isnull=False)
        .values("id", "latitude", "longitude", "visit_date", "project__code", "has_problem")
        .order_by("-visit_date", "-id")[:gps_limit]
    )
    return {"places": places, "gps": gps, "unplaced": unplaced}


def _map_counts(user, filters: DashboardFilters) -> tuple[dict, dict]:
    """({current commune id or None: đề án of the year}, {…: establishments}): 3 queries."""
    figures = dashboard_figures(user=user, years=[filters.year], level=filters.level, area=filters.area)
    units = unit_currency()
    projects = counts_by_current_commune(figures, "unit", units=units)
    establishments_qs = in_scope(Beneficiary.objects.all(), user, "unit")
    if filters.area is not None:
        establishments_qs = establishments_qs.filter(unit__path__startswith=filters.area.path)
    return projects, counts_by_current_commune(establishments_qs, "unit", "successor_unit", units=units)


# --- home pages -------------------------------------------------------------------------------------------------
def staff_worklist(*, user, today: datetime.date | None = None, limit: int = 5) -> dict:
    """What waits for a staff member: appraisals, contracts, acceptances, overdue follow-ups, problem reports."""
    from field.selectors import open_problems_for_home, overdue_actions

    today = today or timezone.localdate()
    scope = project_scope(user=user)
    # One grouped query over the states that need the office (served by the status index), not a full scan.
    waiting = (S.REGISTERED, S.APPROVED, S.AWAITING_ACCEPTANCE)
    key = {S.REGISTERED: "appraisal", S.APPROVED: "contract", S.AWAITING_ACCEPTANCE: "acceptance"}

    def counts():
        agg = {"appraisal": 0, "contract": 0, "acceptance": 0, "overdue_end": 0}
        for status, n, late in (
            scope.filter(status__in=set(waiting) | set(SCHEDULED_STATES))
            .values_list("status")
            .annotate(n=Count("id"), late=Count("id", filter=Q(end_date__lt=today)))
            .order_by()
        ):
            if status in key:
                agg[key[status]] += n
            if status in SCHEDULED_STATES:
                agg["overdue_end"] += late
        return agg

    # Every save of a đề án refreshes its figures (budgets.figures), so the "figures" version follows these counts.
    agg = figures_cache.cached("staff_work_counts", ("figures", "units"), (scope_key(user), today), counts)

    def top(status):
        # Oldest records first; ordering by id lets the database stop after `limit` rows.
        return list(
            scope.filter(status=status)
            .select_related("unit")
            .only("id", "code", "title", "status", "plan_year", "level", "end_date", "unit__name")
            .order_by("id")[:limit]
        )

    actions = overdue_actions(user=user, today=today)
    problems = open_problems_for_home(user=user)
    sections = [
        {
            "key": "appraisal",
            "title": _("Chờ thẩm định"),
            "count": agg["appraisal"],
            "items": top(S.REGISTERED),
            "url": project_list_url(status=S.REGISTERED),
        },
        {
            "key": "contract",
            "title": _("Đã phê duyệt, chưa ký hợp đồng"),
            "count": agg["contract"],
            "items": top(S.APPROVED),
            "url": project_list_url(status=S.APPROVED),
        },
        {
            "key": "acceptance",
            "title": _("Chờ nghiệm thu"),
            "count": agg["acceptance"],
            "items": top(S.AWAITING_ACCEPTANCE),
            "url": project_list_url(status=S.AWAITING_ACCEPTANCE),
        },
    ]
    return {
        "sections": sections,
        "overdue_end_count": agg["overdue_end"],
        "overdue_actions": list(actions[:limit]),
        "overdue_actions_count": actions.count(),
        # The list itself is the field app's block on the same page (field_tags.open_field_problems).
        "problems_count": problems.count(),
    }


def visits_owed(*, user, today: datetime.date | None = None) -> QuerySet[Project]:
    """Running đề án of the user's areas with no submitted field visit in the last interval."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=visit_interval_days())
    return (
        project_scope(user=user)
        .filter(status__in=VISIT_STATES)
        .annotate(last_visit=Max("field_reports__visit_date", filter=Q(field_reports__status=ReportStatus.SUBMITTED)))
        .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=cutoff))
        .select_related("unit")
        .order_by("last_visit", "code")
    )


def officer_overview(*, user, limit: int = 8) -> dict:
    """An area officer's home: their đề án by state, their establishments, the visits they owe."""
    scope = project_scope(user=user)
    by_status = dict(scope.values_list("status").annotate(n=Count("id")).order_by())
    running = [s for s in VISIT_STATES if by_status.get(s)]
    owed = visits_owed(user=user)
    establishments = in_scope(Beneficiary.objects.all(), user, "unit")
    return {
        "project_total": sum(by_status.values()),
        "project_states": [
            {"label": S(s).label, "count": n, "url": project_list_url(status=s)}
            for s, n in sorted(by_status.items(), key=lambda kv: list(S.values).index(kv[0]))
        ],
        "running_count": sum(by_status[s] for s in running),
        "visits_owed": list(owed[:limit]),
        "visits_owed_count": owed.count(),
        "establishment_count": establishments.count(),
        "visit_interval_days": visit_interval_days(),
    }


def leader_queue(*, user, limit: int = 8) -> dict:
    """Decisions waiting for the leadership: adjustment requests and budget exceptions (over a support ceiling
    or the yearly envelope), oldest first."""
    from budgets.models import ExceptionStatus
    from budgets.selectors import exception_queue
    from projects.models import Adjustment, AdjustmentStatus

    adjustments = in_scope(
        Adjustment.objects.filter(status=AdjustmentStatus.REQUESTED),
        user,
        "project__unit",
        chosen_field="project__successor_unit",
    ).select_related("project", "requested_by")
    exceptions = exception_queue(user=user).filter(status=ExceptionStatus.REQUESTED)
    # The leader's part of approval (docs/workflow.md): conclude a failed appraisal (not approved), and sign
    # the submission of the passed ones to the approving body, whose paper decision staff then record.
    from projects.models import AppraisalResult, ProjectStatus

    appraised = project_scope(user=user).filter(status=ProjectStatus.APPRAISED).order_by("appraised_on", "id")
    failed = appraised.filter(appraisal_result=AppraisalResult.FAILED)
    passed = appraised.filter(appraisal_result=AppraisalResult.PASSED)
    return {
        "failed_appraisals": list(failed[:limit]),
        "failed_appraisal_count": failed.count(),
        "awaiting_decision": list(passed[:limit]),
        "awaiting_decision_count": passed.count(),
        "adjustments": list(adjustments.order_by("created_at", "id")[:limit]),
        "adjustment_count": adjustments.count(),
        "exceptions": list(exceptions.order_by("created_at", "id")[:limit]),
        "exception_count": exceptions.count(),
    }


def admin_activity(*, limit: int = 8) -> dict:
    """What the administrator watches: document jobs by status with the latest failures, the latest
    establishment imports, and the import pages."""
    from beneficiaries.models import ImportBatch
    from documents.models import DocumentJob

    by_status = dict(DocumentJob.objects.values_list("status").annotate(n=Count("id")).order_by())
    jobs = {
        "counts": [(label, by_status.get(value, 0)) for value, label in DocumentJob._meta.get_field("status").choices],
        "failed": list(DocumentJob.objects.filter(status="failed").order_by("-updated_at")[:limit]),
        "admin_url": _url("admin:documents_documentjob_changelist"),
    }
    recent_imports = list(
        ImportBatch.objects.select_related("created_by").defer("plan", "report").order_by("-created_at")[:limit]
    )
    imports = [
        {"label": _("Nhập kế hoạch khuyến công từ Excel"), "url": reverse("projects:import")},
        {"label": _("Nhập danh sách cơ sở từ Excel"), "url": reverse("beneficiaries:import")},
    ]
    return {"jobs": jobs, "imports": imports, "recent_imports": recent_imports}


def home_context(*, user, role: str | None) -> dict:
    """What each role's home page shows; each figure comes from the owning app's scoped selector."""
    context: dict = {"role": role}
    year = timezone.localdate().year
    if role in (Role.STAFF, Role.LEADER, Role.AREA_OFFICER, Role.ADMIN):
        visible = beneficiary_list(user=user)
        context["beneficiary_count"] = figures_cache.cached(
            "beneficiary_count", ("establishments", "units"), (scope_key(user),), visible.count
        )
    if role == Role.STAFF:
        context["work"] = staff_worklist(user=user)
    if role == Role.LEADER:
        context["year"] = year
        context["figures"] = key_figures(user=user, year=year)
        context["queue"] = leader_queue(user=user)
        context["links"] = {
            "projects": project_list_url(year=year, kind="de_an"),
            "tasks": project_list_url(year=year, kind="du_toan"),
            "all": project_list_url(year=year),
        }
    if role == Role.AREA_OFFICER:
        context["areas"] = list(user.areas.order_by("path"))
        context["overview"] = officer_overview(user=user)
        context["recent_beneficiaries"] = visible.order_by("-created_at")[:5]
    if role == Role.ADMIN:
        context["user_count"] = get_user_model().objects.filter(is_active=True).count()
        context["unit_count"] = AdministrativeUnit.objects.count()
        context["activity"] = admin_activity()
        context["worker"] = heartbeat.worker_health()
    return context
