"""Đề án list page and transitions: time per list render and per transition, on a throwaway database.

DATABASE_URL=postgres://… .venv/bin/python bench/projects.py
"""

import os
import time

import _common  # noqa: F401 — the project on sys.path, the settings, django.setup() (bench/_common.py)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402

N_PROJECTS = int(os.environ.get("BENCH_PROJECTS", 2000))


def main() -> None:
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.roles import Role
        from projects.models import ProjectStatus
        from projects.services import project_transition
        from tests.factories import BeneficiaryFactory, ProjectFactory, UserFactory

        staff = UserFactory(username="bench-staff", role=Role.STAFF)
        beneficiaries = [BeneficiaryFactory() for _ in range(200)]
        start = time.perf_counter()
        projects = [ProjectFactory(beneficiaries=beneficiaries[i % 200 : i % 200 + 2]) for i in range(N_PROJECTS)]
        print(f"BENCH projects_seeded {N_PROJECTS} rows ({time.perf_counter() - start:.1f} s)")

        client = Client()
        client.force_login(staff)
        client.get("/de-an/")
        for label, params in [
            ("list_page", {}),
            ("list_search", {"q": "may moc so 12"}),
            ("list_100", {"per_page": 100}),
        ]:
            runs = []
            for _ in range(10):
                t0 = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get("/de-an/", params)
                runs.append(time.perf_counter() - t0)
                assert response.status_code == 200
            runs.sort()
            print(f"BENCH {label}_median {runs[len(runs) // 2] * 1000:.1f} ms")
            print(f"BENCH {label}_queries {len(ctx)} queries")

        t0 = time.perf_counter()
        count = 200
        for project in projects[:count]:
            project_transition(actor=staff, project=project, to=ProjectStatus.REGISTERED)
        print(f"BENCH transition_mean {(time.perf_counter() - t0) / count * 1000:.2f} ms")
        print(f"BENCH database {connection.vendor}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
