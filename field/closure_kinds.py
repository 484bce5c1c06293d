"""The closure minutes of a đề án's contract, produced by the document jobs (documents app):

- `contract_closure` — Biên bản thanh lý hợp đồng thực hiện đề án: refers to the contract (the one issued in the
  register, else the number and date recorded on the đề án), the acceptance record (biên bản nghiệm thu) and its
  result, the value done per source (the amounts used that the council accepted), the amounts paid per source
  (tạm ứng + thanh toán, budgets' disbursements), what is left to pay or to recover, and the conclusion.

It lives here, beside the acceptance it depends on (field stands above budgets and reads both). Registered from
FieldConfig.ready(). A biên bản: Quốc hiệu, no number until the register gives one (`BB`). Dated by the later of
the acceptance session and the last payment, so asking again another day returns the same file while nothing
changed; a new payment makes a new version.

Who may have it: office roles and the area officers of the đề án's area (404 elsewhere), as the acceptance record.
Refused (403, with the reason) while the đề án has no contract or no passed acceptance.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.contract_kinds import (
    SOURCE_NAMES,
    beneficiary_data,
    contract_refusal,
    implementing_unit_data,
    issued_contract,
)
from budgets.models import Disbursement
from budgets.selectors import amounts_by_source
from budgets.sources import STATE_SOURCES, FundingSource
from core.numwords import amount_in_words
from documents.kinds import register
from documents.kinds.base import DocumentKind
from field import selectors
from field.document_kinds import FIELD_ROLES, _project_data, _require_field
from projects.models import Project


def contract_reference(project: Project) -> dict:
    issued = issued_contract(project)
    if issued is not None:
        return {"number": issued.symbol, "date": issued.issued_on.isoformat()}
    return {
        "number": project.contract_number,
        "date": project.contract_date.isoformat() if project.contract_date else "",
    }


def closure_refusal(project: Project) -> str:
    """Why the closure minutes cannot be made yet ("" when they can)."""
    refusal = contract_refusal(project)
    if refusal:
        return refusal
    if not contract_reference(project)["number"]:
        return _("Đề án chưa có hợp đồng: hãy ghi số hợp đồng hoặc ban hành hợp đồng trước khi thanh lý.")
    if selectors.passed_acceptance(project) is None:
        return _(
            "Đề án chưa có biên bản nghiệm thu đạt yêu cầu: chưa lập được biên bản thanh lý hợp đồng. Hãy ghi "
            "kết quả nghiệm thu trước."
        )
    return ""


def money_rows(project: Project, acceptance) -> list[dict]:
    """Per source: approved, done (used, as accepted by the council), paid (tạm ứng + thanh toán) and, for the
    state budget's sources, what is left to pay or to recover."""
    approved = amounts_by_source(project)
    paid = amounts_by_source(project, paid=True)
    used = {f.source: f.used_amount for f in acceptance.funding.all()}
    rows = []
    for source in FundingSource.values:
        if not (approved.get(source) or used.get(source) or paid.get(source)):
            continue
        state = source in STATE_SOURCES
        done, given = used.get(source, 0), paid.get(source, 0)
        rows.append(
            {
                "source": source,
                "label": SOURCE_NAMES[source],
                "approved": approved.get(source, 0),
                "done": done,
                "paid": given if state else None,
                "to_pay": max(done - given, 0) if state else None,
                "to_recover": max(given - done, 0) if state else None,
            }
        )
    return rows


@register
class ContractClosure(DocumentKind):
    code = "contract_closure"
    title = gettext_lazy("Biên bản thanh lý hợp đồng thực hiện đề án")
    roles = FIELD_ROLES
    template = "field/pdf/closure.html"
    number_symbol = ""  # a biên bản carries no number…
    register_type = "BB"  # …until the register gives it one

    def clean_params(self, raw):
        return {"project": self.int_param(raw, "project", label=_("Mã đề án"))}

    def target(self, user, params):
        _require_field(user)
        project = selectors.project_get(user=user, pk=params["project"])
        refusal = closure_refusal(project)
        if refusal:
            raise PermissionDenied(refusal)
        return project.unit

    def collect(self, params):
        project = Project.objects.select_related("unit__parent", "implementing_unit").get(pk=params["project"])
        acceptance = selectors.passed_acceptance(project)
        last_payment = Disbursement.objects.filter(line__project=project).aggregate(day=Max("paid_on"))["day"]
        dated = max(d for d in (acceptance.held_on, last_payment) if d)
        return {
            "project": _project_data(project),
            "project_id": project.pk,
            "dated": dated.isoformat(),
            "contract": contract_reference(project),
            "acceptance": {
                "id": acceptance.pk,
                "attempt": acceptance.attempt,
                "held_on": acceptance.held_on.isoformat(),
                "result": str(acceptance.get_result_display()),
                "assessment": acceptance.assessment,
            },
            "party_a": implementing_unit_data(project.implementing_unit),
            "party_b": [beneficiary_data(b) for b in project.beneficiaries.order_by("sort_name", "id")],
            "money": money_rows(project, acceptance),
        }

    def issue_date(self, data):
        return datetime.date.fromisoformat(data["dated"])

    def document_title(self, data):
        return _("Biên bản thanh lý hợp đồng %(code)s") % {"code": data["project"]["code"]}

    def register_entry(self, data):
        project = data["project"]
        return {
            "summary": _("Biên bản thanh lý Hợp đồng số %(number)s thực hiện đề án “%(title)s”")
            % {"number": data["contract"]["number"], "title": project["title"]},
            "subject": f"{project['code']} — {project['title']}",
            "recipients": [data["party_a"]["name"], *(b["name"] for b in data["party_b"])],
        }

    def context(self, data):
        rows = data["money"]
        state = [r for r in rows if r["paid"] is not None]
        to_pay = sum(r["to_pay"] for r in state)
        to_recover = sum(r["to_recover"] for r in state)
        done = sum(r["done"] for r in rows)
        contract_date = data["contract"]["date"]
        return {
            "contract_date": datetime.date.fromisoformat(contract_date) if contract_date else None,
            "acceptance_date": datetime.date.fromisoformat(data["acceptance"]["held_on"]),
            "total_approved": sum(r["approved"] for r in rows),
            "total_done": done,
            "done_words": amount_in_words(done),
            "total_paid": sum(r["paid"] for r in state),
            "state_done": sum(r["done"] for r in state),
            "to_pay": to_pay,
            "to_pay_words": amount_in_words(to_pay),
            "to_recover": to_recover,
            "to_recover_words": amount_in_words(to_recover),
            "several_b": len(data["party_b"]) > 1,
        }


def project_document_links(user, project) -> list[dict]:
    """The closure minutes' line on the đề án page (projects.hooks.register_project_documents): shown once the
    đề án has a contract; the button only when a passed acceptance exists, else the reason."""
    from documents.selectors import object_document_link

    if contract_refusal(project) or not (project.contract_number or issued_contract(project)):
        return []
    refusal = closure_refusal(project)
    return [
        object_document_link(
            user=user, kind=ContractClosure.code, param_name="project", param_value=project.pk, refusal=refusal
        )
    ]
