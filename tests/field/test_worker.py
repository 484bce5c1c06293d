"""The problem e-mail goes through the outbox and the broker to a real worker after the report is committed."""

import time
import uuid

import pytest

from core.models import OutboxMessage
from field import services
from notifications.models import EmailDelivery
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
    report.refresh_from_db()
    assert report.problem_notified_at is not None and report.responsible_staff == staff
    delivery = EmailDelivery.objects.get(notification__recipient=staff, notification__event="field_problem")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        delivery.refresh_from_db()
        if delivery.sent_at is not None:
            break
        time.sleep(0.3)
    assert delivery.sent_at is not None
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
