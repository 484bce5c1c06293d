import pytest


@pytest.mark.django_db
def test_healthz_answers_without_login_when_all_is_well(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker_as_503(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] != "ok"


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def _redis_url_or_skip():
    import os

    import redis

    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true và Redis không chạy", pytrace=False)
        pytest.skip("Redis không chạy")
    return url


@pytest.fixture
def broker(settings):
    from core import heartbeat

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = _redis_url_or_skip()
    client = heartbeat._redis()
    for key in client.scan_iter(match=heartbeat.key_prefix() + "*"):
        client.delete(key)
    yield client
    for key in client.scan_iter(match=heartbeat.key_prefix() + "*"):
        client.delete(key)


@pytest.mark.django_db
def test_healthz_reports_the_worker_separately(client, broker):
    from datetime import timedelta

    from django.utils import timezone

    from core import heartbeat

    body = client.get("/healthz").json()
    assert body["status"] == "ok"  # no worker yet: reported, the web itself stays healthy
    assert body["checks"]["worker"]["status"] == "absent"

    heartbeat.beat("worker-1@test")
    worker = client.get("/healthz").json()["checks"]["worker"]
    assert worker["status"] == "ok" and "worker-1@test" in worker["workers"]

    old = timezone.now() - timedelta(seconds=heartbeat.STALE_AFTER_SECONDS + 10)
    broker.set(heartbeat.key_prefix() + "worker-1@test", old.isoformat())
    worker = client.get("/healthz").json()["checks"]["worker"]
    assert worker["status"] == "stale" and worker["last_seen"] == old.isoformat()


@pytest.mark.django_db
def test_healthz_in_embedded_mode_says_eager(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert client.get("/healthz").json()["checks"]["worker"] == {"status": "eager"}


def test_beat_schedule_sends_the_heartbeat():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == "core.heartbeat.beat"
    from khuyencong.celery import app

    app.loader.import_default_modules()
    assert "core.heartbeat.beat" in app.tasks
