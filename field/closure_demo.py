"""Demo: the KCQG 2021 fish-sauce machinery đề án ("đánh đảo chượp") gets its contract (Hợp đồng thực hiện đề án,
budgets.contract_kinds) and the closure minutes of that contract (Biên bản thanh lý, field.closure_kinds), each
drafted, issued in the register and signed with the demo certificates — what a user does from the đề án page.

Runs after documents.demo (the signing identities). Idempotent: a document already in the register is left alone.
Renders in-process when no worker took the job (the demo may run with a broker and no worker).
"""

from accounts.models import User
from documents import services
from documents.models import IssuedDocument, JobStatus, SigningIdentity
from documents.rendering import params_key
from field.closure_kinds import ContractClosure
from field.demo import _project
from projects.models import Level

CONTRACT = "project_contract"


def _issue_and_sign(*, kind: str, project, staff, leader) -> IssuedDocument:
    params = {"project": project.pk}
    issued = IssuedDocument.objects.filter(kind=kind, params_key=params_key(kind, params)).first()
    if issued is None:
        job = services.document_request(actor=staff, kind=kind, params=params)
        if job.status != JobStatus.DONE:
            job = services.document_render(job_id=job.pk)
        issued = services.document_issue(actor=staff, job=job)
    if not issued.signature_count and SigningIdentity.objects.filter(user=leader, active=True).exists():
        issued = services.document_sign(actor=leader, document=issued)
    return issued


def load(out) -> None:
    staff = User.objects.get(username="chuyenvien")
    leader = User.objects.get(username="lanhdao")
    fish = _project(level=Level.NATIONAL, year=2021, keywords="đánh đảo chượp")
    contract = _issue_and_sign(kind=CONTRACT, project=fish, staff=staff, leader=leader)
    closure = _issue_and_sign(kind=ContractClosure.code, project=fish, staff=staff, leader=leader)
    out.write(
        f"Hợp đồng và thanh lý ({fish.code}): {contract.symbol}, {closure.symbol}"
        f"{' (đã ký số)' if closure.signature_count else ''}."
    )
