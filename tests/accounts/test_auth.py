import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login_form

pytestmark = pytest.mark.django_db


def _try(client, username, password):
    return client.post(reverse("login"), login_form(username, password))


def test_repeated_failed_logins_lock_the_account_even_for_the_right_password(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, "staff", "wrong").status_code == 200
    assert _try(client, "staff", "wrong").status_code == 429  # the failure that reaches the limit locks
    locked = _try(client, "staff", "matkhau-123")
    assert locked.status_code == 429
    assert "tạm khóa" in locked.text
    assert "_auth_user_id" not in client.session


def test_a_few_failures_then_success_logs_in_and_resets_the_counter(client, staff, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, "staff", "wrong")
    response = _try(client, "staff", "matkhau-123")
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="staff").exists()


def test_a_wrong_password_keeps_the_user_name_and_explains_in_vietnamese(client, staff):
    response = _try(client, "staff", "wrong")
    assert "không đúng" in response.text
    assert 'value="staff"' in response.text


def test_password_reset_sends_a_link_that_sets_a_new_password(client, staff):
    response = client.post(reverse("password_reset"), {"email": staff.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Ca-phe-sua-da-2026!", "new_password2": "Ca-phe-sua-da-2026!"})
    assert done.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Ca-phe-sua-da-2026!")


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_an_idle_session_expires_and_the_next_request_asks_for_login(client, staff, login):
    login(staff)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.all().update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_each_request_extends_the_idle_deadline(client, staff, login, settings):
    login(staff)
    Session.objects.all().update(expire_date=timezone.now() + timezone.timedelta(seconds=30))
    client.get(reverse("home"))
    session = Session.objects.get()
    assert session.expire_date > timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_logout_needs_post_and_ends_the_session(client, staff, login):
    login(staff)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_a_user_switches_the_interface_to_english_and_it_sticks(client, staff, login):
    login(staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.language == "en"
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="vi")
    assert 'lang="en"' in page.text
    assert "Establishments" in page.text


def test_an_unknown_language_is_refused_and_nothing_changes(client, staff, login):
    login(staff)
    client.post(reverse("set_language"), {"language": "fr"})
    staff.refresh_from_db()
    assert staff.language == "vi"


def test_changing_language_needs_csrf(staff):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    assert csrf_client.post(reverse("set_language"), {"language": "en"}).status_code == 403
    staff.refresh_from_db()
    assert staff.language == "vi"


def test_an_offsite_next_is_ignored(client, staff, login):
    login(staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")
