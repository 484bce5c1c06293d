"""Field reports, problem list and the overdue reminder job, on a throwaway database.

DATABASE_URL=postgres://… .venv/bin/python bench/field.py
"""

import os
import tempfile
import time
import uuid
from datetime import timedelta

import _common  # noqa: F401 — the project on sys.path, the settings, django.setup() (bench/_common.py)
from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

N_REPORTS = int(os.environ.get("BENCH_REPORTS", 2000))
N_ACTIONS = int(os.environ.get("BENCH_ACTIONS", 1000))


def _median(runs):
    runs = sorted(runs)
    return runs[len(runs) // 2] * 1000


def main() -> None:
    setup_test_environment()  # test client host, in-memory e-mail
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-field-")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.roles import Role
        from field import services
        from field.models import FieldReport
        from tests.conftest import AREA_A
        from tests.factories import UserFactory, unit
        from tests.field.helpers import make_project, photo

        staff = UserFactory(username="bench-staff", role=Role.STAFF)
        officer = UserFactory(username="bench-officer", role=Role.AREA_OFFICER, areas=[unit(AREA_A)])
        projects = [make_project(area=AREA_A, created_by=staff) for _ in range(50)]
        today = timezone.localdate()

        # Plain submissions (no photo), then the retry of one of them.
        t0 = time.perf_counter()
        for i in range(N_REPORTS):
            services.field_report_save(
                actor=officer,
                client_id=uuid.uuid4(),
                project=projects[i % 50],
                data={
                    "visit_date": today,
                    "observations": f"Báo cáo {i}",
                    "has_problem": i % 4 == 0,
                    "problem": "Vướng mắc" if i % 4 == 0 else "",
                },
                outputs=[{"output": o, "observed": True, "note": "SN"} for o in projects[i % 50].outputs.all()],
                submit=True,
            )
        print(f"BENCH report_submit_mean {(time.perf_counter() - t0) / N_REPORTS * 1000:.2f} ms")

        retry_id = FieldReport.objects.first().client_id
        runs = []
        for _ in range(50):
            t1 = time.perf_counter()
            services.field_report_save(actor=officer, client_id=retry_id, project=projects[0], data={}, submit=True)
            runs.append(time.perf_counter() - t1)
        print(f"BENCH report_retry_median {_median(runs):.2f} ms")

        # Submissions with one 12 MP phone photo (check, EXIF, resize, thumbnail).
        runs = []
        for _ in range(10):
            upload = photo("p.jpg", size=(4000, 3000), gps=(20.93, 106.68))
            t1 = time.perf_counter()
            services.field_report_save(
                actor=officer,
                client_id=uuid.uuid4(),
                project=projects[1],
                data={"visit_date": today},
                photos=[upload],
                submit=True,
            )
            runs.append(time.perf_counter() - t1)
        print(f"BENCH report_with_12mp_photo_median {_median(runs):.0f} ms")

        client = Client()
        client.force_login(staff)
        for label, url, params in [
            ("problem_list", "/kiem-tra/van-de/", {"per_page": 100}),
            ("staff_home", "/", {}),
            ("project_field_page", f"/kiem-tra/de-an/{projects[0].pk}/", {}),
        ]:
            client.get(url, params)
            runs = []
            for _ in range(10):
                t1 = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(url, params)
                runs.append(time.perf_counter() - t1)
                assert response.status_code == 200, (url, response.status_code)
            print(f"BENCH {label}_median {_median(runs):.1f} ms")
            print(f"BENCH {label}_queries {len(ctx)} queries")

        # The daily reminder: N overdue actions, first run sends N, second sends none.
        owners = [UserFactory(role=Role.STAFF) for _ in range(20)]
        actions = [
            {"description": f"Việc {i}", "owner": owners[i % 20], "due_date": today - timedelta(days=1 + i % 30)}
            for i in range(N_ACTIONS)
        ]
        services.inspection_save(
            actor=staff,
            project=projects[2],
            data={"kind": "kiem_tra", "status": "done", "planned_date": today, "done_date": today},
            actions=actions,
        )
        mail.outbox = []
        t1 = time.perf_counter()
        sent = services.followup_remind_overdue()
        first = time.perf_counter() - t1
        t1 = time.perf_counter()
        again = services.followup_remind_overdue()
        second = time.perf_counter() - t1
        assert sent == N_ACTIONS and again == 0 and len(mail.outbox) == N_ACTIONS
        print(f"BENCH reminder_first_run {first * 1000:.0f} ms for {N_ACTIONS} actions")
        print(f"BENCH reminder_second_run {second * 1000:.0f} ms (0 e-mails)")
        print(f"BENCH database {connection.vendor}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
