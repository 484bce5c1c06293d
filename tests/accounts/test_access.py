"""Who may open which page. Objects outside an officer's area are 404, forbidden actions 403."""

import pytest
from django.urls import reverse

from tests.conftest import login_form

pytestmark = pytest.mark.django_db

PERSONAS = ["admin_user", "staff", "leader", "officer_a", "juror"]

# page → expected status per persona (on an establishment of area A where the page needs one)
MATRIX = {
    "home": {"admin_user": 200, "staff": 200, "leader": 200, "officer_a": 200, "juror": 200},
    "profile": {"admin_user": 200, "staff": 200, "leader": 200, "officer_a": 200, "juror": 200},
    "password_change": {"admin_user": 200, "staff": 200, "leader": 200, "officer_a": 200, "juror": 200},
    "beneficiaries:list": {"admin_user": 200, "staff": 200, "leader": 200, "officer_a": 200, "juror": 403},
    "beneficiaries:create": {"admin_user": 200, "staff": 200, "leader": 403, "officer_a": 200, "juror": 403},
    "beneficiaries:detail": {"admin_user": 200, "staff": 200, "leader": 200, "officer_a": 200, "juror": 403},
    "beneficiaries:edit": {"admin_user": 200, "staff": 200, "leader": 403, "officer_a": 200, "juror": 403},
}
NEEDS_OBJECT = {"beneficiaries:detail", "beneficiaries:edit"}


def _url(name, beneficiary):
    return reverse(name, args=[beneficiary.pk]) if name in NEEDS_OBJECT else reverse(name)


@pytest.mark.parametrize("page", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_the_expected_answer_on_each_page(request, login, beneficiary_a, page, persona):
    user = request.getfixturevalue(persona)
    response = login(user).get(_url(page, beneficiary_a))
    assert response.status_code == MATRIX[page][persona]


@pytest.mark.parametrize("page", MATRIX)
def test_anonymous_visitors_are_sent_to_the_login_page(client, beneficiary_a, page):
    url = _url(page, beneficiary_a)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("page", ["beneficiaries:detail", "beneficiaries:edit"])
def test_an_officer_of_thuy_nguyen_cannot_see_an_establishment_of_cat_hai(login, officer_a, beneficiary_b, page):
    assert login(officer_a).get(reverse(page, args=[beneficiary_b.pk])).status_code == 404


def test_an_officer_of_cat_hai_sees_only_cat_hai_in_the_list(login, officer_b, beneficiary_a, beneficiary_b):
    response = login(officer_b).get(reverse("beneficiaries:list"))
    assert beneficiary_b.name in response.text
    assert beneficiary_a.name not in response.text


def test_an_officer_without_any_area_sees_nothing(login, beneficiary_a):
    from accounts.roles import Role
    from tests.factories import UserFactory

    lost = UserFactory(role=Role.AREA_OFFICER)
    response = login(lost).get(reverse("beneficiaries:list"))
    assert beneficiary_a.name not in response.text
    assert login(lost).get(reverse("beneficiaries:detail", args=[beneficiary_a.pk])).status_code == 404


def test_only_superusers_reach_the_django_admin(login, admin_user, staff):
    from tests.factories import UserFactory

    support = UserFactory(username="support", is_staff=True, is_superuser=True)
    assert login(support).get("/admin/").status_code == 200
    # The department's admin works in the app's own pages (/quan-tri/), not in the Django admin.
    for user in (admin_user, staff):
        response = login(user).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert 'href="/admin/"' not in login(admin_user).get("/").text
    assert 'href="/quan-tri/"' in login(admin_user).get("/").text


def test_the_login_page_is_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.text
    assert 'lang="vi"' in response.text


@pytest.mark.parametrize(
    ("persona", "title"),
    [
        ("admin_user", "Quản trị hệ thống"),
        ("staff", "Việc của chuyên viên"),
        ("leader", "Tổng quan chương trình"),
        ("officer_a", "Địa bàn của tôi"),
        ("juror", "Chấm điểm"),
    ],
)
def test_each_role_lands_on_its_own_home(request, client, persona, title):
    user = request.getfixturevalue(persona)
    response = client.post(reverse("login"), login_form(user.username, "matkhau-123"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert title in response.text
