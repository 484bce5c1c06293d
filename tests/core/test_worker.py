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


def test_the_real_worker_writes_its_heartbeat_and_healthz_reports_it(celery_worker, transactional_db, client, settings):
    import time

    from core import heartbeat

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = celery_worker.env["CELERY_BROKER_URL"]
    redis = heartbeat._redis()
    for key in redis.scan_iter(match=heartbeat.key_prefix() + "*"):
        redis.delete(key)
    heartbeat.beat.apply_async(queue=celery_worker.queue)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and heartbeat.worker_status()["status"] != "ok":
        time.sleep(0.2)
    worker = client.get("/healthz").json()["checks"]["worker"]
    assert worker["status"] == "ok"
    assert any(host.startswith("celery@") or "@" in host for host in worker["workers"])
