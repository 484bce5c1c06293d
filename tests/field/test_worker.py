"""The problem e-mail goes through the broker to a real worker after the report is committed."""

import time
import uuid

import pytest

from field import services
from field.models import FieldReport
from tests.conftest import AREA_A
from tests.factories import UserFactory, unit

pytestmark = pytest.mark.worker


def test_a_real_worker_notifies_the_responsible_staff_after_commit(celery_worker, transactional_db):
    from tests.factories import ProjectFactory

    staff = UserFactory(role="staff")
    officer = UserFactory(role="area_officer", areas=[unit(AREA_A)])
    project = ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff)
    report, _ = services.field_report_save(
        actor=officer,
        client_id=uuid.uuid4(),
        project=project,
        data={"visit_date": project.contract_date, "has_problem": True, "problem": "Máy hỏng"},
        submit=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if FieldReport.objects.get(pk=report.pk).problem_notified_at is not None:
            break
        time.sleep(0.3)
    report.refresh_from_db()
    assert report.problem_notified_at is not None and report.responsible_staff == staff
