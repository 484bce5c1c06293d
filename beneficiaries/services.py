"""Writes to the registry. Views, imports and tasks all come through here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from beneficiaries.models import Beneficiary, BeneficiaryStatus
from beneficiaries.permissions import can_create_beneficiary, can_edit_beneficiary, can_override_eligibility
from core.text import fold, nfc, sort_key

_TEXT_FIELDS = (
    "name",
    "representative",
    "address",
    "sector",
    "main_products",
    "notes",
    "tax_code",
    "registration_number",
    "phone",
)


def _derive(beneficiary: Beneficiary) -> None:
    for field in _TEXT_FIELDS:
        setattr(
            beneficiary,
            field,
            nfc(getattr(beneficiary, field))
            if field not in ("main_products", "notes")
            else (getattr(beneficiary, field) or "").strip(),
        )
    beneficiary.search_text = fold(
        " ".join(
            [
                beneficiary.name,
                beneficiary.tax_code,
                beneficiary.registration_number,
                beneficiary.address,
                beneficiary.unit.name if beneficiary.unit_id else "",
            ]
        )
    )[:600]
    beneficiary.sort_name = sort_key(beneficiary.name)


def beneficiary_create(*, actor, data: dict) -> Beneficiary:
    """Creates an establishment. An area officer's record starts as a proposal for staff to confirm."""
    beneficiary = Beneficiary(**data)
    allowed, reason = can_create_beneficiary(actor, beneficiary.unit if beneficiary.unit_id else None)
    if not allowed:
        raise PermissionDenied(reason)
    if has_role(actor, Role.AREA_OFFICER) and not has_role(actor, Role.ADMIN, Role.STAFF):
        beneficiary.status = BeneficiaryStatus.PROPOSED
    beneficiary.created_by = actor
    _derive(beneficiary)
    beneficiary.full_clean()
    with transaction.atomic():
        beneficiary.save()
    return beneficiary


def beneficiary_update(*, actor, beneficiary: Beneficiary, data: dict) -> Beneficiary:
    allowed, reason = can_edit_beneficiary(actor, beneficiary)
    if not allowed:
        raise PermissionDenied(reason)
    for field, value in data.items():
        setattr(beneficiary, field, value)
    allowed, reason = can_edit_beneficiary(actor, beneficiary)  # the new address must stay in the officer's area
    if not allowed:
        raise PermissionDenied(reason)
    _derive(beneficiary)
    beneficiary.full_clean()
    with transaction.atomic():
        beneficiary.save()
    return beneficiary


def beneficiary_override_eligibility(
    *, actor, beneficiary: Beneficiary, eligible: bool | None, reason: str
) -> Beneficiary:
    """Records a leader's decision on eligibility (None clears it). A reason is required to set one."""
    allowed, why = can_override_eligibility(actor, beneficiary)
    if not allowed:
        raise PermissionDenied(why)
    reason = (reason or "").strip()
    if eligible is not None and not reason:
        raise ValidationError({"eligibility_override_reason": _("Cần ghi rõ lý do điều chỉnh.")})
    with transaction.atomic():
        beneficiary.eligibility_override = eligible
        beneficiary.eligibility_override_reason = reason if eligible is not None else ""
        beneficiary.eligibility_override_by = actor if eligible is not None else None
        beneficiary.eligibility_override_at = timezone.now() if eligible is not None else None
        beneficiary._change_reason = reason
        beneficiary.save()
    return beneficiary
