"""Tasks go through Redis to a real worker that reads the same PostgreSQL database."""

import pytest

from areas.models import AdministrativeUnit
from areas.tasks import count_units

pytestmark = pytest.mark.worker


def test_a_real_worker_answers_through_the_broker_and_sees_the_test_database(celery_worker, transactional_db):
    AdministrativeUnit.objects.create(code="99999", name="Xã Thử Nghiệm", short_name="Thử Nghiệm", unit_type="xa")
    expected = AdministrativeUnit.objects.count()
    result = count_units.apply_async(queue=celery_worker.queue)
    assert result.get(timeout=30) == expected
