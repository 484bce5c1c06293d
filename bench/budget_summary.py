"""Annual budget summary at national scale: 34 provinces × 15 years (~50,000 đề án, ~200,000 funding lines,
~300,000 disbursements). Renders the summary page of one province and year through the real view and template
and prints the server time and the number of queries, which must not depend on the number of đề án; the
national year (no area: a department-wide staff member) is the case of issue 18. The summary reads the
pre-computed figures (budgets.ProjectFigures), rebuilt once after the bulk load; the old row sums over every funding
line are timed beside them in the same run (`summary_sums_rowsum_ms` vs `summary_sums_figures_ms`).

    DATABASE_URL=postgres://…/kc_issueN .venv/bin/python bench/budget_summary.py
    BENCH_SCALE=0.1 for a quick run. Creates and drops a throwaway test database.
"""

import os
import random
import statistics
import time
from datetime import date

import _common  # noqa: F401 — the project on sys.path, the settings, django.setup() (bench/_common.py)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)

PROVINCES = 34
YEARS = list(range(2012, 2027))  # 15 years
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
PER_PROVINCE_YEAR = max(1, round(98 * SCALE))  # 34 × 15 × 98 ≈ 50,000 đề án
COMMUNES = 12
RUNS = 25


def build() -> tuple:
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from areas.models import AdministrativeUnit
    from budgets.models import Disbursement, FundingLine
    from projects.models import ActivityContent, Organisation, Project

    rng = random.Random(2021)
    units = []
    for p in range(1, PROVINCES + 1):
        path = f"/B{p:02d}/"
        units.append(
            AdministrativeUnit(
                code=f"B{p:02d}",
                name=f"Tỉnh thử {p:02d}",
                short_name=f"Thử {p:02d}",
                unit_type="tinh",
                path=path,
                depth=0,
                search_name=f"tinh thu {p:02d}",
            )
        )
    AdministrativeUnit.objects.bulk_create(units)
    provinces = list(AdministrativeUnit.objects.filter(path__startswith="/B", depth=0).order_by("path"))
    communes = []
    for province in provinces:
        for c in range(1, COMMUNES + 1):
            communes.append(
                AdministrativeUnit(
                    code=f"{province.code}{c:03d}",
                    name=f"Xã {c:03d}",
                    short_name=f"Xã {c:03d}",
                    unit_type="xa",
                    parent=province,
                    path=f"{province.path}c{c:03d}/",
                    depth=1,
                    search_name=f"xa {c:03d}",
                )
            )
    AdministrativeUnit.objects.bulk_create(communes, batch_size=2000)
    by_province = {}
    for unit in AdministrativeUnit.objects.filter(path__startswith="/B", depth=1):
        by_province.setdefault(unit.parent_id, []).append(unit)

    centre = Organisation.objects.order_by("id").first()
    contents = list(ActivityContent.objects.all())
    statuses = ["approved", "contracted", "in_progress", "accepted", "contract_closed", "settled"]
    projects = []
    for province in provinces:
        for year in YEARS:
            # The first province is small: its summary must take as many queries as a large one.
            for i in range(PER_PROVINCE_YEAR if province != provinces[0] else max(1, PER_PROVINCE_YEAR // 10)):
                projects.append(
                    Project(
                        kind="de_an" if i % 12 else "du_toan",
                        code=f"{province.code}-{year}-{i:03d}",
                        title=f"Đề án thử {province.code} {year} số {i}",
                        level="kcqg" if i % 9 == 0 else "kcdp",
                        plan_year=year,
                        implementing_unit=centre,
                        unit=rng.choice(by_province[province.pk]),
                        status=rng.choice(statuses),
                    )
                )
    Project.objects.bulk_create(projects, batch_size=5000)
    projects = list(Project.objects.filter(code__startswith="B").only("id", "level"))
    Through = Project.contents.through
    Through.objects.bulk_create(
        [Through(project_id=p.pk, activitycontent_id=rng.choice(contents).pk) for p in projects], batch_size=10000
    )

    lines = []
    for p in projects:
        state = p.level
        for source, item in [(state, "thiet_bi"), (state, "dao_tao"), ("doi_ung", "thiet_bi"), ("khac", "to_chuc")]:
            approved = rng.randrange(10, 500) * 1_000_000
            lines.append(
                FundingLine(
                    project_id=p.pk,
                    source=source,
                    cost_item=item,
                    estimated_cost=approved,
                    approved_amount=approved,
                )
            )
    # Payments: about 1.5 per line, never more than approved; the line keeps the total as the service would.
    payments = []
    for index, ln in enumerate(lines):
        count = 1 + (index % 2)
        paid = 0
        for n in range(count):
            amount = ln.approved_amount // 4
            paid += amount
            payments.append((index, n, amount))
        ln.disbursed_total = paid
        if index % 3 == 0:
            ln.settled_amount = paid
    FundingLine.objects.bulk_create(lines, batch_size=10000)
    Disbursement.objects.bulk_create(
        [
            Disbursement(
                line_id=lines[index].pk,
                kind="tam_ung" if n == 0 else "thanh_toan",
                paid_on=date(2021, 6, 1),
                amount=amount,
                document_number=f"UNC-{n}",
            )
            for index, n, amount in payments
        ],
        batch_size=10000,
    )
    user = User.objects.create(username="bench-staff")
    user.groups.add(Group.objects.get(name=Role.STAFF))
    # The bulk load bypasses the services: rebuild the pre-computed figures as `manage.py rebuild_aggregates` does.
    from budgets import figures

    started = time.perf_counter()
    figures.rebuild()
    print(f"BENCH rebuild_aggregates_s {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return user, provinces, len(projects), len(lines), len(payments)


def existing():
    from accounts.models import User
    from areas.models import AdministrativeUnit
    from budgets.models import Disbursement, FundingLine
    from projects.models import Project

    user = User.objects.filter(username="bench-staff").first()
    if user is None:
        return None
    provinces = list(AdministrativeUnit.objects.filter(path__startswith="/B", depth=0).order_by("path"))
    return user, provinces, Project.objects.count(), FundingLine.objects.count(), Disbursement.objects.count()


def compare_sums(user, year: int) -> tuple[float, float]:
    """The summary's department-wide breakdowns the old way (GROUP BY over every funding line of the year, joined
    to the đề án and their units) and from the pre-computed figures, in the same run; asserts equal totals.
    Median ms of each (SQL and row building only, no template)."""
    from django.db.models import Count, F, Sum

    from budgets.models import FundingLine
    from budgets.selectors import SummaryFilters, budget_summary

    def rowsum():
        lines = FundingLine.objects.filter(project__plan_year=year)
        amounts = {"a": Sum("approved_amount"), "d": Sum("disbursed_total"), "n": Count("project", distinct=True)}
        total = lines.aggregate(**amounts)
        list(lines.values("source").annotate(**amounts).order_by())
        list(lines.values("project__level").annotate(**amounts, s=Sum("approved_amount")).order_by())
        list(lines.values("project__contents__id").annotate(**amounts).order_by())
        list(lines.annotate(area=F("project__unit__parent_id")).values("area").annotate(**amounts).order_by())
        list(lines.values("project__status").annotate(**amounts).order_by())
        return total["a"], total["d"]

    def from_figures():
        summary = budget_summary(user=user, filters=SummaryFilters(year=year))
        return summary.total.approved, summary.total.disbursed

    timings, results = {}, {}
    for name, fn in (("rowsum", rowsum), ("figures", from_figures)):
        fn()
        times = []
        for _ in range(7):
            start = time.perf_counter()
            results[name] = fn()
            times.append((time.perf_counter() - start) * 1000)
        timings[name] = statistics.median(times)
    assert results["rowsum"] == results["figures"], results
    return timings["rowsum"], timings["figures"]


def measure(client, url) -> tuple[float, int]:
    client.get(url)  # warm-up
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), len(queries)


def main() -> None:
    # Not setup_test_environment(): its template instrumentation would be timed too.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    keep = os.environ.get("BENCH_KEEPDB") == "1"  # reuse the data of a previous run while tuning
    old = setup_databases(verbosity=0, interactive=False, keepdb=keep)
    try:
        started = time.perf_counter()
        user, provinces, n_projects, n_lines, n_payments = existing() if keep and existing() else build()
        print(
            f"# {connection.vendor}: {n_projects} đề án, {n_lines} dòng kinh phí, {n_payments} khoản giải ngân "
            f"(tạo trong {time.perf_counter() - started:.0f} s)"
        )
        client = Client()
        client.force_login(user)
        province = provinces[len(provinces) // 2]
        one_ms, one_queries = measure(client, f"/kinh-phi/?year=2021&area={province.pk}")
        small_ms, small_queries = measure(client, f"/kinh-phi/?year=2021&area={provinces[0].pk}")
        all_ms, all_queries = measure(client, "/kinh-phi/?year=2021")
        print(f"BENCH summary_ms {one_ms:.1f} ms")
        print(f"BENCH summary_queries {one_queries} queries")
        print(f"BENCH summary_small_province_queries {small_queries} queries")
        print(f"BENCH summary_national_year_ms {all_ms:.1f} ms")
        print(f"BENCH summary_national_year_queries {all_queries} queries")
        before, after = compare_sums(user, 2021)
        print(f"BENCH summary_sums_rowsum_ms {before:.1f} ms")
        print(f"BENCH summary_sums_figures_ms {after:.1f} ms")
        if one_queries != small_queries:
            raise SystemExit(f"query count depends on the number of đề án: {one_queries} ≠ {small_queries}")
    finally:
        if not keep:
            teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
