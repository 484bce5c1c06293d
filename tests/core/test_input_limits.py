"""Search input is capped (words and length) on every list; a juror has no documents list; password rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.text import SEARCH_MAX_LENGTH, SEARCH_MAX_WORDS, search_words

pytestmark = pytest.mark.django_db


def test_search_words_are_folded_and_capped():
    assert search_words("Nước  mắm Cát Hải") == ["nuoc", "mam", "cat", "hai"]
    many = " ".join(f"tu{i}" for i in range(50))
    assert search_words(many) == [f"tu{i}" for i in range(SEARCH_MAX_WORDS)]
    assert len("".join(search_words("a" * 10_000))) == SEARCH_MAX_LENGTH
    assert search_words(None) == []


def _like_count(sql: str) -> int:
    return sql.upper().count(" LIKE ") + sql.upper().count("GLOB")


@pytest.mark.parametrize("name", ["beneficiaries:list", "projects:list"])
def test_a_list_search_of_many_words_makes_no_more_conditions_than_the_cap(login, staff, name):
    client = login(staff)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name), {"q": " ".join(["mam"] * SEARCH_MAX_WORDS)}).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(name), {"q": " ".join(["mam"] * 500)}).status_code == 200
    assert max(map(_like_count, (q["sql"] for q in many.captured_queries))) == max(
        map(_like_count, (q["sql"] for q in few.captured_queries))
    )


def test_a_very_long_search_still_answers(login, staff, beneficiary_a):
    response = login(staff).get(reverse("beneficiaries:list"), {"q": "co khi " + "x" * 100_000})
    assert response.status_code == 200


def test_a_juror_has_no_documents_list(login, juror, staff, officer_a):
    assert login(juror).get(reverse("documents:list")).status_code == 403
    assert login(staff).get(reverse("documents:list")).status_code == 200
    assert login(officer_a).get(reverse("documents:list")).status_code == 200


@pytest.mark.parametrize("password", ["anhyeuem", "AnhYeuEm2026", "Mật khẩu 123!", "matkhau-123", "Khuyến công 2026"])
def test_common_vietnamese_passwords_are_refused(password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(e.code in {"password_too_common_vi", "password_too_common"} for e in error.value.error_list)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Hong-xuan-lan-2026", "password_has_name"),
        ("Tran.Dinh.Phong!", "password_has_name"),
        ("kc-912345678-x", "password_has_phone"),
        ("thanhcong-hong97", "password_has_name"),
    ],
)
def test_a_password_with_the_users_own_name_or_phone_is_refused(password, code):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from tests.factories import UserFactory

    user = UserFactory(username="hong97", first_name="Hồng", last_name="Trần Thị", phone="0912 345 678")
    with pytest.raises(ValidationError) as error:
        validate_password(password, user=user)
    assert code in {e.code for e in error.value.error_list}


def test_a_good_password_passes_and_the_change_form_shows_the_vietnamese_reason(login, staff, client):
    from django.contrib.auth.password_validation import validate_password

    validate_password("Ca-phe-sua-da-buoi-sang", user=staff)
    login(staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": "matkhau-123", "new_password1": "anhyeuem2026", "new_password2": "anhyeuem2026"},
    )
    assert response.status_code == 200 and "quá phổ biến" in response.text
    staff.refresh_from_db()
    assert staff.check_password("matkhau-123")
