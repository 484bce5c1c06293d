"""A pasted page in a search box answers the list normally (SQLite refuses more than ~1,000 conditions)."""

import pytest
from django.urls import reverse

from core.text import SEARCH_MAX_WORDS, search_words
from tests.conftest import AREA_A
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

LONG = " ".join(f"tu{i}" for i in range(1000))


def test_search_words_keeps_the_first_distinct_words_of_a_bounded_prefix():
    assert search_words("Nước  mắm nuoc MẮM Cát Hải") == ["nuoc", "mam", "cat", "hai"]
    assert search_words(LONG) == [f"tu{i}" for i in range(SEARCH_MAX_WORDS)]
    assert len(search_words("x" * 100_000)[0]) <= 200
    assert search_words(None) == [] and search_words("   ") == []


@pytest.mark.parametrize(
    "url_name",
    ["beneficiaries:list", "beneficiaries:export", "projects:list", "budgets:summary", "budgets:summary_export"],
)
def test_a_thousand_word_search_answers_normally(login, staff, beneficiary_a, url_name):
    ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff, title="Ứng dụng máy đánh đảo chượp nước mắm")
    response = login(staff).get(reverse(url_name), {"q": LONG})
    assert response.status_code == 200


def test_a_long_search_still_finds_what_its_first_words_name(login, staff):
    project = ProjectFactory(
        in_the_field=True, area=AREA_A, created_by=staff, title="Ứng dụng máy đánh đảo chượp nước mắm"
    )
    other = ProjectFactory(in_the_field=True, area=AREA_A, created_by=staff, title="Đào tạo nghề mây tre đan")
    page = login(staff).get(reverse("projects:list"), {"q": "đảo chượp " * 500}).content.decode()
    assert project.code in page or project.title in page
    page = login(staff).get(reverse("projects:list"), {"q": "đảo chượp"}).content.decode()
    assert other.title not in page
