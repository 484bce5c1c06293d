from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from beneficiaries.models import Beneficiary, CraftVillage


@admin.register(Beneficiary)
class BeneficiaryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tax_code", "legal_form", "unit", "status"]
    list_filter = ["legal_form", "status", "needs_review"]
    search_fields = ["name", "tax_code", "registration_number", "search_text"]
    raw_id_fields = ["unit", "craft_village", "eligibility_override_by", "created_by"]
    readonly_fields = ["search_text", "sort_name"]


@admin.register(CraftVillage)
class CraftVillageAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "recognised", "recognition_decision"]
    raw_id_fields = ["unit"]
