"""Phiếu thông tin cơ sở CNNT: one establishment's profile, for its dossier."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from beneficiaries.eligibility import compute_eligibility
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import beneficiary_get
from core.numwords import number_to_words
from documents.kinds import register
from documents.kinds.base import DEPARTMENT_ROLES, DocumentKind


@register
class BeneficiarySheet(DocumentKind):
    code = "beneficiary_sheet"
    title = gettext_lazy("Phiếu thông tin cơ sở CNNT")
    roles = DEPARTMENT_ROLES | {Role.AREA_OFFICER}
    template = "documents/pdf/beneficiary_sheet.html"
    number_symbol = "PTT"

    def clean_params(self, raw):
        return {"beneficiary": self.int_param(raw, "beneficiary", label=_("Mã cơ sở"))}

    def target(self, user, params):
        return beneficiary_get(user=user, pk=params["beneficiary"]).unit

    def collect(self, params):
        b = Beneficiary.objects.select_related("unit__parent", "craft_village").get(pk=params["beneficiary"])
        eligibility = compute_eligibility(b)
        return {
            "id": b.pk,
            "name": b.name,
            "legal_form": str(b.get_legal_form_display()),
            "tax_code": b.tax_code,
            "registration_number": b.registration_number,
            "representative": b.representative,
            "phone": b.phone,
            "email": b.email,
            "address": b.address,
            "unit": str(b.unit),
            "unit_is_historical": b.unit.valid_to is not None,
            "craft_village": b.craft_village.name if b.craft_village_id else "",
            "sector": b.sector,
            "vsic_code": b.vsic_code,
            "main_products": b.main_products,
            "employees": b.employees,
            "founded_year": b.founded_year,
            "women_owned": b.women_owned,
            "ethnic_minority_owned": b.ethnic_minority_owned,
            "status": str(b.get_status_display()),
            "eligible": eligibility.eligible,
            "eligibility_reason": eligibility.reason,
        }

    def document_title(self, data):
        return _("Phiếu thông tin cơ sở %(name)s") % {"name": data["name"]}

    def context(self, data):
        employees = data["employees"]
        return {"employees_words": number_to_words(employees) if employees is not None else ""}
