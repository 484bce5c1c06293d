import datetime

import pytest

from areas.models import AdministrativeUnit, UnitType
from areas.selectors import current_communes_from

pytestmark = pytest.mark.django_db


def test_hai_phong_has_its_114_current_communes():
    current = AdministrativeUnit.objects.filter(path__startswith="/31/", valid_from=datetime.date(2025, 7, 1))
    assert current.count() == 114
    assert current.filter(unit_type=UnitType.COMMUNE).count() == 67
    assert current.filter(unit_type=UnitType.WARD).count() == 45
    assert set(current.filter(unit_type=UnitType.SPECIAL_ZONE).values_list("short_name", flat=True)) == {
        "Cát Hải",
        "Bạch Long Vĩ",
    }


def test_the_15_pre_reform_districts_of_hai_phong_are_kept_with_their_end_date():
    districts = AdministrativeUnit.objects.filter(parent__path="/31/", code__regex=r"^3[01][0-9]$")
    assert sorted(districts.values_list("code", flat=True)) == [str(c) for c in [*range(303, 310), *range(311, 319)]]
    assert set(districts.values_list("valid_to", flat=True)) == {datetime.date(2025, 6, 30)}


def test_valid_on_separates_the_two_generations():
    on_2021 = AdministrativeUnit.objects.valid_on(datetime.date(2021, 1, 18)).filter(path__startswith="/31/")
    on_2026 = AdministrativeUnit.objects.valid_on(datetime.date(2026, 1, 1)).filter(path__startswith="/31/")
    assert on_2021.filter(path="/31/d311/").exists()
    assert not on_2026.filter(path="/31/d311/").exists()
    assert on_2026.filter(depth=1).count() == 114


def test_a_district_subtree_holds_its_communes_only():
    thuy_nguyen = AdministrativeUnit.objects.get(path="/31/d311/")
    subtree = AdministrativeUnit.objects.subtree_of([thuy_nguyen])
    assert subtree.count() == 1 + thuy_nguyen.children.count()
    assert not subtree.filter(path__startswith="/31/d317/").exists()


def test_old_names_of_thuy_nguyen_are_searchable():
    assert AdministrativeUnit.objects.filter(search_name__contains="huyen thuy nguyen").get().path == "/31/d311/"


def test_current_communes_from_a_district_follow_the_reused_codes():
    cat_hai = AdministrativeUnit.objects.get(path="/31/d317/")
    successors = list(current_communes_from(cat_hai).values_list("name", flat=True))
    assert successors == ["Đặc khu Cát Hải"]
