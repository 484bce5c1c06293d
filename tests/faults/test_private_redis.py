"""Redis (the broker) stopped while people work: pages answer normally, a field report with a problem is saved and
answers like any other, its notice waits in the outbox, and once Redis is back the re-send hands it to a real worker,
which delivers it (the e-mail's `sent_at`). A private redis-server on a free port, stopped by its PID."""

import datetime
import os
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from core.models import OutboxMessage
from field.models import FieldReport
from notifications.models import EmailDelivery, Notification
from tests.conftest import AREA_A
from tests.factories import ProjectFactory
from tests.faults.servers import ROOT, PrivateRedis, wait_until
from tests.field.helpers import report_form

pytestmark = pytest.mark.faults


@pytest.fixture
def private_broker(transactional_db, monkeypatch, settings, tmp_path):
    """The app's Celery producer (this process) and a real worker (a subprocess, on the test database) both on a
    private Redis, with a queue of this test's own."""
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL: worker thật dùng chung CSDL kiểm thử")
    from khuyencong.celery import app

    server = PrivateRedis().start()
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    # Celery's broker_url reads the CELERY_BROKER_URL environment variable before its own settings.
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)
    monkeypatch.setattr(app.conf, "task_default_queue", queue)
    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", False)
    monkeypatch.setattr(app.conf, "task_always_eager", False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = server.url
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    # Connections and producers are pooled per app: forget the shared broker's.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    assert app.connection_for_write().as_uri().startswith(server.url.rsplit("/", 1)[0])

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings.test",
        "DATABASE_URL": "postgres://{}:{}@{}:{}/{}".format(
            db["USER"], db["PASSWORD"] or "", db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["NAME"]
        ),
        "CELERY_QUEUE": queue,
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "khuyencong", "worker", "-Q", queue, "-P", "solo", "-l", "info"]
        + ["--without-gossip", "--without-mingle", "--hostname", f"{queue}@%h"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield server
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        log.close()
        server.stop()
        app._pool = None
        app.amqp._producer_pool = None


def test_a_problem_reported_while_redis_is_down_is_saved_and_its_notice_arrives_after(
    private_broker, login, officer_a, staff
):
    project = ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff)
    officer = login(officer_a)
    pages = [reverse("home"), reverse("field:index"), reverse("projects:detail", args=[project.pk])]
    assert all(officer.get(url).status_code == 200 for url in pages)

    private_broker.stop()  # SIGTERM to this redis-server's PID
    down_at = time.monotonic()
    statuses = [officer.get(url).status_code for url in pages]
    response = officer.post(
        reverse("field:report_create", args=[project.pk]),
        report_form(project, has_problem="on", problem="Lò sấy hỏng bộ điều nhiệt."),
    )
    statuses += [officer.get(url).status_code for url in pages]
    assert statuses == [200] * len(statuses)
    report = FieldReport.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == reverse("field:report_detail", args=[report.pk])
    assert officer.get(response["Location"]).status_code == 200
    # Saved whole, the staff member's notice written with it; only the e-mail waits for the broker.
    assert report.has_problem and report.problem_notified_at is not None
    notice = Notification.objects.get(recipient=staff, event="field_problem")
    delivery = EmailDelivery.objects.get(notification=notice)
    assert delivery.sent_at is None
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert waiting.count() >= 1 and all(m.last_error for m in waiting)

    private_broker.start()  # the same port again
    assert time.monotonic() - down_at < 40
    from core.outbox import resend_unsent

    assert resend_unsent(older_than=datetime.timedelta(0)) == waiting.count()
    # The worker (started with the fixture) may still be booting on a busy machine: give it time to consume.
    assert wait_until(
        lambda: EmailDelivery.objects.filter(pk=delivery.pk, sent_at__isnull=False).exists(), timeout=150, step=0.5
    ), "the worker did not deliver the notice after Redis came back"
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=staff, event="field_problem").count() == 1
