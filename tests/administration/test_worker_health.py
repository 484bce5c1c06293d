"""A stuck or absent worker shows on the admin's home pages as a Vietnamese warning saying what to do."""

import os
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core import heartbeat


def _redis_url_or_skip():
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
    """The real Redis, under a key prefix of this test only (tests in parallel never see each other's workers)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = _redis_url_or_skip()
    settings.WORKER_HEARTBEAT_KEY_PREFIX = f"khuyencong:test-heartbeat:{uuid.uuid4().hex}:"
    client = heartbeat._redis()
    yield client
    for key in client.scan_iter(match=heartbeat.key_prefix() + "*"):
        client.delete(key)


def _seen(client, host, ago):
    when = timezone.now() - ago
    client.set(heartbeat.key_prefix() + host, when.isoformat(), ex=60)
    return when


def _warning(response):
    html = response.content.decode()
    assert response.status_code == 200
    return html


@pytest.mark.parametrize("page", ["home", "administration:index"])
def test_the_admin_is_told_no_worker_runs_and_how_to_start_one(login, admin_user, broker, page):
    html = _warning(login(admin_user).get(reverse(page)))
    assert 'data-testid="worker-health" data-status="absent"' in html
    assert "Không có bộ xử lý nền nào đang chạy." in html
    assert "docker compose up -d worker beat" in html


@pytest.mark.parametrize("page", ["home", "administration:index"])
def test_the_admin_is_told_the_worker_is_stuck_since_when_and_to_restart_it(login, admin_user, broker, page):
    when = _seen(broker, "celery@w1", timedelta(seconds=heartbeat.STALE_AFTER_SECONDS + 60))
    html = _warning(login(admin_user).get(reverse(page)))
    assert 'data-status="stale"' in html
    assert "Bộ xử lý nền đang bị treo." in html
    assert "docker compose restart worker" in html
    assert timezone.localtime(when).strftime("%H:%M %d/%m/%Y") in html


def test_a_worker_that_beat_recently_is_reported_quietly(login, admin_user, broker):
    _seen(broker, "celery@w1", timedelta(seconds=heartbeat.STALE_AFTER_SECONDS + 600))
    _seen(broker, "celery@w2", timedelta(seconds=5))  # one live worker is enough
    html = _warning(login(admin_user).get(reverse("home")))
    assert 'data-status="ok"' in html
    assert "Bộ xử lý nền hoạt động bình thường" in html
    assert "bị treo" not in html and "Không có bộ xử lý nền" not in html


def test_an_unreachable_broker_is_a_warning_not_a_500(login, admin_user, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    html = _warning(login(admin_user).get(reverse("home")))
    assert 'data-status="unreachable"' in html
    assert "Không kết nối được hàng đợi công việc (Redis)." in html


def test_eager_mode_shows_no_worker_warning(login, admin_user, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    html = _warning(login(admin_user).get(reverse("home")))
    assert 'data-testid="worker-health"' not in html


def test_a_leader_reading_the_reference_data_is_not_shown_the_worker_state(login, leader, broker):
    html = _warning(login(leader).get(reverse("administration:index")))
    assert 'data-testid="worker-health"' not in html


def test_staff_home_shows_no_worker_warning(login, staff, broker):
    html = _warning(login(staff).get(reverse("home")))
    assert 'data-testid="worker-health"' not in html
