"""A real Celery worker for the tests that exercise tasks through the broker (not eagerly).

It runs as a separate process on a queue of its own, against the test database, so it needs
PostgreSQL (an in-memory SQLite test database cannot be shared) and a broker. Tests using it
must commit their data: use the `transactional_db` fixture. With CI=true a missing service is
a failure, never a skip.

Under pytest-xdist each xdist worker that runs such a test starts its own Celery worker: on that xdist worker's
test database (pytest-django's `_gwN` suffix, read from the connection after set-up), on a queue of its own, with
its own MEDIA_ROOT and Redis key prefix (KC_TEST_KEY_PREFIX, inherited from the environment).
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true và {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker:
        _unavailable("CELERY_BROKER_URL chưa đặt: không có broker cho worker thật")
    if connection.vendor != "postgresql":
        _unavailable("worker thật cần PostgreSQL (DATABASE_URL) để dùng chung CSDL kiểm thử")

    from khuyencong.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings.test",
        "DATABASE_URL": "postgres://{}:{}@{}:{}/{}".format(
            db["USER"], db["PASSWORD"] or "", db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["NAME"]
        ),
        "CELERY_QUEUE": queue,
        # Its own media folder (per xdist worker, never the checkout's media/): tests that read its files point
        # their MEDIA_ROOT at celery_worker.env["MEDIA_ROOT"].
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("worker-media")),
        "CELERY_BROKER_URL": broker,
        "PYTHONUNBUFFERED": "1",  # its log shows how far it got, even when it is stopped before it is ready
    }
    # The worker's output goes to a file, named on failure, so a broken task can be diagnosed.
    log = tempfile.NamedTemporaryFile("w", prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "khuyencong",
        "worker",
        "-Q",
        queue,
        "-c",
        "2",
        "-l",
        "info",
        "--without-gossip",
        "--without-mingle",
        "--hostname",
        f"{queue}@%h",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    settings.CELERY_TASK_DEFAULT_QUEUE = queue

    from core.tasks import ping

    # A bound, not a measurement: on a loaded 2-core machine (xdist, other runs) the worker's start-up takes long.
    deadline = time.monotonic() + 180
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"Celery worker thoát với mã {process.returncode}; xem {log.name}", pytrace=False)
            try:
                if ping.apply_async(queue=queue).get(timeout=3) == "pong":
                    break
            except Exception:
                if time.monotonic() > deadline:
                    raise
        yield WorkerHandle(process, queue, command, env)
    finally:
        app.conf.task_default_queue = previous_queue
        handle_stop(process)


class WorkerHandle:
    def __init__(self, process, queue, command, env):
        self.process, self.queue, self.command, self.env = process, queue, command, env


def handle_stop(process) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
