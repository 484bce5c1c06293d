import pytest
from django.urls import reverse

from areas.labels import place_label, place_without_units
from areas.models import AdministrativeUnit
from tests.conftest import AREA_A
from tests.factories import ProjectFactory, first_commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_commune():
    return first_commune(AREA_A)


@pytest.fixture
def current_commune():
    return AdministrativeUnit.objects.filter(depth=1, valid_to__isnull=True, valid_from__isnull=False).first()


def test_an_address_copied_whole_loses_its_commune_district_and_province(old_commune):
    commune, district = old_commune.name, old_commune.parent.name
    address = f"Thôn 3, {commune.lower()}, {district.lower()}, TP Hải Phòng"
    assert place_without_units(address, old_commune) == "Thôn 3"
    assert place_label(f"Thôn 3, {commune}, {district}", old_commune) == f"Thôn 3, {commune}, {district}"


def test_a_current_commune_appears_once(current_commune):
    written = f"Tổ 5, {current_commune.name}, {current_commune.name}, Hải Phòng"
    assert place_label(written, current_commune) == f"Tổ 5, {current_commune.name}"
    assert place_label(current_commune.name, current_commune) == current_commune.name


def test_a_detail_without_unit_names_is_kept_and_an_empty_one_gives_the_unit(current_commune):
    assert place_label("Nhà xưởng số 2, thôn Đông", current_commune) == (
        f"Nhà xưởng số 2, thôn Đông, {current_commune.name}"
    )
    assert place_label("", current_commune) == current_commune.name


def test_the_project_page_and_the_acceptance_form_write_the_commune_once(login, staff, current_commune):
    project = ProjectFactory(unit=current_commune, place_detail=f"Thôn 1, {current_commune.name}, TP Hải Phòng")
    page = login(staff).get(reverse("projects:detail", args=[project.pk])).text
    assert f"Thôn 1, {current_commune.name}</dd>" in page
    assert page.count(f"{current_commune.name}, {current_commune.name}") == 0
