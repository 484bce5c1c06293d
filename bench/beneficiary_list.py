"""The establishment list at 100,000 rows: server time of the page (plain, searched, filtered) and its queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_issue3 .venv/bin/python bench/beneficiary_list.py

Creates a throwaway test database (test_<name>), migrates it and drops it at the end.
"""

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

COUNT = int(os.environ.get("BENCH_LIST_ROWS", 100_000))
RUNS = 15


def _populate(admin) -> None:
    from areas.models import AdministrativeUnit
    from beneficiaries.models import Beneficiary, LegalForm
    from core.text import fold, sort_key
    from tests.beneficiaries.workbooks import SECTORS, WORDS

    rng = random.Random(3)
    units = list(AdministrativeUnit.objects.filter(depth__gte=1))
    forms = list(LegalForm.values)
    batch = []
    for i in range(COUNT):
        unit = rng.choice(units)
        prefix = rng.choice(["Công ty TNHH", "HTX", "Hộ kinh doanh", "Cơ sở"])
        name = f"{prefix} {rng.choice(SECTORS)} {rng.choice(WORDS)} {i}"
        if i == COUNT // 2:
            name = "Nước mắm Cát Hải"
        tax = f"{300_000_000 + i:010d}"
        address = f"Thôn {rng.randint(1, 12)}"
        batch.append(
            Beneficiary(
                name=name,
                legal_form=rng.choice(forms),
                tax_code=tax,
                address=address,
                unit=unit,
                sector=rng.choice(SECTORS),
                search_text=fold(f"{name} {tax} {address} {unit.name}"),
                sort_name=sort_key(name),
                created_by=admin,
            )
        )
        if len(batch) == 5000:
            Beneficiary.objects.bulk_create(batch)
            batch = []
    Beneficiary.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does soon after a bulk load: statistics, and the visibility map index-only scans need.
            cursor.execute("VACUUM ANALYZE beneficiaries_beneficiary")


def _time(client, params) -> float:
    client.get("/co-so/", params)  # warm
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get("/co-so/", params)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(samples)


def run() -> None:
    from accounts.roles import Role
    from tests.factories import UserFactory

    admin = UserFactory(username="bench-list", role=Role.ADMIN)
    started = time.perf_counter()
    _populate(admin)
    print(f"database: {connection.vendor}; {COUNT} establishments in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    plain = _time(client, {})
    searched = _time(client, {"q": "nuoc mam cat hai"})
    filtered = _time(client, {"legal_form": "hop_tac_xa", "eligible": "yes", "q": "co khi"})
    last_page = _time(client, {"page": COUNT // 25})
    counts = {}
    for per_page in (25, 100):
        with CaptureQueriesContext(connection) as queries:
            client.get("/co-so/", {"per_page": per_page})
        counts[per_page] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        client.get("/co-so/", {"q": os.environ.get("BENCH_EXPLAIN_Q", "")})
    for query in queries.captured_queries:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:110]}")
    if connection.vendor == "postgresql" and os.environ.get("BENCH_EXPLAIN"):
        with connection.cursor() as cursor:
            for query in queries.captured_queries:
                if query["sql"].startswith("SELECT") and "beneficiaries_beneficiary" in query["sql"]:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    print("\n".join(row[0] for row in cursor.fetchall()))
    print(f"search 'nuoc mam cat hai': {searched:.1f} ms; filtered: {filtered:.1f} ms; last page: {last_page:.1f} ms")
    print(f"queries: {counts[25]} for 25 rows, {counts[100]} for 100 rows")
    print(f"BENCH beneficiary_list_ms {plain:.1f} ms")
    print(f"BENCH beneficiary_search_ms {searched:.1f} ms")
    print(f"BENCH beneficiary_list_queries_25 {counts[25]} queries")
    print(f"BENCH beneficiary_list_queries_100 {counts[100]} queries")


def main() -> None:
    setup_test_environment()  # the test client's host, as under pytest
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        run()
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
