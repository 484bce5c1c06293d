"""Issue 14: the Django admin's search boxes are capped like the app's lists (core/admin.py)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin import capped_search_term
from core.text import SEARCH_MAX_CHARS, SEARCH_MAX_WORDS
from tests.factories import UserFactory

PASTED_PAGE = " ".join(f"từ{i}" for i in range(1_000))


def _searchable_admins():
    return sorted(
        ((model, model_admin) for model, model_admin in admin.site._registry.items() if model_admin.search_fields),
        key=lambda pair: pair[0]._meta.label,
    )


def test_the_term_keeps_the_first_distinct_words_as_typed():
    assert capped_search_term(PASTED_PAGE).split() == [f"từ{i}" for i in range(SEARCH_MAX_WORDS)]
    assert capped_search_term("  Thủy   Nguyên thủy Thủy ") == "Thủy Nguyên thủy"  # diacritics and case kept
    assert capped_search_term('"Cơ khí" Cơ khí "Cơ khí"') == '"Cơ khí" Cơ khí'  # a quoted phrase is one word
    assert len(capped_search_term("x" * 5_000)) == SEARCH_MAX_CHARS
    assert capped_search_term(None) == capped_search_term("") == ""


def test_every_model_admin_with_a_search_box_is_capped():
    admins = _searchable_admins()
    assert len(admins) >= 10  # the project's admins, the user admin, history and third-party ones
    for _model, model_admin in admins:
        assert getattr(type(model_admin).get_search_results, "capped", False), type(model_admin)


@pytest.mark.django_db
def test_a_thousand_word_search_answers_200_on_every_admin_list(client):
    client.force_login(UserFactory(username="support", is_staff=True, is_superuser=True))
    for model, _model_admin in _searchable_admins():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url, {"q": PASTED_PAGE})
        assert response.status_code == 200, (url, response.status_code)


@pytest.mark.django_db
def test_the_capped_search_still_finds_by_its_first_words(client):
    from areas.models import AdministrativeUnit

    client.force_login(UserFactory(username="support", is_staff=True, is_superuser=True))
    unit = AdministrativeUnit.objects.filter(name__contains="Thủy Nguyên").first()
    assert unit is not None  # reference data
    url = reverse("admin:areas_administrativeunit_changelist")
    found = client.get(url, {"q": " ".join(["Thủy Nguyên"] * 500)})  # 1,000 words, two distinct
    assert found.status_code == 200 and unit.name in found.text
    missing = client.get(url, {"q": "không-có-đơn-vị-nào " + PASTED_PAGE})
    assert missing.status_code == 200 and unit.name not in missing.text
