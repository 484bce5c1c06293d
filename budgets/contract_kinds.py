"""The contract of one đề án, produced by the document jobs (documents app):

- `project_contract` — Hợp đồng thực hiện đề án khuyến công between the implementing unit (Bên A: the Trung tâm
  Khuyến công, or the Sở itself) and the beneficiary establishments (Bên B): căn cứ, parties, object, value per
  source in figures and words, outputs, schedule, payment (tạm ứng / thanh toán), acceptance, rights and duties,
  effect, and the two signature blocks. Requested from the đề án page once the đề án is approved.

Registered from BudgetsConfig.ready() (not a `document_kinds` module: budgets/document_kinds.py holds the plan-level
documents). Numbered in the register as a Hợp đồng (`HĐ`): the symbol is the register's, `NN/HĐ-<body>` (e.g.
`01/HĐ-SCT`; a Trung tâm Khuyến công configured as the issuing body gives `01/HĐ-TTKC`). Dated by the contract date
recorded on the đề án (the CONTRACTED step) when there is one, else the day of the request.

Who may have it: the office roles and the area officers of the đề án's area (read through budgets.selectors, so
another area's đề án is a 404); jurors 403 by role. Issuing and signing follow documents.permissions.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from areas.labels import place_label
from budgets import selectors
from budgets.document_kinds import APPROVED_STATES, LEVEL_NAMES, decision_data
from budgets.sources import STATE_SOURCES, FundingSource
from core.numwords import amount_in_words
from documents.kinds import register
from documents.kinds.base import DEPARTMENT_READER, DEPARTMENT_ROLES, DocumentKind
from documents.rendering import long_date, params_key
from documents.selectors import issued_document_list
from projects.models import Organisation, Project, ProjectKind
from projects.selectors import latest_approval_decision

CONTRACT_ROLES = DEPARTMENT_ROLES | {Role.AREA_OFFICER}

SOURCE_NAMES = {
    FundingSource.NATIONAL: "Kinh phí khuyến công quốc gia hỗ trợ",
    FundingSource.LOCAL: "Kinh phí khuyến công địa phương hỗ trợ",
    FundingSource.COUNTERPART: "Vốn đối ứng của cơ sở",
    FundingSource.OTHER: "Nguồn khác",
}

# The laws every đề án contract cites (docs/documents.md, "Contract and closure"). The đề án's own legal basis
# (projects.LegalBasis, data) decides whether Nghị định 235/2025 is cited too.
CIVIL_CODE = "Bộ luật Dân sự số 91/2015/QH13 ngày 24 tháng 11 năm 2015"
AMENDS_45 = "của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 45/2012/NĐ-CP"
DECREE_AMENDED_2018 = f"Nghị định số 17/2018/NĐ-CP {AMENDS_45}"
DECREE_AMENDED_2025 = f"Nghị định số 235/2025/NĐ-CP {AMENDS_45}"
CIRCULAR_BCT = (
    "Thông tư số 28/2018/TT-BCT của Bộ trưởng Bộ Công Thương quy định chi tiết một số nội dung của Nghị định số "
    "45/2012/NĐ-CP và Nghị định số 17/2018/NĐ-CP"
)
CIRCULAR_BTC = (
    "Thông tư số 28/2018/TT-BTC của Bộ trưởng Bộ Tài chính hướng dẫn lập, quản lý, sử dụng kinh phí khuyến công"
)
NEW_RULES_FROM = datetime.date(2025, 10, 15)


def approval_decision(project: Project) -> dict | None:
    decision = latest_approval_decision(project)
    return {**decision_data(decision), "summary": decision.summary} if decision else None


def legal_bases(project: Project, decision: dict | None) -> list[str]:
    """The "Căn cứ …" lines, in the usual order: code, decree and its amendments, circulars, the approval."""
    approved_on = datetime.date.fromisoformat(decision["signed_on"]) if decision else None
    new_rules = bool(project.legal_basis and project.legal_basis.number.startswith("235/2025")) or bool(
        approved_on and approved_on >= NEW_RULES_FROM
    )
    decree = "Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công"
    lines = [CIVIL_CODE, decree, DECREE_AMENDED_2018]
    if new_rules:
        lines.append(DECREE_AMENDED_2025)
    lines += [CIRCULAR_BCT, CIRCULAR_BTC]
    if decision:
        by = f" của {decision['issuing_body']}" if decision["issuing_body"] else ""
        what = (decision["summary"] or "phê duyệt đề án khuyến công").rstrip(". ")
        what = what[8:] if what.lower().startswith("về việc ") else what
        what = what[0].lower() + what[1:]
        lines.append(f"Quyết định số {decision['number']} {long_date(approved_on)}{by} về việc {what}")
    return lines


def amount_rows(project: Project) -> list[dict]:
    """Approved amount per funding source (all of the đề án's lines summed), in the sources' order; zero sources
    left out."""
    sums = selectors.amounts_by_source(project)
    return [
        {"source": source, "label": SOURCE_NAMES[source], "amount": sums[source]}
        for source in FundingSource.values
        if sums.get(source)
    ]


def implementing_unit_data(organisation: Organisation) -> dict:
    """Bên A of the contract and of its closure: what the party block and the signature block print."""
    return {
        "name": organisation.name,
        "address": organisation.address,
        # The Sở implementing a đề án itself is represented by the issuing body's signer (rendering.issuer_data).
        "is_department": organisation.kind == Organisation.Kind.DEPARTMENT,
        "representative": organisation.representative,
        "representative_title": organisation.representative_title,
        "phone": organisation.phone,
        "tax_code": organisation.tax_code,
        "bank_account": organisation.bank_account,
        "bank_name": organisation.bank_name,
    }


def beneficiary_data(beneficiary) -> dict:
    return {
        "name": beneficiary.name,
        "legal_form": str(beneficiary.get_legal_form_display()),
        "representative": beneficiary.representative,
        "address": beneficiary.address,
        "tax_code": beneficiary.tax_code,
        "registration_number": beneficiary.registration_number,
        "phone": beneficiary.phone,
        "email": beneficiary.email,
    }


def _quantity(value) -> str:
    return f"{value.normalize():f}"


@register
class ProjectContract(DocumentKind):
    code = "project_contract"
    title = gettext_lazy("Hợp đồng thực hiện đề án khuyến công")
    roles = CONTRACT_ROLES
    template = "budgets/pdf/contract.html"
    number_symbol = "HĐ"

    def clean_params(self, raw):
        return {"project": self.int_param(raw, "project", label=_("Mã đề án"))}

    def target(self, user, params):
        project = selectors.project_get(user=user, pk=params["project"])
        refusal = contract_refusal(project)
        if refusal:
            raise PermissionDenied(refusal)
        return project.unit

    def collect(self, params):
        project = (
            Project.objects.select_related("unit__parent", "implementing_unit", "legal_basis")
            .prefetch_related("contents")
            .get(pk=params["project"])
        )
        decision = approval_decision(project)
        contents = sorted(project.contents.all(), key=lambda c: (c.sort_order, c.code))
        return {
            "project": project.pk,
            "code": project.code,
            "title": project.title,
            "level": project.level,
            "level_name": LEVEL_NAMES[project.level],
            "year": project.plan_year,
            "contents": [f"{c.code}. {c.name}" for c in contents],
            "place": place_label(project.place_detail, project.unit),
            "objectives": project.objectives,
            "expected_results": project.expected_results,
            "start_date": project.start_date.isoformat() if project.start_date else "",
            "end_date": project.end_date.isoformat() if project.end_date else "",
            "contract_date": project.contract_date.isoformat() if project.contract_date else "",
            "decision": decision,
            "legal_bases": legal_bases(project, decision),
            "party_a": implementing_unit_data(project.implementing_unit),
            "party_b": [beneficiary_data(b) for b in project.beneficiaries.order_by("sort_name", "id")],
            "outputs": [
                {"description": o.description, "unit": o.unit_of_measure, "quantity": _quantity(o.planned_quantity)}
                for o in project.outputs.order_by("sort_order", "id")
            ],
            "amounts": amount_rows(project),
        }

    def issue_date(self, data):
        return datetime.date.fromisoformat(data["contract_date"]) if data["contract_date"] else None

    def issued(self, document, data, *, actor):
        # One source of truth: the đề án shows the number and date the register gave its contract.
        from projects.services import project_contract_from_register

        project = Project.objects.get(pk=data["project"])
        project_contract_from_register(actor=actor, project=project, number=document.symbol, date=document.issued_on)

    def document_title(self, data):
        return _("Hợp đồng thực hiện đề án %(code)s") % {"code": data["code"]}

    def register_entry(self, data):
        return {
            "summary": _("Hợp đồng thực hiện đề án “%(title)s”") % {"title": data["title"]},
            "subject": f"{data['code']} — {data['title']}",
            "recipients": [data["party_a"]["name"], *(b["name"] for b in data["party_b"])],
        }

    def context(self, data):
        amounts = [{**row, "words": amount_in_words(row["amount"])} for row in data["amounts"]]
        total = sum(row["amount"] for row in data["amounts"])
        support = sum(row["amount"] for row in data["amounts"] if row["source"] in STATE_SOURCES)
        decision = data["decision"]
        return {
            "amount_rows": amounts,
            "total": total,
            "total_words": amount_in_words(total),
            "support_total": support,
            "start_date": datetime.date.fromisoformat(data["start_date"]) if data["start_date"] else None,
            "end_date": datetime.date.fromisoformat(data["end_date"]) if data["end_date"] else None,
            "decision_date": datetime.date.fromisoformat(decision["signed_on"]) if decision else None,
            "several_b": len(data["party_b"]) > 1,
        }


def issued_contract(project: Project):
    """The contract of this đề án in force in the outgoing-document register (an IssuedDocument), or None."""
    return (
        issued_document_list(user=DEPARTMENT_READER)
        .filter(
            kind=ProjectContract.code,
            params_key=params_key(ProjectContract.code, {"project": project.pk}),
            replaced_by__isnull=True,
        )
        .order_by("-created_at")
        .first()
    )


def contract_in_register(project: Project) -> dict | None:
    """The contract finder of projects.hooks: {"number", "date"} of the issued contract in force, or None."""
    issued = issued_contract(project)
    return None if issued is None else {"number": issued.symbol, "date": issued.issued_on}


def contract_refusal(project: Project) -> str:
    """Why no contract can be made for this đề án yet ("" when it can)."""
    if project.kind != ProjectKind.PROJECT:
        return _("Dự toán, nhiệm vụ không ký hợp đồng thực hiện đề án với cơ sở thụ hưởng.")
    if project.status not in APPROVED_STATES:
        return _("Đề án chưa được phê duyệt: chưa lập được hợp đồng thực hiện.")
    if not project.beneficiaries.exists():
        return _("Đề án chưa có cơ sở thụ hưởng (Bên B của hợp đồng).")
    return ""


def project_document_links(user, project) -> list[dict]:
    """The contract's line on the đề án page (projects.hooks.register_project_documents)."""
    from documents.selectors import object_document_link

    if project.kind != ProjectKind.PROJECT or project.status not in APPROVED_STATES:
        return []
    refusal = contract_refusal(project)
    return [
        object_document_link(
            user=user, kind=ProjectContract.code, param_name="project", param_value=project.pk, refusal=refusal
        )
    ]
