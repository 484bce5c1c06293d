"""Random programme data for the monitoring tests: đề án (tests.factories.ProjectFactory, trait `monitored`) across
levels, states, areas and contents, with funding lines (approved ≥ disbursed, settled) and field reports.
Deterministic for a given seed."""

import datetime
import random

from django.utils import timezone

from accounts.roles import Role
from areas.models import AdministrativeUnit
from budgets.models import BudgetAllocation, FundingLine
from budgets.sources import FundingSource
from field.models import FieldReport, ReportStatus
from projects.models import ActivityContent, Level, Project, ProjectKind, ProjectStatus
from tests.factories import ProjectFactory, UserFactory

COST_ITEMS = ["thiet_bi", "dao_tao", "tai_lieu", "to_chuc"]


def communes(district_path: str, n: int = 3) -> list[AdministrativeUnit]:
    return list(AdministrativeUnit.objects.filter(path__startswith=district_path, depth=2).order_by("path")[:n])


def make_line(project, source, *, approved, disbursed=0, settled=0, cost_item="thiet_bi"):
    return FundingLine.objects.create(
        project=project,
        source=source,
        cost_item=cost_item,
        estimated_cost=approved * 2,
        approved_amount=approved,
        disbursed_total=disbursed,
        settled_amount=settled,
    )


def make_report(project, *, author, progress, visit_date, submitted=True, lat=None, lng=None, problem=False):
    return FieldReport.objects.create(
        author=author,
        project=project,
        unit=project.unit,
        status=ReportStatus.SUBMITTED if submitted else ReportStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
        visit_date=visit_date,
        progress_percent=progress,
        latitude=lat,
        longitude=lng,
        has_problem=problem,
        problem="Máy chưa lắp" if problem else "",
    )


def random_programme(seed: int, n: int = 40, *, years=(2020, 2021)) -> list[Project]:
    """n đề án per year spread over Thủy Nguyên, Cát Hải and An Lão, in every state, with 1–3 funding lines."""
    rng = random.Random(seed)
    places = communes("/31/d311/") + communes("/31/d317/") + communes("/31/d313/")
    contents = list(ActivityContent.objects.values_list("code", flat=True))
    author = UserFactory(role=Role.AREA_OFFICER)
    today = timezone.localdate()
    projects = []
    for year in years:
        for i in range(n):
            start = datetime.date(year, rng.randint(1, 6), rng.randint(1, 28))
            end = start + datetime.timedelta(days=rng.randint(60, 900))
            p = ProjectFactory(
                monitored=True,
                code=f"R{seed}-{year}-{i:03d}",
                plan_year=year,
                level=rng.choice(Level.values),
                status=rng.choice(ProjectStatus.values),
                kind=rng.choice([ProjectKind.PROJECT] * 4 + [ProjectKind.TASK]),
                unit=rng.choice(places),
                contents=rng.sample(contents, rng.randint(0, 2)),
                start_date=start,
                end_date=end,
            )
            for source in rng.sample(FundingSource.values, rng.randint(1, 3)):
                approved = rng.randint(1, 900) * 1_000_000 + rng.randint(0, 999) * 1000
                disbursed = rng.randint(0, approved // 1000) * 1000
                make_line(p, source, approved=approved, disbursed=disbursed, settled=rng.choice([0, disbursed]))
            for _ in range(rng.randint(0, 2)):
                make_report(
                    p,
                    author=author,
                    progress=rng.randint(0, 100),
                    visit_date=min(today, start + datetime.timedelta(days=rng.randint(0, 400))),
                    submitted=rng.random() < 0.8,
                )
            projects.append(p)
    for year in years:
        for level in Level.values:
            BudgetAllocation.objects.update_or_create(
                level=level, year=year, defaults={"amount": rng.randint(1, 9) * 1_000_000_000}
            )
    return projects
