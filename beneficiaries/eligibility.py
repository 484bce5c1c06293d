"""Who may receive khuyến công support (Decree 45/2012 as amended by 235/2025, domain.md §2)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from areas.models import UnitType


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str
    overridden: bool = False


def compute_eligibility(beneficiary) -> Eligibility:
    """Eligible when located in a xã, thị trấn or đặc khu, or in a craft village the city recognises.

    A phường address outside such a village is not eligible. A leader's recorded override wins.
    """
    if beneficiary.eligibility_override is not None:
        verdict = _("Đủ điều kiện") if beneficiary.eligibility_override else _("Không đủ điều kiện")
        return Eligibility(
            beneficiary.eligibility_override,
            _("%(verdict)s theo quyết định của lãnh đạo: %(reason)s")
            % {"verdict": verdict, "reason": beneficiary.eligibility_override_reason},
            overridden=True,
        )
    village = beneficiary.craft_village
    if village is not None and village.recognised:
        return Eligibility(True, _("Thuộc làng nghề được công nhận: %(name)s") % {"name": village.name})
    unit = beneficiary.unit
    if unit.unit_type in (UnitType.COMMUNE, UnitType.TOWNLET, UnitType.SPECIAL_ZONE):
        return Eligibility(True, _("Địa chỉ tại %(unit)s") % {"unit": unit.name})
    if unit.unit_type == UnitType.WARD:
        return Eligibility(
            False, _("Địa chỉ tại %(unit)s (phường) và không thuộc làng nghề được công nhận") % {"unit": unit.name}
        )
    return Eligibility(
        False, _("Chưa xác định được xã/phường của địa chỉ (chỉ có %(unit)s): cần rà soát") % {"unit": unit.name}
    )
