"""Database or broker unreachable: every page answers a Vietnamese 503 in the site's layout with Retry-After, never a
raw 500; other failures stay 500."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.test import Client
from django.urls import path

from core.errors import is_service_unavailable


@pytest.fixture
def database_down():
    """Point the default connection at an address where nothing listens (SQLite: a file that cannot be opened)."""
    saved = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        # The test database lives in memory and closing would lose it: set the open handle aside instead.
        handle, connection.connection = connection.connection, None
        connection.settings_dict["NAME"] = "/nonexistent-dir/khuyencong.sqlite3"
    else:
        handle = None
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    yield
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)
    if handle is not None:
        connection.connection = handle
    else:
        connection.close()


@pytest.mark.parametrize("url", ["/", "/de-an/", "/co-so/", "/accounts/login/"])
def test_database_down_answers_vietnamese_503_with_retry_after(transactional_db, staff, url, database_down):
    client = Client(raise_request_exception=False)
    # The session cookie of a logged-in user: the session and the user are read from the database first.
    client.cookies["sessionid"] = "x" * 32
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Hệ thống đang tạm gián đoạn, vui lòng thử lại sau ít phút" in body
    assert 'href="/static/css/app.css"' in body or "app.css" in body  # inside the site's layout


@login_not_required
def _boom(request):
    raise ValueError("không phải lỗi kết nối")


@login_not_required
def _broker_down(request):
    from kombu.exceptions import OperationalError

    raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")


urlpatterns = [path("boom/", _boom), path("broker/", _broker_down)]
handler500 = "core.errors.server_error"


@pytest.mark.urls("tests.core.test_unavailable")
def test_other_errors_stay_500_and_broker_errors_are_503():
    client = Client(raise_request_exception=False)
    assert client.get("/boom/").status_code == 500
    response = client.get("/broker/")
    assert response.status_code == 503 and response["Retry-After"] == "30"


def test_wrapped_connection_error_is_recognised():
    from django.db import OperationalError

    try:
        try:
            raise OperationalError("connection refused")
        except OperationalError as inner:
            raise RuntimeError("while rendering") from inner
    except RuntimeError as outer:
        assert is_service_unavailable(outer)
    assert not is_service_unavailable(ValueError("x"))


@pytest.mark.django_db
def test_web_statements_have_a_time_limit_on_postgresql(settings):
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.DB_STATEMENT_TIMEOUT_MS // 1000}s"


def test_compose_lifts_the_limit_only_for_background_processes():
    import yaml
    from django.conf import settings

    services = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())["services"]
    for name in ("worker", "beat", "backup"):
        assert services[name]["environment"]["DB_STATEMENT_TIMEOUT_MS"] == "0", name
    assert "DB_STATEMENT_TIMEOUT_MS" not in services["web"].get("environment", {})
