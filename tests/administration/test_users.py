"""The admin's user pages: list with filters, create/edit with roles and areas, lock, password link, unlock."""

from axes.models import AccessAttempt
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from areas.models import AdministrativeUnit
from core.models import OutboxMessage
from tests.conftest import AREA_A
from tests.factories import UserFactory, first_commune, unit


def _current_commune():
    return AdministrativeUnit.objects.filter(valid_to__isnull=True, depth__gte=1).order_by("path").first()


def _form(**over):
    data = {
        "username": "cbxa01",
        "last_name": "Trần Thị",
        "first_name": "Hồng",
        "title": "Cán bộ khuyến công",
        "email": "hong@example.vn",
        "phone": "0912345678",
        "roles": [Role.AREA_OFFICER],
        "areas": [_current_commune().pk],
    }
    data.update(over)
    return data


def test_the_admin_creates_an_officer_with_areas_and_the_history_says_who(login, admin_user, eager):
    response = login(admin_user).post(reverse("administration:user_create"), _form())
    assert response.status_code == 302
    user = User.objects.get(username="cbxa01")
    assert user.get_full_name() == "Trần Thị Hồng" and not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [Role.AREA_OFFICER]
    assert list(user.areas.all()) == [_current_commune()]
    record = user.history.latest()
    assert record.history_user == admin_user
    assert "Cán bộ địa bàn" in record.history_change_reason and _current_commune().name in record.history_change_reason


def test_a_role_change_is_in_the_history_with_who_did_it(login, admin_user, officer_a):
    page = reverse("administration:user_edit", args=[officer_a.pk])
    client = login(admin_user)
    data = _form(username=officer_a.username, email=officer_a.email, roles=[Role.STAFF], areas=[])
    assert client.post(page, data).status_code == 302
    officer_a.refresh_from_db()
    assert set(officer_a.groups.values_list("name", flat=True)) == {Role.STAFF}
    assert not officer_a.areas.exists()
    record = officer_a.history.latest()
    assert record.history_user == admin_user
    assert "Cán bộ địa bàn → Chuyên viên Sở" in record.history_change_reason
    assert "bỏ" in record.history_change_reason
    assert "Cán bộ địa bàn → Chuyên viên Sở" in client.get(page).text


def test_an_officer_needs_an_area_and_bad_input_writes_nothing(login, admin_user):
    response = login(admin_user).post(reverse("administration:user_create"), _form(areas=[]))
    assert response.status_code == 200 and "cần ít nhất một địa bàn" in response.text
    response = login(admin_user).post(reverse("administration:user_create"), _form(email="không phải e-mail"))
    assert response.status_code == 200
    assert not User.objects.filter(username="cbxa01").exists()


def test_the_area_pickers_offer_current_communes_and_old_units_only_as_historical(login, admin_user):
    page = login(admin_user).get(reverse("administration:user_create")).text
    assert 'data-search-url="/dia-ban/tim/?current=1"' in page
    assert 'data-search-url="/quan-tri/don-vi/tim/?historical=1"' in page
    assert "Đơn vị trước 7/2025 (chỉ cho hồ sơ lịch sử)" in page
    # A pre-7/2025 district is refused as a current area, accepted as a historical one.
    old_district = unit(AREA_A)
    response = login(admin_user).post(reverse("administration:user_create"), _form(areas=[old_district.pk]))
    assert response.status_code == 200 and not User.objects.filter(username="cbxa01").exists()
    data = _form(areas=[], historical_areas=[old_district.pk])
    assert login(admin_user).post(reverse("administration:user_create"), data).status_code == 302
    assert list(User.objects.get(username="cbxa01").areas.all()) == [old_district]


def test_deactivating_keeps_the_user_and_reactivating_lets_them_back(login, admin_user, staff):
    client = login(admin_user)
    client.post(reverse("administration:user_set_active", args=[staff.pk, 0]), {"reason": "Nghỉ hưu"})
    staff.refresh_from_db()
    assert staff.is_active is False and User.objects.filter(pk=staff.pk).exists()
    assert "Khóa tài khoản: Nghỉ hưu" in staff.history.latest().history_change_reason
    client.post(reverse("administration:user_set_active", args=[staff.pk, 0]))  # repeated: no change
    assert staff.history.count() == User.objects.get(pk=staff.pk).history.count()
    client.post(reverse("administration:user_set_active", args=[staff.pk, 1]))
    staff.refresh_from_db()
    assert staff.is_active is True


def test_an_admin_cannot_lock_themselves(login, admin_user):
    response = login(admin_user).post(reverse("administration:user_set_active", args=[admin_user.pk, 0]))
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_the_password_link_is_emailed_after_commit(login, admin_user, staff, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(admin_user).post(reverse("administration:user_password_link", args=[staff.pk]))
    assert OutboxMessage.objects.get().sent_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff.email]
    assert "http://testserver.example/accounts/reset/" in mail.outbox[0].body
    assert "Đặt mật khẩu" in mail.outbox[0].subject


def test_no_password_link_for_a_locked_account(login, admin_user, staff):
    staff.is_active = False
    staff.save()
    response = login(admin_user).post(reverse("administration:user_password_link", args=[staff.pk]), follow=True)
    assert "Tài khoản đang bị khóa" in response.text and not OutboxMessage.objects.exists()


def test_the_admin_unlocks_an_account_locked_by_failed_logins(login, admin_user, staff, settings):
    AccessAttempt.objects.create(
        username=staff.username, ip_address="10.0.0.1", user_agent="x", failures_since_start=settings.AXES_FAILURE_LIMIT
    )
    client = login(admin_user)
    page = reverse("administration:user_edit", args=[staff.pk])
    assert "Mở khóa đăng nhập" in client.get(page).text
    client.post(reverse("administration:user_unlock", args=[staff.pk]))
    assert not AccessAttempt.objects.filter(username=staff.username).exists()
    assert "Mở khóa đăng nhập" not in client.get(page).text


def test_other_roles_and_anonymous_cannot_manage_users(login, staff, leader, officer_a, juror):
    urls = [
        reverse("administration:users"),
        reverse("administration:user_create"),
        reverse("administration:user_edit", args=[staff.pk]),
        reverse("administration:unit_search") + "?q=thuy",
    ]
    for user in (staff, leader, officer_a, juror):
        for url in urls:
            assert login(user).get(url).status_code == 403
        assert login(user).post(reverse("administration:user_set_active", args=[staff.pk, 0])).status_code == 403
    assert Client().get(urls[0]).status_code == 302
    staff.refresh_from_db()
    assert staff.is_active


def test_the_list_filters_by_search_role_area_and_state(login, admin_user, staff, officer_a, officer_b):
    client = login(admin_user)
    gone = UserFactory(username="gone", role=Role.STAFF, is_active=False)

    def names(**params):
        text = client.get(reverse("administration:users"), params).text
        return {u for u in ("staff", "officer_a", "officer_b", "gone") if f">{u}<" in text}

    assert names() == {"staff", "officer_a", "officer_b", "gone"}
    assert names(role=Role.AREA_OFFICER) == {"officer_a", "officer_b"}
    assert names(active="0") == {"gone"}
    assert names(q="officer_b") == {"officer_b"}
    staff.last_name, staff.first_name = "Trần Thị", "Hồng"
    staff.save()
    assert names(q="tran hong") == {"staff"}  # diacritics ignored
    assert names(last_login="never") == {"staff", "officer_a", "officer_b", "gone"}
    assert gone.pk


def test_the_area_filter_finds_officers_of_a_commune(login, admin_user, officer_a):
    commune = _current_commune()
    officer_c = UserFactory(username="officer_c", role=Role.AREA_OFFICER, areas=[commune])
    text = login(admin_user).get(reverse("administration:users"), {"area": commune.pk}).text
    assert ">officer_c<" in text and ">officer_a<" not in text
    assert officer_c.pk


def test_the_users_list_costs_the_same_queries_for_few_and_many_users(login, admin_user):
    client = login(admin_user)
    UserFactory.create_batch(3, role=Role.AREA_OFFICER, areas=[first_commune(AREA_A)])
    client.get(reverse("administration:users"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("administration:users"))
    UserFactory.create_batch(40, role=Role.AREA_OFFICER, areas=[first_commune(AREA_A)])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("administration:users"))
    assert len(few) == len(many)


def test_the_unit_picker_finds_current_communes_without_diacritics(login, admin_user):
    commune = _current_commune()
    word = commune.search_name.split()[-1]
    data = login(admin_user).get(reverse("administration:unit_search"), {"q": word}).json()
    assert str(commune.pk) in [r["value"] for r in data["results"]]
    assert all(AdministrativeUnit.objects.get(pk=r["value"]).valid_to is None for r in data["results"])
    old = login(admin_user).get(reverse("administration:unit_search"), {"q": "thuy nguyen", "historical": "1"}).json()
    assert str(unit(AREA_A).pk) in [r["value"] for r in old["results"]]
    assert all(AdministrativeUnit.objects.get(pk=r["value"]).valid_to is not None for r in old["results"])


def test_the_searched_users_list_costs_the_same_queries_for_few_and_many_users(login, admin_user):
    client = login(admin_user)
    url = reverse("administration:users")
    UserFactory.create_batch(3, role=Role.AREA_OFFICER, last_name="Nguyễn Văn")
    client.get(url, {"q": "nguyen"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "nguyen"})
    UserFactory.create_batch(40, role=Role.AREA_OFFICER, last_name="Nguyễn Thị")
    with CaptureQueriesContext(connection) as many:
        text = client.get(url, {"q": "nguyen"}).text
    assert len(few) == len(many)
    assert "Nguyễn Thị" in text and "Nguyễn Văn" in text


def test_the_folded_search_column_follows_a_renamed_user(admin_user):
    user = UserFactory(username="hong", first_name="Hồng", last_name="Trần Thị", email="Hong@So.vn")
    assert user.search_text == "hong tran thi hong hong@so.vn"
    user.last_name = "Đỗ"
    user.save(update_fields=["last_name"])
    user.refresh_from_db()
    assert user.search_text == "hong do hong hong@so.vn"
