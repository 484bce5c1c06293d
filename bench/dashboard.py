"""Dashboard and staff home page at national scale.

~50,000 đề án over 63 provinces and 5 years, 200,000 funding lines, 100,000 field reports, bulk-created into a
throwaway test database (PostgreSQL when DATABASE_URL points at one). Measures the server time of the full request
(view, queries, template) through the test client: the dashboard of one province and year, the dashboard of the
whole country for a department-wide staff member (no area filter, the case of issue 18), and that staff member's
home page. The figures come from budgets.ProjectFigures, rebuilt once after the bulk load (timed). Side by side,
in the same run, the money sums the dashboard used to run over every funding line (the row-sum queries of the
old selector) against the same sums read from the figures. Prints:

    BENCH rebuild_aggregates_s <s> s
    BENCH dashboard_ms <median> ms                 (one province)
    BENCH dashboard_national_ms <median> ms        (department-wide, no area)
    BENCH staff_home_ms <median> ms
    BENCH dashboard_queries <n> queries      (the same at 1/50 of the data: checked, exits non-zero otherwise)
    BENCH dashboard_national_queries <n> queries
    BENCH staff_home_queries <n> queries
    BENCH dashboard_sums_rowsum_ms / BENCH dashboard_sums_figures_ms   (before / after, SQL only)

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_issue9 .venv/bin/python bench/dashboard.py
"""

import datetime
import os
import random
import statistics
import sys
import time

import _common  # noqa: F401 — the project on sys.path, the settings, django.setup() (bench/_common.py)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

PROVINCES = 63
DISTRICTS = 10
COMMUNES = 5
PROJECTS = int(os.environ.get("BENCH_PROJECTS", 50_000))
YEARS = [2021, 2022, 2023, 2024, 2025]
LINES_PER_PROJECT = 4
REPORTS_PER_PROJECT = 2
RUNS = 7


def build_units():
    from areas.models import AdministrativeUnit

    units = []
    for p in range(1, PROVINCES + 1):
        path = f"/p{p:02d}/"
        units.append(
            AdministrativeUnit(
                code=f"{p:02d}",
                name=f"Tỉnh {p:02d}",
                short_name=f"{p:02d}",
                unit_type="tinh",
                path=path,
                depth=0,
                search_name=f"tinh {p:02d}",
            )
        )
    AdministrativeUnit.objects.bulk_create(units, batch_size=1000)
    provinces = {u.path: u for u in AdministrativeUnit.objects.filter(depth=0, path__startswith="/p")}
    districts = []
    for path, prov in provinces.items():
        for d in range(DISTRICTS):
            dpath = f"{path}d{d}/"
            districts.append(
                AdministrativeUnit(
                    code=f"{prov.code}{d}",
                    name=f"Huyện {prov.code}-{d}",
                    short_name=f"{d}",
                    unit_type="huyen",
                    parent=prov,
                    path=dpath,
                    depth=1,
                    search_name=f"huyen {prov.code} {d}",
                )
            )
    AdministrativeUnit.objects.bulk_create(districts, batch_size=1000)
    communes = []
    for dist in AdministrativeUnit.objects.filter(depth=1, path__startswith="/p"):
        for c in range(COMMUNES):
            communes.append(
                AdministrativeUnit(
                    code=f"{dist.code}{c}",
                    name=f"Xã {dist.code}-{c}",
                    short_name=f"{c}",
                    unit_type="xa",
                    parent=dist,
                    path=f"{dist.path}w{c}/",
                    depth=2,
                    search_name=f"xa {dist.code} {c}",
                    latitude=10 + random.random() * 12,
                    longitude=103 + random.random() * 6,
                )
            )
    AdministrativeUnit.objects.bulk_create(communes, batch_size=2000)
    return list(AdministrativeUnit.objects.filter(depth=2, path__startswith="/p").values_list("id", flat=True))


def build_programme(n_projects: int, commune_ids: list[int], rng: random.Random, offset: int = 0):
    from accounts.models import User
    from budgets.models import FundingLine
    from field.models import FieldReport
    from projects.models import ActivityContent, Organisation, Project, ProjectStatus

    org = Organisation.objects.order_by("id").first()
    author = User.objects.get(username="bench_officer")
    contents = list(ActivityContent.objects.values_list("id", flat=True))
    statuses = ProjectStatus.values
    today = datetime.date(2025, 9, 1)
    batch = []
    for i in range(n_projects):
        year = rng.choice(YEARS)
        start = datetime.date(year, rng.randint(1, 9), rng.randint(1, 28))
        batch.append(
            Project(
                code=f"B-{offset + i:06d}",
                title=f"Đề án thử tải {offset + i}",
                level=rng.choice(["kcqg", "kcdp"]),
                kind=rng.choice(["de_an"] * 5 + ["du_toan"]),
                plan_year=year,
                status=rng.choice(statuses),
                unit_id=rng.choice(commune_ids),
                implementing_unit=org,
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.randint(90, 600)),
            )
        )
    Project.objects.bulk_create(batch, batch_size=2000)
    projects = list(
        Project.objects.filter(code__startswith="B-").order_by("-id")[:n_projects].values_list("id", "start_date")
    )
    Through = Project.contents.through
    Through.objects.bulk_create(
        [Through(project_id=pid, activitycontent_id=rng.choice(contents)) for pid, _ in projects], batch_size=5000
    )
    lines = []
    for pid, _ in projects:
        for source, item in rng.sample(
            [(s, c) for s in ("kcqg", "kcdp", "doi_ung", "khac") for c in ("thiet_bi", "dao_tao")], LINES_PER_PROJECT
        ):
            approved = rng.randint(1, 500) * 1_000_000
            disbursed = rng.randint(0, approved // 1_000_000) * 1_000_000
            lines.append(
                FundingLine(
                    project_id=pid,
                    source=source,
                    cost_item=item,
                    estimated_cost=approved,
                    approved_amount=approved,
                    disbursed_total=disbursed,
                    settled_amount=rng.choice([0, disbursed]),
                )
            )
    FundingLine.objects.bulk_create(lines, batch_size=5000)
    reports = []
    now = timezone.now()
    for pid, start in projects:
        unit_id = None
        for _ in range(REPORTS_PER_PROJECT):
            problem = rng.random() < 0.05
            reports.append(
                FieldReport(
                    author=author,
                    project_id=pid,
                    unit_id=unit_id or rng.choice(commune_ids),
                    status="submitted",
                    submitted_at=now,
                    visit_date=min(today, start + datetime.timedelta(days=rng.randint(0, 300))),
                    progress_percent=rng.randint(0, 100),
                    has_problem=problem,
                    problem="Chậm" if problem else "",
                )
            )
    FieldReport.objects.bulk_create(reports, batch_size=5000)


def rebuild_figures() -> float:
    """The bulk load bypasses the services: rebuild the pre-computed figures as `manage.py rebuild_aggregates` does."""
    from budgets import figures

    start = time.perf_counter()
    figures.rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - start


def compare_sums(user, year: int) -> tuple[float, float]:
    """The dashboard's money sums (per year and source, per area, per content) for a department-wide user, the
    old way (over every funding line of the two years' approved đề án, grouped with the đề án's unit) and from
    the figures; asserts both give the same totals. Median ms of each."""
    from django.db.models import Sum

    from budgets.models import FundingLine
    from monitoring import selectors
    from projects.models import Project

    def rowsum():
        both = Project.objects.filter(plan_year__in=[year, year - 1], status__in=selectors.APPROVED_STATES)
        by_unit = list(
            FundingLine.objects.filter(project__in=both)
            .values_list("project__plan_year", "source", "project__unit__path")
            .annotate(a=Sum("approved_amount"), d=Sum("disbursed_total"), s=Sum("settled_amount"))
            .order_by()
        )
        by_content = list(
            FundingLine.objects.filter(project__in=both.filter(plan_year=year))
            .values_list("project__contents")
            .annotate(a=Sum("approved_amount"), d=Sum("disbursed_total"))
            .order_by()
        )
        return sum(r[3] for r in by_unit if r[0] == year), sum(r[1] or 0 for r in by_content)

    def from_figures():
        figs = selectors.dashboard_figures(user=user, years=[year, year - 1])
        money = selectors._money(figs)
        current = figs.filter(plan_year=year)
        selectors._by_area(current, selectors.DashboardFilters(year=year))
        content = selectors._by_content(current, selectors.DashboardFilters(year=year))
        return sum(m["approved"] for (y, _s), m in money.items() if y == year), sum(r["approved"] for r in content)

    timings = {}
    results = {}
    for name, fn in (("rowsum", rowsum), ("figures", from_figures)):
        fn()
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            results[name] = fn()
            times.append((time.perf_counter() - start) * 1000)
        timings[name] = statistics.median(times)
    assert results["rowsum"] == results["figures"], results
    return timings["rowsum"], timings["figures"]


def measure(client, url, params) -> tuple[float, int]:
    client.get(url, params)  # warm-up: connection, template cache
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, params)
    return statistics.median(times), len(ctx)


def main() -> int:
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from areas.models import AdministrativeUnit

    keep = bool(os.environ.get("BENCH_KEEPDB"))  # reuse the data between runs while tuning
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False, keepdb=keep)
    try:
        if keep and User.objects.filter(username="bench_staff").exists():
            return measure_only()
        rng = random.Random(2026)
        staff = User.objects.create_user("bench_staff", password="x")
        staff.groups.add(Group.objects.get(name=Role.STAFF))
        officer = User.objects.create_user("bench_officer", password="x")
        officer.groups.add(Group.objects.get(name=Role.AREA_OFFICER))
        t0 = time.perf_counter()
        communes = build_units()
        province = AdministrativeUnit.objects.get(path="/p07/")
        client = Client()
        client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
        dash = ("/theo-doi/", {"year": 2024, "area": province.pk})
        national = ("/theo-doi/", {"year": 2024})

        small = PROJECTS // 50
        build_programme(small, communes, rng)
        rebuild_figures()
        _, small_dash_q = measure(client, *dash)
        _, small_national_q = measure(client, *national)
        _, small_home_q = measure(client, "/", {})

        build_programme(PROJECTS - small, communes, rng, offset=small)
        rebuild_s = rebuild_figures()
        print(f"BENCH rebuild_aggregates_s {rebuild_s:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        from budgets.models import FundingLine
        from field.models import FieldReport
        from projects.models import Project

        print(
            f"data: {Project.objects.count()} đề án, {FundingLine.objects.count()} funding lines, "
            f"{FieldReport.objects.count()} field reports, {AdministrativeUnit.objects.count()} units "
            f"on {connection.vendor} in {time.perf_counter() - t0:.0f} s",
            file=sys.stderr,
        )
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            with cProfile.Profile() as prof:
                client.get(*dash)
                client.get("/")
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
            with CaptureQueriesContext(connection) as ctx:
                client.get(*dash)
                client.get("/")
            for q in ctx.captured_queries:
                print(q["time"], q["sql"][:300], file=sys.stderr)
        dash_ms, dash_q = measure(client, *dash)
        national_ms, national_q = measure(client, *national)
        home_ms, home_q = measure(client, "/", {})
        print(f"BENCH dashboard_ms {dash_ms:.1f} ms")
        print(f"BENCH dashboard_national_ms {national_ms:.1f} ms")
        print(f"BENCH staff_home_ms {home_ms:.1f} ms")
        print(f"BENCH dashboard_queries {dash_q} queries")
        print(f"BENCH dashboard_national_queries {national_q} queries")
        print(f"BENCH staff_home_queries {home_q} queries")
        before, after = compare_sums(staff, 2024)
        print(f"BENCH dashboard_sums_rowsum_ms {before:.1f} ms")
        print(f"BENCH dashboard_sums_figures_ms {after:.1f} ms")
        ok = dash_q == small_dash_q and home_q == small_home_q and national_q == small_national_q
        if not ok:
            print(
                f"query counts grew with the data: {small_dash_q}→{dash_q}, {small_national_q}→{national_q}, "
                f"{small_home_q}→{home_q}",
                file=sys.stderr,
            )
        return 0 if ok else 1
    finally:
        if not keep:
            teardown_databases(old_config, verbosity=0)


def measure_only() -> int:
    from accounts.models import User
    from areas.models import AdministrativeUnit

    client = Client()
    client.force_login(User.objects.get(username="bench_staff"), backend="django.contrib.auth.backends.ModelBackend")
    province = AdministrativeUnit.objects.get(path="/p07/")
    dash_ms, dash_q = measure(client, "/theo-doi/", {"year": 2024, "area": province.pk})
    national_ms, national_q = measure(client, "/theo-doi/", {"year": 2024})
    home_ms, home_q = measure(client, "/", {})
    print(f"BENCH dashboard_ms {dash_ms:.1f} ms")
    print(f"BENCH dashboard_national_ms {national_ms:.1f} ms")
    print(f"BENCH dashboard_national_queries {national_q} queries")
    print(f"BENCH staff_home_ms {home_ms:.1f} ms")
    print(f"BENCH dashboard_queries {dash_q} queries")
    print(f"BENCH staff_home_queries {home_q} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
