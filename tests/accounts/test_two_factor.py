"""Second factor (django-two-factor-auth): who must have one, setup after sign-in, sign-in with a code or a
recovery code, limits on code attempts, the password again before factor changes, and the admin's reset."""

import time
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccessAction, AccessEvent
from accounts.second_factor import REAUTH_SESSION_KEY, second_factor_reset
from tests.conftest import login_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def enforced(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _token_step(client, code):
    return client.post(reverse("login"), {"login_view-current_step": "token", "token-otp_token": code})


@pytest.mark.parametrize("persona", ["staff", "leader", "admin_user"])
def test_a_department_role_without_a_factor_is_held_on_the_setup_page(request, client, enforced, persona):
    user = request.getfixturevalue(persona)
    client.post(reverse("login"), login_form(user.username, "matkhau-123"))
    for name in ("home", "beneficiaries:list", "access_log", "profile"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("two_factor:setup"), name
    assert client.get(reverse("two_factor:setup")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


@pytest.mark.parametrize("persona", ["officer_a", "juror"])
def test_officers_and_jurors_are_not_forced(request, client, enforced, persona):
    user = request.getfixturevalue(persona)
    client.post(reverse("login"), login_form(user.username, "matkhau-123"))
    assert client.get(reverse("home")).status_code == 200


def test_the_embedded_demo_does_not_force_anyone(client, staff, settings):
    settings.TWO_FACTOR_REQUIRED = False
    client.post(reverse("login"), login_form("staff", "matkhau-123"))
    assert client.get(reverse("home")).status_code == 200


def test_the_demo_settings_turn_enforcement_off_and_production_leaves_it_on():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert (
        'TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)'
        in (root / "khuyencong/settings/local.py").read_text()
    )
    assert (
        'TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)'
        in (root / "khuyencong/settings/base.py").read_text()
    )
    assert "TWO_FACTOR_REQUIRED" not in (root / "khuyencong/settings/production.py").read_text()


def test_setting_up_an_authenticator_app_through_the_wizard_frees_the_user(client, staff, enforced):
    client.post(reverse("login"), login_form("staff", "matkhau-123"))
    url = reverse("two_factor:setup")
    client.post(url, {"setup_view-current_step": "welcome"})
    page = client.post(url, {"setup_view-current_step": "method", "method-method": "generator"})
    assert page.status_code == 200
    key = client.session["django_two_factor-qr_secret_key"]
    wrong = client.post(url, {"setup_view-current_step": "generator", "generator-token": "000000"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.exists()
    code = f"{totp(b32decode(key)):06d}"
    done = client.post(url, {"setup_view-current_step": "generator", "generator-token": code})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert client.get(reverse("home")).status_code == 200
    change = AccessEvent.objects.get(action=AccessAction.MFA_CHANGE)
    assert change.user == staff and change.what == "setup"


def test_sign_in_with_a_code_after_the_password(client, staff, enforced):
    device = _device(staff)
    step = client.post(reverse("login"), login_form("staff", "matkhau-123"))
    assert step.status_code == 200 and 'name="token-otp_token"' in step.text
    assert "_auth_user_id" not in client.session
    assert not AccessEvent.objects.filter(action=AccessAction.LOGIN).exists()
    assert _token_step(client, _code(device)).status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get(reverse("home")).status_code == 200
    assert AccessEvent.objects.filter(action=AccessAction.LOGIN, user=staff).count() == 1


def test_a_wrong_code_does_not_sign_in(client, staff, enforced):
    _device(staff)
    client.post(reverse("login"), login_form("staff", "matkhau-123"))
    response = _token_step(client, "123456")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_officer_who_chose_a_factor_is_asked_for_it_too(client, officer_a, settings):
    settings.TWO_FACTOR_REQUIRED = False
    _device(officer_a)
    step = client.post(reverse("login"), login_form("officer_a", "matkhau-123"))
    assert step.status_code == 200 and "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client, staff, enforced):
    _device(staff)
    backup = StaticDevice.objects.create(user=staff, name="backup")
    StaticToken.objects.create(device=backup, token="abcd1234")
    client.post(reverse("login"), login_form("staff", "matkhau-123"))
    client.post(reverse("login"), {"login_view-current_step": "token", "wizard_goto_step": "backup"})
    done = client.post(reverse("login"), {"login_view-current_step": "backup", "backup-otp_token": "abcd1234"})
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)
    assert not StaticToken.objects.exists()


def test_code_attempts_beyond_the_limit_are_refused_per_address(client, staff, enforced):
    enforced.TWO_FACTOR_ATTEMPT_RATE = "3/h"
    enforced.OTP_TOTP_THROTTLE_FACTOR = 0  # isolate our limit from django-otp's growing delay
    device = _device(staff)
    client.post(reverse("login"), login_form("staff", "matkhau-123"))
    answers = [_token_step(client, "000000").status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    refused = _token_step(client, _code(device))  # limit + 1, even with the right code
    assert refused.status_code == 429 and "quá nhiều yêu cầu" in refused.text
    assert "_auth_user_id" not in client.session


def test_code_attempts_beyond_the_limit_are_refused_per_account_from_another_address(client, staff, enforced):
    enforced.TWO_FACTOR_ATTEMPT_RATE = "3/h"
    enforced.OTP_TOTP_THROTTLE_FACTOR = 0
    device = _device(staff)
    client.post(reverse("login"), login_form("staff", "matkhau-123"))
    for i in range(3):
        client.post(
            reverse("login"), {"login_view-current_step": "token", "token-otp_token": "0"}, REMOTE_ADDR=f"10.9.0.{i}"
        )
    refused = client.post(
        reverse("login"),
        {"login_view-current_step": "token", "token-otp_token": _code(device)},
        REMOTE_ADDR="10.9.9.9",
    )
    assert refused.status_code == 429


def test_django_otp_throttles_a_device_after_a_failure(client, staff, enforced):
    device = _device(staff)
    client.post(reverse("login"), login_form("staff", "matkhau-123"))
    _token_step(client, "000000")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert _token_step(client, _code(device)).status_code == 200  # inside the wait: even the right code fails
    assert "_auth_user_id" not in client.session


def _signed_in_with_factor(client, user):
    device = _device(user)
    client.post(reverse("login"), login_form(user.username, "matkhau-123"))
    _token_step(client, _code(device))
    assert client.session["_auth_user_id"] == str(user.pk)
    return device


def test_removing_a_factor_needs_the_password_again_after_a_while(client, staff, enforced):
    _signed_in_with_factor(client, staff)
    session = client.session
    session[REAUTH_SESSION_KEY] = int(time.time()) - 3600
    session.save()
    disable = reverse("two_factor:disable")
    response = client.get(disable)
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauth"))
    wrong = client.post(reverse("reauth"), {"password": "sai", "next": disable})
    assert wrong.status_code == 200 and "Mật khẩu không đúng" in wrong.text
    ok = client.post(reverse("reauth"), {"password": "matkhau-123", "next": disable})
    assert ok.status_code == 302 and ok["Location"] == disable
    assert client.post(disable, {"understand": "on"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert AccessEvent.objects.filter(action=AccessAction.MFA_CHANGE, user=staff, what="disable").exists()


def test_the_reauth_page_refuses_an_outside_next(client, staff, login):
    login(staff)
    response = client.post(reverse("reauth"), {"password": "matkhau-123", "next": "https://evil.example/"})
    assert response["Location"] == reverse("two_factor:profile")


def test_a_session_from_before_the_factor_must_sign_in_again(client, staff, enforced, login):
    login(staff)  # signed in without a factor (e.g. before enforcement)
    _device(staff)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_an_admin_resets_another_users_factors_and_it_is_recorded(rf, admin_user, staff, leader):
    _device(staff)
    StaticDevice.objects.create(user=staff, name="backup")
    _device(leader)
    request = rf.post("/admin/", REMOTE_ADDR="10.2.2.2")
    request.user = admin_user
    assert second_factor_reset(actor=admin_user, user=staff, request=request) == 2
    assert not TOTPDevice.objects.filter(user=staff).exists() and not StaticDevice.objects.filter(user=staff).exists()
    assert TOTPDevice.objects.filter(user=leader).exists()
    event = AccessEvent.objects.get(action=AccessAction.MFA_RESET)
    assert (event.user, event.what, event.ip_address) == (admin_user, "staff", "10.2.2.2")


def test_only_an_admin_may_reset_factors(rf, staff, leader):
    from django.core.exceptions import PermissionDenied

    _device(leader)
    with pytest.raises(PermissionDenied):
        second_factor_reset(actor=staff, user=leader)
    assert TOTPDevice.objects.filter(user=leader).exists()
    assert not AccessEvent.objects.filter(action=AccessAction.MFA_RESET).exists()


def test_the_department_admin_resets_factors_on_the_user_page(client, admin_user, staff, login):
    _device(staff)
    client = login(admin_user)
    page = client.get(reverse("administration:user_edit", args=[staff.pk]))
    assert reverse("administration:user_reset_second_factor", args=[staff.pk]) in page.text
    response = client.post(reverse("administration:user_reset_second_factor", args=[staff.pk]), follow=True)
    assert response.status_code == 200 and "Đã xóa 1 thiết bị xác thực" in response.text
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert AccessEvent.objects.get(action=AccessAction.MFA_RESET).what == "staff"


def test_the_reset_page_refuses_a_leader(client, leader, staff, login):
    _device(staff)
    assert login(leader).post(reverse("administration:user_reset_second_factor", args=[staff.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_the_admin_action_resets_factors(client, admin_user, staff, login):
    _device(staff)
    admin_user.is_superuser = True  # the Django admin is for technical support (superusers) only
    admin_user.save()
    client = login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [staff.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert AccessEvent.objects.get(action=AccessAction.MFA_RESET).what == "staff"


def test_the_admin_sign_in_page_goes_through_ours(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_fragment_asked_by_the_page_gets_nothing_until_the_factor_is_set_up(client, staff, login, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = login(staff)
    assert client.get(reverse("notifications:bell")).status_code == 302  # a page: to the setup
    assert client.get(reverse("notifications:bell"), headers={"HX-Request": "true"}).status_code == 204
