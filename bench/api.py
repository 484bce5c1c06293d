"""The read API at 50,000 đề án: one page of 100 with their nested data (contents, beneficiaries, outputs,
funding lines), its query count, an incremental sync of 1,000 changed records, and one of 1,000 records changed
at the same instant (a bulk change: the keyset cursor pages through the tie without scanning it again).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_h15 .venv/bin/python bench/api.py

`BENCH_SCALE` (default 1.0) scales the 50,000 đề án (never below the 1,000 the syncs change);
`BENCH_API_PROJECTS` sets their number outright.

Creates a throwaway test database (test_<name>), migrates it and drops it at the end.
"""

import datetime
import os
import random
import statistics
import time

import _common  # noqa: F401 — the project on sys.path, the settings, django.setup() (bench/_common.py)

ROOT = _common.ROOT

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

CHANGED = 1_000
COUNT = int(os.environ.get("BENCH_API_PROJECTS", max(CHANGED, round(50_000 * _common.SCALE))))
RUNS = 15


def _populate() -> None:
    from areas.models import AdministrativeUnit
    from beneficiaries.models import Beneficiary, LegalForm
    from budgets.models import FundingLine
    from core.text import fold, sort_key
    from projects.models import ActivityContent, Organisation, PlannedOutput, Project

    rng = random.Random(5)
    units = list(AdministrativeUnit.objects.filter(depth__gte=1))
    contents = list(ActivityContent.objects.all())
    centre = Organisation.objects.order_by("id").first()
    old = timezone.now() - datetime.timedelta(days=400)
    beneficiaries = Beneficiary.objects.bulk_create(
        [
            Beneficiary(
                name=f"Cơ sở {i}",
                legal_form=LegalForm.values[i % len(LegalForm.values)],
                tax_code=f"{200_000_000 + i:010d}",
                address="Thôn 1",
                unit=rng.choice(units),
                search_text=fold(f"Cơ sở {i}"),
                sort_name=sort_key(f"Cơ sở {i}"),
            )
            for i in range(COUNT // 5)
        ],
        batch_size=5000,
    )
    for start in range(0, COUNT, 5000):
        projects = Project.objects.bulk_create(
            [
                Project(
                    code=f"KC-{i:06d}",
                    title=f"Đề án ứng dụng máy móc tiên tiến số {i}",
                    level="kcdp" if i % 3 else "kcqg",
                    plan_year=2021 + i % 6,
                    status="in_progress",
                    unit=rng.choice(units),
                    implementing_unit=centre,
                    search_text=f"kc-{i:06d}",
                )
                for i in range(start, min(start + 5000, COUNT))
            ]
        )
        Project.contents.through.objects.bulk_create(
            [Project.contents.through(project_id=p.pk, activitycontent_id=rng.choice(contents).pk) for p in projects]
        )
        Project.beneficiaries.through.objects.bulk_create(
            [
                Project.beneficiaries.through(project_id=p.pk, beneficiary_id=rng.choice(beneficiaries).pk)
                for p in projects
            ]
        )
        PlannedOutput.objects.bulk_create(
            [
                PlannedOutput(project=p, description="Máy đóng gói", unit_of_measure="máy", planned_quantity=1)
                for p in projects
            ]
        )
        FundingLine.objects.bulk_create(
            [
                FundingLine(project=p, source=source, cost_item="thiet_bi", approved_amount=100_000_000)
                for p in projects
                for source in ("kcdp", "doi_ung")
            ]
        )
    # Everything "old": the sync then finds exactly the records touched below.
    Project.objects.update(updated_at=old)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _get(client, token, url, params=None):
    response = client.get(url, params or {}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.content[:300]
    return response.json()


def run() -> None:
    from accounts.roles import Role
    from api.services import client_create
    from projects.models import Project
    from tests.factories import UserFactory

    admin = UserFactory(username="bench-api", role=Role.ADMIN)
    _, token = client_create(actor=admin, name="Bench")
    started = time.perf_counter()
    _populate()
    print(f"database: {connection.vendor}; {COUNT} đề án in {time.perf_counter() - started:.1f} s")
    client = Client()

    _get(client, token, "/api/v1/projects/", {"page_size": 100})  # warm
    samples = []
    for _ in range(RUNS):
        t = time.perf_counter()
        body = _get(client, token, "/api/v1/projects/", {"page_size": 100})
        samples.append((time.perf_counter() - t) * 1000)
    assert len(body["results"]) == 100 and body["results"][0]["funding_lines"]
    counts = {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            _get(client, token, "/api/v1/projects/", {"page_size": size})
        counts[size] = len(queries)
    deep = _get(client, token, "/api/v1/projects/", {"page_size": 100})
    deep_page = min(22, COUNT // 100)  # page 22, or the last full one of a scaled-down run
    for _ in range(deep_page - 2):
        deep = _get(client, token, deep["next"])
    t = time.perf_counter()
    _get(client, token, deep["next"])
    deep_ms = (time.perf_counter() - t) * 1000

    since = timezone.now()
    changed = list(Project.objects.order_by("?").values_list("pk", flat=True)[:CHANGED])
    Project.objects.filter(pk__in=changed).update(title="Đề án đã sửa", updated_at=timezone.now())
    sync_samples = []
    for _ in range(5):
        t = time.perf_counter()
        seen = []
        body = _get(client, token, "/api/v1/projects/", {"updated_since": since.isoformat(), "page_size": 500})
        seen += [r["id"] for r in body["results"]]
        while body["next"]:
            body = _get(client, token, body["next"])
            seen += [r["id"] for r in body["results"]]
        sync_samples.append(time.perf_counter() - t)
    assert sorted(seen) == sorted(changed), (len(seen), len(changed))

    # A bulk change: 1,000 đề án given one updated_at, read 100 a page (ten pages inside the tie).
    tied_at = timezone.now() + datetime.timedelta(seconds=1)
    tied = sorted(Project.objects.order_by("?").values_list("pk", flat=True)[:CHANGED])
    Project.objects.filter(pk__in=tied).update(updated_at=tied_at)
    ties_samples = []
    for _ in range(5):
        t = time.perf_counter()
        seen = []
        body = _get(client, token, "/api/v1/projects/", {"updated_since": tied_at.isoformat(), "page_size": 100})
        seen += [r["id"] for r in body["results"]]
        while body["next"]:
            body = _get(client, token, body["next"])
            seen += [r["id"] for r in body["results"]]
        ties_samples.append(time.perf_counter() - t)
    assert seen == tied, (len(seen), len(tied))  # each once, in id order

    print(f"queries: {counts[10]} for 10 đề án, {counts[100]} for 100; page {deep_page} (cursor): {deep_ms:.1f} ms")
    print(f"BENCH api_projects_ms {statistics.median(samples):.1f} ms")
    print(f"BENCH api_projects_queries_100 {counts[100]} queries")
    print(f"BENCH api_sync_1000_s {statistics.median(sync_samples):.3f} s")
    print(f"BENCH api_sync_ties_1000_s {statistics.median(ties_samples):.3f} s")


def main() -> None:
    setup_test_environment()  # the test client's host, as under pytest
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        run()
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
