"""Password reset requests are rate limited per address and per account (django-ratelimit): limit + 1 is refused."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AccessAction, AccessEvent

pytestmark = pytest.mark.django_db


def _ask(client, email, ip="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_the_request_after_the_limit_from_one_address_is_refused_in_vietnamese(client, staff, settings):
    settings.PASSWORD_RESET_RATE = "3/h"
    emails = [f"nobody{i}@example.vn" for i in range(3)] + [staff.email]
    answers = [_ask(client, e).status_code for e in emails]
    assert answers == [302, 302, 302, 429]
    refused = _ask(client, staff.email)
    assert "quá nhiều yêu cầu" in refused.text
    assert mail.outbox == []  # the fourth, for a real account, sent nothing


def test_the_request_after_the_limit_for_one_account_is_refused_from_any_address(client, staff, settings):
    settings.PASSWORD_RESET_RATE = "3/h"
    answers = [_ask(client, staff.email.upper(), ip=f"10.0.0.{i}").status_code for i in range(1, 5)]
    assert answers == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    assert AccessEvent.objects.filter(action=AccessAction.PASSWORD_RESET_REQUEST).count() == 3


def test_another_account_from_another_address_is_not_held_back(client, staff, leader, settings):
    settings.PASSWORD_RESET_RATE = "1/h"
    assert _ask(client, staff.email, ip="10.0.0.1").status_code == 302
    assert _ask(client, leader.email, ip="10.0.0.2").status_code == 302
    assert len(mail.outbox) == 2


def test_showing_the_form_is_not_counted(client, settings):
    settings.PASSWORD_RESET_RATE = "1/h"
    for _ in range(3):
        assert client.get(reverse("password_reset")).status_code == 200
    assert _ask(client, "a@example.vn").status_code == 302
