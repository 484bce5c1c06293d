"""Dashboard and staff home page at national scale.

~50,000 đề án over 63 provinces and 5 years, 200,000 funding lines, 100,000 field reports, bulk-created into a
throwaway test database (PostgreSQL when DATABASE_URL points at one). Measures the server time of the full request
(view, queries, template) through the test client: the dashboard of one province and year, and a staff member's
home page (who sees every province). Prints:

    BENCH dashboard_ms <median> ms
    BENCH staff_home_ms <median> ms
    BENCH dashboard_queries <n> queries      (the same at 1/50 of the data: checked, exits non-zero otherwise)
    BENCH staff_home_queries <n> queries

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

        small = PROJECTS // 50
        build_programme(small, communes, rng)
        _, small_dash_q = measure(client, *dash)
        _, small_home_q = measure(client, "/", {})

        build_programme(PROJECTS - small, communes, rng, offset=small)
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
        home_ms, home_q = measure(client, "/", {})
        print(f"BENCH dashboard_ms {dash_ms:.1f} ms")
        print(f"BENCH staff_home_ms {home_ms:.1f} ms")
        print(f"BENCH dashboard_queries {dash_q} queries")
        print(f"BENCH staff_home_queries {home_q} queries")
        ok = dash_q == small_dash_q and home_q == small_home_q
        if not ok:
            print(f"query counts grew with the data: {small_dash_q}→{dash_q}, {small_home_q}→{home_q}", file=sys.stderr)
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
    home_ms, home_q = measure(client, "/", {})
    print(f"BENCH dashboard_ms {dash_ms:.1f} ms")
    print(f"BENCH staff_home_ms {home_ms:.1f} ms")
    print(f"BENCH dashboard_queries {dash_q} queries")
    print(f"BENCH staff_home_queries {home_q} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
