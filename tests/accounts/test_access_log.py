"""The access log: what writes a row, with which fields; the admin page, its export, and the retention job."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import audit
from accounts.models import AccessAction, AccessEvent
from accounts.services import access_log_purge
from tests.conftest import login_form

pytestmark = pytest.mark.django_db
UA = "Mozilla/5.0 (X11; Linux x86_64) Chromium/140"


def _post_login(client, username, password):
    return client.post(reverse("login"), login_form(username, password), HTTP_USER_AGENT=UA, REMOTE_ADDR="10.1.2.3")


def test_a_sign_in_is_recorded_with_user_time_address_and_browser(client, staff):
    before = timezone.now()
    assert _post_login(client, "staff", "matkhau-123").status_code == 302
    event = AccessEvent.objects.get(action=AccessAction.LOGIN)
    assert (event.user, event.username, event.ip_address, event.user_agent) == (staff, "staff", "10.1.2.3", UA)
    assert event.created_at >= before


def test_a_failed_sign_in_is_recorded_with_the_typed_name_even_for_an_unknown_user(client, staff):
    _post_login(client, "staff", "wrong")
    _post_login(client, "khong-co-ai", "wrong")
    rows = list(AccessEvent.objects.filter(action=AccessAction.LOGIN_FAILED).order_by("pk"))
    assert [(r.username, r.user) for r in rows] == [("staff", staff), ("khong-co-ai", None)]
    assert not AccessEvent.objects.filter(action=AccessAction.LOGIN).exists()


def test_the_lockout_is_recorded_once_the_limit_is_reached(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "staff", "wrong")
    assert AccessEvent.objects.filter(action=AccessAction.LOCKOUT, user=staff, ip_address="10.1.2.3").count() == 1


def test_sign_out_and_password_change_are_recorded(client, staff, login):
    login(staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": "matkhau-123", "new_password1": "Ca-phe-sua-da-2026!", "new_password2": "Ca-phe-sua-da-2026!"},
    )
    assert response.status_code == 302
    client.post(reverse("logout"))
    actions = set(AccessEvent.objects.filter(user=staff).values_list("action", flat=True))
    assert {AccessAction.PASSWORD_CHANGE, AccessAction.LOGOUT} <= actions


def test_a_refused_password_change_is_not_recorded(client, staff, login):
    login(staff)
    client.post(reverse("password_change"), {"old_password": "wrong", "new_password1": "x", "new_password2": "x"})
    assert not AccessEvent.objects.filter(action=AccessAction.PASSWORD_CHANGE).exists()


def test_the_first_sign_in_from_a_browser_sends_one_mail_and_the_second_none(
    client, staff, django_capture_on_commit_callbacks, settings
):
    settings.NEW_BROWSER_EMAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        _post_login(client, "staff", "matkhau-123")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff.email]
    assert "10.1.2.3" in mail.outbox[0].body and "trình duyệt" in mail.outbox[0].subject
    client.post(reverse("logout"))
    with django_capture_on_commit_callbacks(execute=True):
        _post_login(client, "staff", "matkhau-123")
    assert len(mail.outbox) == 1


def test_record_takes_the_proxy_address_only_when_proxy_headers_are_trusted(rf, staff, settings):
    request = rf.get("/x", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9", REMOTE_ADDR="172.18.0.5")
    request.user = staff
    assert audit.record(request, AccessAction.DOWNLOAD, "tệp").ip_address == "172.18.0.5"
    settings.TRUST_PROXY_HEADERS = True
    event = audit.record(request, AccessAction.DOWNLOAD, "tệp")
    assert (event.ip_address, event.user, event.what, event.path) == ("203.0.113.9", staff, "tệp", "/x")


def test_only_an_admin_sees_the_log_page(client, login, staff, leader, officer_a, juror, admin_user):
    url = reverse("access_log")
    assert client.get(url).status_code == 302
    for user in (staff, leader, officer_a, juror):
        login(user)
        assert client.get(url).status_code == 403
        assert client.get(reverse("access_log_export")).status_code == 403
    login(admin_user)
    assert client.get(url).status_code == 200


def test_the_log_page_filters_by_action_and_user(client, login, admin_user, staff, rf):
    request = rf.get("/")
    audit.record(request, AccessAction.DOWNLOAD, "Giấy chứng nhận 12", user=staff)
    audit.record(request, AccessAction.LOGIN_FAILED, username="ai-do")
    login(admin_user)
    page = client.get(reverse("access_log"), {"action": "download"}).text
    assert "Giấy chứng nhận 12" in page and "ai-do" not in page
    page = client.get(reverse("access_log"), {"user": "ai-d"}).text
    assert "ai-do" in page and "Giấy chứng nhận 12" not in page
    bad = client.get(reverse("access_log"), {"date_from": "02/01/2026", "date_to": "01/01/2026"})
    assert "Ngày bắt đầu phải trước ngày kết thúc" in bad.text


def test_the_export_is_filtered_inert_and_itself_recorded(client, login, admin_user, rf):
    request = rf.get("/", HTTP_USER_AGENT='=HYPERLINK("http://x")')
    audit.record(request, AccessAction.LOGIN_FAILED, username="=cmd")
    audit.record(request, AccessAction.DOWNLOAD, "khác", username="someone")
    login(admin_user)
    response = client.get(reverse("access_log_export"), {"action": "login_failed"})
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][1] == "'=cmd" and rows[1][6].startswith("'=")
    export = AccessEvent.objects.get(action=AccessAction.EXPORT)
    assert export.user == admin_user and "1 dòng" in export.what


def test_the_retention_job_removes_only_rows_older_than_the_setting(settings, rf):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    old = audit.record(rf.get("/"), AccessAction.LOGIN_FAILED, username="cu")
    recent = audit.record(rf.get("/"), AccessAction.LOGIN_FAILED, username="moi")
    AccessEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=31))
    AccessEvent.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timezone.timedelta(days=29))
    assert access_log_purge() == 1
    assert list(AccessEvent.objects.values_list("username", flat=True)) == ["moi"]
    assert access_log_purge() == 0


def test_the_retention_job_is_scheduled_and_zero_keeps_everything(settings, rf):
    assert settings.CELERY_BEAT_SCHEDULE["accounts-purge-access-log"]["task"] == "accounts.tasks.purge_access_log"
    settings.ACCESS_LOG_RETENTION_DAYS = 0
    old = audit.record(rf.get("/"), AccessAction.LOGIN_FAILED, username="cu")
    AccessEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=4000))
    from accounts.tasks import purge_access_log

    assert purge_access_log.apply().get() == 0
    assert AccessEvent.objects.count() == 1
