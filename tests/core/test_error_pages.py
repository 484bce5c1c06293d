"""Error pages are Vietnamese, inside the site's layout, with a way back; the 500 page needs no database."""

import pytest
from django.db import connections
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_vietnamese_404_in_the_layout(login, staff):
    response = login(staff).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert 'data-testid="error-page"' in html and 'data-testid="user-menu"' in html
    assert f'href="{reverse("home")}"' in html
    assert "Not Found" not in html


def test_a_forbidden_action_is_a_vietnamese_403_with_its_reason(login, juror):
    response = login(juror).get(reverse("budgets:summary"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Bạn không có quyền" in html and 'data-testid="error-page"' in html
    assert "403 Forbidden" not in html and "<h1>403" not in html
    assert f'href="{reverse("home")}"' in html


def test_a_bad_request_is_a_vietnamese_400(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="bad host!")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_the_500_page_renders_without_the_database(monkeypatch):
    def no_database(*args, **kwargs):
        raise AssertionError("the 500 page touched the database")

    for connection in connections.all():
        monkeypatch.setattr(connection, "cursor", no_database)
    html = render_to_string("500.html")
    assert "Hệ thống gặp lỗi" in html and 'href="/"' in html
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "Lỗi 500" in response.content.decode()
