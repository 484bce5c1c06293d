"""The establishments' documents, produced by the document jobs (documents app):

- `beneficiary_list` — Danh sách cơ sở CNNT of one area (or the whole city): a long table whose header repeats on
  every page. Requested from "Văn bản của tôi" (the card `beneficiaries/partials/list_request.html`).
- `beneficiary_sheet` — Phiếu thông tin cơ sở CNNT: one establishment's profile, for its dossier. Requested from the
  establishment's page.
- `beneficiary_export` — the list page's Excel export when it holds more than `EXPORT_SYNC_MAX_ROWS` rows: the same
  filters, read as the requester in the worker (an `ExportKind`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role, sees_everything
from accounts.scope import unit_in_scope
from areas.models import AdministrativeUnit
from beneficiaries.eligibility import compute_eligibility
from beneficiaries.exporting import export_beneficiaries
from beneficiaries.filters import filtered_beneficiaries
from beneficiaries.forms import BeneficiaryListRequestForm
from beneficiaries.models import Beneficiary, BeneficiaryStatus
from beneficiaries.selectors import beneficiary_get
from core.money import group_thousands
from core.numwords import number_to_words
from core.text import fold
from documents.kinds import register
from documents.kinds.base import DEPARTMENT_ROLES, DocumentKind, ExportFile, ExportKind


@register
class BeneficiaryList(DocumentKind):
    code = "beneficiary_list"
    title = gettext_lazy("Danh sách cơ sở CNNT")
    roles = DEPARTMENT_ROLES | {Role.AREA_OFFICER}
    template = "beneficiaries/pdf/beneficiary_list.html"
    number_symbol = "BC"
    request_template = "beneficiaries/partials/list_request.html"

    def request_context(self, user, data=None):
        return {"form": BeneficiaryListRequestForm(data, user=user)}

    def clean_params(self, raw):
        unit = self.int_param(raw, "unit", label=_("Địa bàn"), required=False)
        if unit is not None and not AdministrativeUnit.objects.filter(pk=unit).exists():
            raise ValidationError(_("Không có địa bàn này."))
        return {"unit": unit}

    def target(self, user, params):
        if params["unit"] is None:
            # The whole city is a department-wide document.
            if not sees_everything(user):
                raise PermissionDenied(_("Chỉ cán bộ cấp Sở lập được danh sách toàn thành phố; hãy chọn địa bàn."))
            return None
        unit = AdministrativeUnit.objects.get(pk=params["unit"])
        if not unit_in_scope(user, unit):
            raise Http404("Địa bàn ngoài phạm vi")
        return unit

    def collect(self, params):
        qs = Beneficiary.objects.exclude(status=BeneficiaryStatus.ARCHIVED).select_related("unit__parent")
        area = None
        if params["unit"] is not None:
            area = AdministrativeUnit.objects.get(pk=params["unit"])
            qs = qs.filter(unit__path__startswith=area.path)
        rows = [
            {
                "id": b.pk,
                "name": b.name,
                "legal_form": str(b.get_legal_form_display()),
                "identifier": b.tax_code or b.registration_number,
                # Addresses often already name their commune; don't repeat it.
                "place": b.address if fold(b.unit.name) in fold(b.address) else f"{b.address}, {b.unit.name}",
                "sector": b.sector,
                "employees": b.employees,
                "representative": b.representative,
            }
            for b in qs.order_by("sort_name", "id")
        ]
        return {"area": area.name if area else "", "rows": rows}

    def document_title(self, data):
        if data["area"]:
            return _("Danh sách cơ sở CNNT, %(area)s") % {"area": data["area"]}
        return _("Danh sách cơ sở CNNT toàn thành phố")

    def context(self, data):
        rows = data["rows"]
        employees = sum(row["employees"] or 0 for row in rows)
        return {
            "total_count": len(rows),
            "total_count_words": number_to_words(len(rows)),
            "total_employees": employees,
        }


@register
class BeneficiarySheet(DocumentKind):
    code = "beneficiary_sheet"
    title = gettext_lazy("Phiếu thông tin cơ sở CNNT")
    roles = DEPARTMENT_ROLES | {Role.AREA_OFFICER}
    template = "beneficiaries/pdf/beneficiary_sheet.html"
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


@register
class BeneficiaryExport(ExportKind):
    code = "beneficiary_export"
    title = gettext_lazy("Danh sách cơ sở CNNT (Excel)")
    roles = DEPARTMENT_ROLES | {Role.AREA_OFFICER}

    def export(self, params, *, progress):
        user = self.as_user(params)
        _search, filterset = filtered_beneficiaries(user=user, data=QueryDict(params["query"]))
        rows = filterset.qs.count()
        progress(10)
        content = export_beneficiaries(filterset.qs, progress=lambda done: progress(10 + 80 * done // max(rows, 1)))
        title = _("Danh sách cơ sở CNNT (%(rows)s cơ sở)") % {"rows": group_thousands(rows)}
        return ExportFile(content=content, title=title, rows=rows)
