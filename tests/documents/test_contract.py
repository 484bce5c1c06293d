"""The đề án's contract (budgets.contract_kinds) and its closure minutes (field.closure_kinds), eager Celery."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from budgets.models import Disbursement, FundingLine
from documents import services
from documents.models import DocumentJob, IssuedDocument, JobStatus
from tests.conftest import AREA_B
from tests.documents.conftest import pdf_text
from tests.documents.kind_data import acceptance, approved_project, plan_decision
from tests.documents.test_register import _pki, _text, signing  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]


def _contract(actor, project):
    job = services.document_request(actor=actor, kind="project_contract", params={"project": project.pk})
    job.refresh_from_db()
    return job


def _closure(actor, project):
    job = services.document_request(actor=actor, kind="contract_closure", params={"project": project.pk})
    job.refresh_from_db()
    return job


def _contracted(*, decision=None, **over):
    decision = decision or plan_decision(summary="Phê duyệt kế hoạch khuyến công địa phương năm 2021")
    project = approved_project(decision=decision)
    project.contract_number = over.pop("contract_number", "05/2021/HĐ-KC")
    project.contract_date = dt.date(2021, 4, 15)
    project.save()
    return project


def _accepted(*, paid_kcdp: int, area=None):
    """A đề án with a passed acceptance (kcdp 1.000.000 used), its funding lines and `paid_kcdp` paid on kcdp."""
    record = acceptance(**({"area": area} if area else {}))
    project = record.project
    line = FundingLine.objects.create(
        project=project, source="kcdp", cost_item="thiet_bi", estimated_cost=2_000_000, approved_amount=2_000_000
    )
    FundingLine.objects.create(
        project=project, source="doi_ung", cost_item="thiet_bi", estimated_cost=5, approved_amount=5
    )
    if paid_kcdp:
        Disbursement.objects.create(
            line=line, kind="tam_ung", paid_on=dt.date(2021, 12, 3), amount=paid_kcdp, document_number="UNC-01"
        )
        FundingLine.objects.filter(pk=line.pk).update(disbursed_total=paid_kcdp)
    return project, record


# --- the contract ------------------------------------------------------------------------------------------------


def test_the_contract_names_the_laws_the_parties_the_money_in_words_and_both_signature_blocks(staff):
    project = _contracted()
    beneficiary = project.beneficiaries.get()
    job = _contract(staff, project)
    assert job.status == JobStatus.DONE, job.error
    assert job.unit == project.unit
    text = pdf_text(job)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "HỢP ĐỒNG",
        "Thực hiện đề án khuyến công địa phương năm 2021",
        "/HĐ-SCT",  # the register's symbol, number left blank in the draft
        "Hải Phòng, ngày 15 tháng 4 năm 2021",  # dated by the contract date recorded on the đề án
        "Căn cứ Bộ luật Dân sự số 91/2015/QH13",
        "Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công",
        "Nghị định số 17/2018/NĐ-CP",
        "Thông tư số 28/2018/TT-BCT",
        "Thông tư số 28/2018/TT-BTC",
        "Quyết định số 812/QĐ-UBND ngày 25 tháng 3 năm 2021",
        "về việc phê duyệt kế hoạch khuyến công địa phương năm 2021",
        f"Bên A (bên giao thực hiện): {project.implementing_unit.name}",
        f"Bên B (cơ sở thụ hưởng): {beneficiary.name}",
        f"Mã số thuế: {beneficiary.tax_code}",
        "Điều 1. Đối tượng của Hợp đồng",
        f"(mã {project.code})",
        "Tổng kinh phí thực hiện đề án: 500.000.000 đồng",
        "(Bằng chữ: Năm trăm triệu đồng)",
        "Kinh phí khuyến công địa phương hỗ trợ: 300.000.000 đồng (Bằng chữ: Ba trăm triệu đồng)",
        "Vốn đối ứng của cơ sở: 200.000.000 đồng (Bằng chữ: Hai trăm triệu đồng)",
        "Điều 3. Sản phẩm, kết quả của đề án",
        "Điều 5. Tạm ứng và thanh toán",
        "Điều 6. Nghiệm thu",
        "Điều 7. Quyền và nghĩa vụ của Bên A",
        "Điều 8. Quyền và nghĩa vụ của Bên B",
        "Điều 10. Hiệu lực của Hợp đồng",
        "ĐẠI DIỆN BÊN A",
        "ĐẠI DIỆN BÊN B",
    ]:
        assert expected in text, (expected, text)
    assert "Nghị định số 235/2025/NĐ-CP" not in text  # approved before 15/10/2025: the old rules


def test_the_sở_implementing_itself_is_represented_by_its_signer(staff):
    from projects.models import Organisation

    project = _contracted()
    project.implementing_unit = Organisation.objects.create(
        name="Sở Công Thương thành phố Hải Phòng (thử)", kind=Organisation.Kind.DEPARTMENT
    )
    project.save()
    text = pdf_text(_contract(staff, project))
    assert "Đại diện: Ông (Bà) Nguyễn Văn Minh; chức vụ: Phó giám đốc (KT. GIÁM ĐỐC)." in text
    assert "ĐẠI DIỆN BÊN A KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in text and "Nguyễn Văn Minh" in text


def test_issuing_the_contract_takes_the_next_hd_number_of_its_year_and_prints_it(staff):
    first = _contracted()
    second = _contracted(decision=first.decision_items.get().decision, contract_number="06/2021/HĐ-KC")
    one = services.document_issue(actor=staff, job=_contract(staff, first))
    two = services.document_issue(actor=staff, job=_contract(staff, second))
    assert (one.symbol, one.year, one.doc_type, one.issued_on) == ("01/HĐ-SCT", 2021, "HĐ", dt.date(2021, 4, 15))
    assert two.symbol == "02/HĐ-SCT"
    assert "Số: 01/HĐ-SCT" in _text(one.file)
    assert one.subject.startswith(first.code) and first.beneficiaries.get().name in one.recipients


def test_asking_twice_for_the_same_contract_returns_the_same_file(staff, leader):
    project = _contracted()
    first = _contract(staff, project)
    again = services.document_request(actor=leader, kind="project_contract", params={"project": project.pk})
    assert again.pk == first.pk and again.was_reused
    assert DocumentJob.objects.filter(kind="project_contract").count() == 1


def test_a_đề_án_not_yet_approved_gets_no_contract(staff):
    project = _contracted()
    project.status = "appraised"
    project.save()
    with pytest.raises(PermissionDenied, match="chưa được phê duyệt"):
        _contract(staff, project)
    assert not DocumentJob.objects.exists()


def test_an_officer_of_another_area_gets_404_and_a_juror_403(officer_a, officer_b, juror):
    project = _contracted()  # in area A
    assert _contract(officer_a, project).status == JobStatus.DONE
    with pytest.raises(Http404):
        services.document_request(actor=officer_b, kind="project_contract", params={"project": project.pk})
    with pytest.raises(PermissionDenied):
        services.document_request(actor=juror, kind="project_contract", params={"project": project.pk})


def test_over_http_anonymous_goes_to_login_other_area_404_juror_403_bad_input_400(
    client, login, officer_b, juror, staff
):
    project = _contracted()
    url = reverse("documents:request")
    data = {"kind": "project_contract", "project": str(project.pk)}
    response = client.post(url, data)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert login(officer_b).post(url, data).status_code == 404
    assert login(juror).post(url, data).status_code == 403
    response = login(staff).post(url, {"kind": "project_contract", "project": "abc"})
    assert response.status_code == 400 and "Mã đề án không hợp lệ" in response.content.decode()
    assert not DocumentJob.objects.exists()


def test_a_signed_contract_carries_both_signatures_in_bên_a_block(staff, leader, signing):  # noqa: F811
    from documents.verification import verify_pdf

    document = services.document_issue(actor=staff, job=_contract(staff, _contracted()))
    assert "sig-signer" in document.signature_boxes
    signed = services.document_sign(actor=leader, document=document)
    assert signed.signature_count == 2
    with signed.signed_file.open("rb") as handle:
        result = verify_pdf(handle.read())
    assert len(result.signatures) == 2 and all(s.intact for s in result.signatures)


# --- the closure minutes -----------------------------------------------------------------------------------------


def test_the_closure_refers_to_contract_and_acceptance_and_says_what_is_left_to_pay(staff):
    project, record = _accepted(paid_kcdp=400_000)
    job = _closure(staff, project)
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job)
    for expected in [
        "BIÊN BẢN THANH LÝ HỢP ĐỒNG",
        "Hải Phòng, ngày 03 tháng 12 năm 2021",  # the later of the acceptance and the last payment
        f"Căn cứ Hợp đồng thực hiện đề án khuyến công số {project.contract_number} ngày 10/05/2021",
        "Căn cứ Biên bản nghiệm thu đề án ngày 25/11/2021, kết luận: đạt yêu cầu",
        "Kinh phí khuyến công địa phương hỗ trợ 2.000.000 1.000.000 400.000 600.000 0",
        "Vốn đối ứng của cơ sở 5 5 Cơ sở tự bảo đảm",
        "Bên A có trách nhiệm thanh toán cho Bên B số kinh phí khuyến công hỗ trợ còn lại: 600.000 đồng",
        "(Bằng chữ: Sáu trăm nghìn đồng)",
        "ĐẠI DIỆN BÊN A",
        "ĐẠI DIỆN BÊN B",
    ]:
        assert expected in text, expected
    assert "Số:" not in text  # a biên bản: no number until issued


def test_money_paid_beyond_what_was_accepted_is_to_be_recovered(staff):
    project, _record = _accepted(paid_kcdp=1_200_000)
    text = pdf_text(_closure(staff, project))
    assert "Bên B có trách nhiệm hoàn trả Bên A số kinh phí đã nhận vượt giá trị nghiệm thu: 200.000 đồng" in text


def test_paid_in_full_leaves_no_obligation(staff):
    project, _record = _accepted(paid_kcdp=1_000_000)
    text = pdf_text(_closure(staff, project))
    assert "hai bên không còn nghĩa vụ tài chính với nhau" in text


def test_the_closure_cites_the_issued_contract_and_is_numbered_in_the_biên_bản_register(staff):
    project, _record = _accepted(paid_kcdp=1_000_000)
    project.status = "accepted"
    project.save()
    # The contract needs an approval decision for its căn cứ; without one it still cites the laws.
    contract = services.document_issue(actor=staff, job=_contract(staff, project))
    closure = services.document_issue(actor=staff, job=_closure(staff, project))
    assert closure.doc_type == "BB" and closure.symbol == "01/BB-SCT" and closure.year == 2021
    text = _text(closure.file)
    assert f"Hợp đồng thực hiện đề án khuyến công số {contract.symbol} ngày {contract.issued_on:%d/%m/%Y}" in text
    assert "Số: 01/BB-SCT" in text


def test_without_a_passed_acceptance_the_closure_is_refused_in_vietnamese(staff, login):
    project = _contracted()
    with pytest.raises(PermissionDenied, match="chưa có biên bản nghiệm thu đạt yêu cầu"):
        _closure(staff, project)
    response = login(staff).post(reverse("documents:request"), {"kind": "contract_closure", "project": project.pk})
    assert response.status_code == 403
    assert "chưa lập được biên bản thanh lý hợp đồng" in response.content.decode()
    assert not DocumentJob.objects.exists()


def test_a_failed_acceptance_does_not_allow_closing(staff):
    project, record = _accepted(paid_kcdp=0)
    record.result = "failed"
    record.fixes_required = "Lắp lại máy thứ hai."
    record.save()
    with pytest.raises(PermissionDenied):
        _closure(staff, project)


def test_closure_scope_other_area_404_juror_403(officer_b, juror, officer_a):
    project, _record = _accepted(paid_kcdp=0)  # area A
    assert _closure(officer_a, project).status == JobStatus.DONE
    with pytest.raises(Http404):
        _closure(officer_b, project)
    with pytest.raises(PermissionDenied):
        _closure(juror, project)


# --- the đề án page ----------------------------------------------------------------------------------------------


def test_the_đề_án_page_offers_the_contract_then_shows_its_number_once_issued(login, staff):
    project = _contracted()
    page = login(staff).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="project-document-project_contract"' in page
    assert 'data-testid="request-project_contract"' in page
    # No acceptance yet: the closure line says why, with no button.
    assert "chưa có biên bản nghiệm thu đạt yêu cầu" in page
    assert 'data-testid="request-contract_closure"' not in page
    document = services.document_issue(actor=staff, job=_contract(staff, project))
    page = login(staff).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert document.symbol in page
    assert reverse("documents:issued_download", args=[document.uid]) in page
    assert 'data-testid="request-project_contract"' not in page


def test_an_officer_of_the_area_sees_the_number_but_no_register_link(login, staff, officer_a):
    project = _contracted()
    document = services.document_issue(actor=staff, job=_contract(staff, project))
    page = login(officer_a).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert document.symbol in page
    assert reverse("documents:issued_download", args=[document.uid]) not in page
    assert login(officer_a).get(reverse("documents:issued_download", args=[document.uid])).status_code == 403


def test_an_officer_of_another_area_cannot_open_the_đề_án_or_its_documents(login, staff, officer_b):
    project = _contracted()
    job = _contract(staff, project)
    assert login(officer_b).get(reverse("projects:detail", args=[project.pk])).status_code == 404
    assert login(officer_b).get(reverse("documents:download", args=[job.uid])).status_code == 404
    assert IssuedDocument.objects.count() == 0


def test_a_task_has_no_contract_line(login, staff):
    project = approved_project(decision=plan_decision(), kind="du_toan")
    page = login(staff).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="project-documents"' not in page


@pytest.mark.parametrize("area", [AREA_B])
def test_area_b_officer_requests_the_closure_of_their_own_đề_án(officer_b, area):
    project, _record = _accepted(paid_kcdp=0, area=area)
    assert _closure(officer_b, project).unit == project.unit
