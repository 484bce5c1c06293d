import pytest

from areas.models import AdministrativeUnit, UnitType
from beneficiaries.eligibility import compute_eligibility
from beneficiaries.models import CraftVillage
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def _unit(unit_type):
    return AdministrativeUnit.objects.filter(unit_type=unit_type, valid_to__isnull=True).first()


def test_a_xa_address_is_eligible():
    result = compute_eligibility(BeneficiaryFactory.build(unit=_unit(UnitType.COMMUNE)))
    assert result.eligible and "Xã" in result.reason


def test_a_dac_khu_address_is_eligible():
    assert compute_eligibility(BeneficiaryFactory.build(unit=_unit(UnitType.SPECIAL_ZONE))).eligible


def test_a_phuong_address_is_not_eligible_and_says_why():
    result = compute_eligibility(BeneficiaryFactory.build(unit=_unit(UnitType.WARD)))
    assert not result.eligible and "phường" in result.reason


def test_a_phuong_address_in_a_recognised_craft_village_is_eligible():
    ward = _unit(UnitType.WARD)
    village = CraftVillage.objects.create(name="Làng nghề Kiến Thụy", unit=ward, recognised=True)
    result = compute_eligibility(BeneficiaryFactory.build(unit=ward, craft_village=village))
    assert result.eligible and "Làng nghề Kiến Thụy" in result.reason


def test_an_unrecognised_village_does_not_help():
    ward = _unit(UnitType.WARD)
    village = CraftVillage.objects.create(name="Làng chưa công nhận", unit=ward, recognised=False)
    assert not compute_eligibility(BeneficiaryFactory.build(unit=ward, craft_village=village)).eligible


def test_a_district_only_address_needs_review():
    district = AdministrativeUnit.objects.get(path="/31/d316/")
    result = compute_eligibility(BeneficiaryFactory.build(unit=district))
    assert not result.eligible and "rà soát" in result.reason


def test_a_leader_override_wins_and_carries_its_reason():
    b = BeneficiaryFactory.build(
        unit=_unit(UnitType.WARD), eligibility_override=True, eligibility_override_reason="Làng nghề đang chờ công nhận"
    )
    result = compute_eligibility(b)
    assert result.eligible and result.overridden and "chờ công nhận" in result.reason
