"""`load_demo`: the fish-sauce đề án's contract, issued in the register, is the one the đề án shows, and its party
block carries the implementing unit's representative and account."""

from documents.models import IssuedDocument
from projects.demo import CENTRE
from projects.models import Organisation, Project
from tests.documents.test_register import _text


def test_the_demo_đề_án_shows_its_issued_contract_and_the_contract_names_bên_a_fully(demo):
    document = IssuedDocument.objects.get(kind="project_contract", replaced_by__isnull=True)
    project = Project.objects.get(pk=document.job.params["project"])
    assert (project.contract_number, project.contract_date) == (document.symbol, document.issued_on)
    centre = Organisation.objects.get(name=CENTRE)
    assert centre.representative and centre.representative_title and centre.tax_code and centre.bank_account
    text = _text(document.file)
    block = text[text.index("Bên A (bên giao thực hiện)") : text.index("Bên B")]
    assert f"Đại diện: Ông (Bà) {centre.representative}; chức vụ: {centre.representative_title}." in block
    assert f"Số tài khoản: {centre.bank_account} tại {centre.bank_name}." in block
    assert "……" not in block
    closure = IssuedDocument.objects.get(kind="contract_closure", replaced_by__isnull=True)
    assert f"Hợp đồng thực hiện đề án khuyến công số {document.symbol}" in _text(closure.file)
