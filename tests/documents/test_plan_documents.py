"""The plan-level documents around an approval (budgets.plan_documents): the Tờ trình with its draft decision, the
recorded decision with its appendix, the appendix on its own, and the KCQG registration; eager Celery."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import resolve_url
from django.urls import reverse
from pypdf import PdfReader

from budgets.models import FundingLine
from documents import services
from documents.models import DocumentJob, IssuedDocument, JobStatus, RegisterCounter
from documents.signing import MM
from documents.verification import verify_pdf
from projects.models import AnnualPlan, ProjectKind, ProjectStatus
from tests.conftest import AREA_B
from tests.documents.conftest import pdf_reader, pdf_text
from tests.documents.kind_data import approved_project, plan_decision
from tests.documents.test_register import _pki, signing  # noqa: F401  (fixtures: the test CA and identities)
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]

LOCAL = {"level": "kcdp", "year": 2021}
NATIONAL = {"level": "kcqg", "year": 2022}


def _request(actor, kind, params):
    job = services.document_request(actor=actor, kind=kind, params=params)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job


def _file_text(file) -> str:
    with file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _page_texts(job) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pdf_reader(job).pages]


@pytest.fixture
def local_plan():
    """KCĐP 2021: two approved đề án in the city's decision 812/QĐ-UBND (one of them a dự toán)."""
    decision = plan_decision(signer="Lê Khắc Nam", signer_title="Phó Chủ tịch")
    AnnualPlan.objects.create(level="kcdp", year=2021, title="Kế hoạch KCĐP 2021", decision=decision)
    first = approved_project(decision=decision, amounts={"kcdp": 30_000_000, "doi_ung": 30_000_000})
    second = approved_project(
        decision=decision, area=AREA_B, amounts={"kcdp": 283_129_000}, kind=ProjectKind.TASK, title="Bình chọn SP"
    )
    # Not yet appraised, failed appraisal, another year: in none of the documents.
    ProjectFactory(in_the_field=True, status=ProjectStatus.REGISTERED, code="KCĐP-2021-X1")
    ProjectFactory(in_the_field=True, status=ProjectStatus.APPRAISED, appraisal_result="failed", code="KCĐP-2021-X2")
    approved_project(decision=plan_decision(number="99/QĐ-UBND"), plan_year=2022, code="KCĐP-2022-X")
    return decision, first, second


@pytest.fixture
def national_plan():
    """KCQG 2022: one registered đề án with money proposed (estimated) but nothing approved yet."""
    project = ProjectFactory(
        in_the_field=True, status=ProjectStatus.REGISTERED, level="kcqg", plan_year=2022, code="KCQG-2022-01"
    )
    for source, amount in {"kcqg": 600_000_000, "doi_ung": 1_400_000_000}.items():
        FundingLine.objects.create(project=project, source=source, cost_item="thiet_bi", estimated_cost=amount)
    ProjectFactory(in_the_field=True, status=ProjectStatus.DRAFT, level="kcqg", plan_year=2022, code="KCQG-2022-D")
    return project


# --- the Tờ trình and its draft decision ---------------------------------------------------------------------


def test_the_submission_asks_the_committee_and_carries_the_draft_decision_and_its_appendix(staff, local_plan):
    _decision, first, second = local_plan
    job = _request(staff, "plan_submission", LOCAL)
    assert job.unit is None
    text = pdf_text(job)
    for expected in [
        "SỞ CÔNG THƯƠNG",
        "/TTr-SCT",
        "TỜ TRÌNH",
        "Về việc phê duyệt kế hoạch khuyến công địa phương năm 2021",
        "Kính gửi: Ủy ban nhân dân thành phố Hải Phòng.",
        "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công;",
        "Căn cứ Quyết định số 191/QĐ-UBND",
        "01 đề án và 01 dự toán",
        "343.129.000 đồng",
        "Bằng chữ: Ba trăm bốn mươi ba triệu một trăm hai mươi chín nghìn đồng",
        "Sở Công Thương kính trình Ủy ban nhân dân thành phố Hải Phòng xem xét, quyết định./.",
        "KT. GIÁM ĐỐC",
        # the draft decision
        "DỰ THẢO",
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
        "/QĐ-UBND",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Điều 1. Phê duyệt kế hoạch khuyến công địa phương năm 2021 gồm 01 đề án và 01 dự toán",
        "Kinh phí khuyến công địa phương (ngân sách địa phương): 313.129.000 đồng",
        "Vốn đối ứng của cơ sở thụ hưởng: 30.000.000 đồng",
        "Điều 2. Tổ chức thực hiện",
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
        "Như Điều 3;",
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        # its appendix
        "PHỤ LỤC",
        "(Kèm theo dự thảo Quyết định số ......../QĐ-UBND ngày ....../....../...... của UBND thành phố Hải Phòng)",
        "Kinh phí đề nghị phê duyệt",
        first.code,
        second.code,
        "Tổng cộng (01 đề án, 01 dự toán)",
    ]:
        assert expected in text, expected
    for absent in ["KCĐP-2021-X1", "KCĐP-2021-X2", "KCĐP-2022-X", "235/2025/NĐ-CP"]:
        assert absent not in text, absent
    # The draft decision starts on its own page, the appendix on landscape pages.
    pages = pdf_reader(job).pages
    draft_page = next(i for i, t in enumerate(_page_texts(job)) if "DỰ THẢO" in t)
    assert draft_page >= 1 and "TỜ TRÌNH" not in _page_texts(job)[draft_page]
    assert pages[0].mediabox.width < pages[0].mediabox.height
    assert pages[-1].mediabox.width > pages[-1].mediabox.height


def test_the_submission_proposes_the_estimated_money_before_anything_is_approved(staff):
    project = ProjectFactory(in_the_field=True, status=ProjectStatus.APPRAISED, appraisal_result="passed")
    FundingLine.objects.create(project=project, source="kcdp", cost_item="thiet_bi", estimated_cost=120_000_000)
    text = pdf_text(_request(staff, "plan_submission", {"level": "kcdp", "year": project.plan_year}))
    assert project.code in text and "120.000.000" in text
    assert "Bằng chữ: Một trăm hai mươi triệu đồng" in text


def test_issuing_the_submission_numbers_it_in_the_tt_register_and_names_it_in_the_draft(staff, local_plan):
    document = services.document_issue(actor=staff, job=_request(staff, "plan_submission", LOCAL))
    assert (document.doc_type, document.number, document.symbol) == ("TTr", 1, "01/TTr-SCT")
    assert document.recipients.startswith("Ủy ban nhân dân thành phố Hải Phòng")
    text = _file_text(document.file)
    assert "Số: 01/TTr-SCT" in text
    assert f"tại Tờ trình số 01/TTr-SCT ngày {document.issued_on:%d/%m/%Y}" in text
    assert RegisterCounter.objects.get(doc_type="TTr", year=document.issued_on.year).last_number == 1


def test_the_submission_and_the_registration_need_their_own_level(staff, local_plan):
    with pytest.raises(ValidationError, match="chỉ lập cho kế hoạch KCĐP"):
        services.document_request(actor=staff, kind="plan_submission", params={"level": "kcqg", "year": 2021})
    with pytest.raises(ValidationError, match="chỉ dành cho kế hoạch KCQG"):
        services.document_request(actor=staff, kind="national_plan_registration", params=LOCAL)
    with pytest.raises(ValidationError, match="chưa có đề án nào đã thẩm định đạt"):
        services.document_request(actor=staff, kind="plan_submission", params={"level": "kcdp", "year": 2030})
    assert not DocumentJob.objects.exists()


# --- the recorded decision and its appendix -------------------------------------------------------------------


def test_the_recorded_decision_carries_its_number_date_signer_and_its_appendix(staff, local_plan):
    job = _request(staff, "approval_decision", LOCAL)
    text = pdf_text(job)
    for expected in [
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
        "Số: 812/QĐ-UBND",
        "Hải Phòng, ngày 25 tháng 3 năm 2021",
        "QUYẾT ĐỊNH",
        "Về việc phê duyệt kế hoạch khuyến công địa phương năm 2021",
        "Theo đề nghị của Giám đốc Sở Công Thương.",
        "Điều 1. Phê duyệt kế hoạch khuyến công địa phương năm 2021 gồm 01 đề án và 01 dự toán",
        "tổng kinh phí 343.129.000 đồng (Bằng chữ: Ba trăm bốn mươi ba triệu một trăm hai mươi chín nghìn đồng)",
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        "Lê Khắc Nam",
        "PHỤ LỤC",
        "(Kèm theo Quyết định số 812/QĐ-UBND ngày 25/03/2021 của UBND thành phố Hải Phòng)",
        "Kinh phí được phê duyệt",
    ]:
        assert expected in text, expected
    assert "DỰ THẢO" not in text and "SỞ CÔNG THƯƠNG" not in text


def test_the_decision_is_entered_under_its_own_number_and_names_the_issued_submission(staff, leader, local_plan):
    decision = local_plan[0]
    submission = services.document_issue(actor=staff, job=_request(staff, "plan_submission", LOCAL))
    # A Tờ trình issued after the decision is not what it answered.
    assert "Theo đề nghị của Giám đốc Sở Công Thương. QUYẾT ĐỊNH" in pdf_text(
        _request(staff, "approval_decision", LOCAL)
    )
    decision.signed_on = submission.issued_on
    decision.save()
    job = _request(staff, "approval_decision", LOCAL)
    assert f"tại Tờ trình số {submission.symbol} ngày {submission.issued_on:%d/%m/%Y}" in pdf_text(job)
    document = services.document_issue(actor=staff, job=job)
    assert (document.doc_type, document.number, document.symbol) == ("QĐ-UBND", 812, "812/QĐ-UBND")
    assert document.issued_on == submission.issued_on and document.year == submission.issued_on.year
    assert document.signer_name == "Lê Khắc Nam"
    assert not RegisterCounter.objects.filter(doc_type__startswith="QĐ").exists()  # no number taken
    assert "Số: 812/QĐ-UBND" in _file_text(document.file)


def test_the_decision_needs_a_recorded_decision_and_a_local_plan(staff):
    AnnualPlan.objects.create(level="kcdp", year=2021, title="Kế hoạch KCĐP 2021")
    with pytest.raises(ValidationError, match="Chưa ghi nhận quyết định phê duyệt kế hoạch KCĐP năm 2021"):
        services.document_request(actor=staff, kind="approval_decision", params=LOCAL)
    with pytest.raises(ValidationError, match="do Bộ Công Thương ban hành"):
        services.document_request(actor=staff, kind="approval_decision", params={"level": "kcqg", "year": 2021})
    assert not DocumentJob.objects.exists()


def test_the_appendix_has_no_number_and_names_the_decision_it_belongs_to(staff, local_plan):
    job = _request(staff, "approval_report", LOCAL)
    text = pdf_text(job)
    assert text.startswith("PHỤ LỤC")
    assert "(Kèm theo Quyết định số 812/QĐ-UBND ngày 25/03/2021 của UBND thành phố Hải Phòng)" in text
    for absent in ["Số:", "/BC-SCT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nơi nhận"]:
        assert absent not in text, absent
    document = services.document_issue(actor=staff, job=job)
    assert (document.doc_type, document.number, document.symbol) == ("PL-UBND", 812, "812/QĐ-UBND")
    assert document.issued_on.isoformat() == "2021-03-25"
    assert document.recipients.startswith("Gửi kèm Quyết định số 812/QĐ-UBND")
    issued_text = _file_text(document.file)
    assert "Số:" not in issued_text and "SCT" not in issued_text
    assert not RegisterCounter.objects.exists()


def test_an_appendix_without_a_recorded_decision_is_drafted_but_not_issued(staff):
    approved_project(decision=plan_decision(kind="adjustment"))
    job = _request(staff, "approval_report", LOCAL)
    assert "Kèm theo Quyết định số" in pdf_text(job) and "chưa ghi nhận quyết định phê duyệt" in pdf_text(job)
    with pytest.raises(ValidationError, match="Phụ lục chỉ ban hành kèm theo quyết định phê duyệt"):
        services.document_issue(actor=staff, job=job)
    assert not IssuedDocument.objects.exists()


def test_a_decision_entered_twice_is_refused_in_vietnamese(staff, local_plan):
    first = services.document_issue(actor=staff, job=_request(staff, "approval_decision", LOCAL))
    with pytest.raises(ValidationError, match="đã được ban hành là văn bản số 812/QĐ-UBND"):
        services.document_issue(actor=staff, job=_request(staff, "approval_decision", LOCAL))
    # The same decision recorded for another year's plan cannot take its number a second time, nor be replaced.
    decision = local_plan[0]
    AnnualPlan.objects.create(level="kcdp", year=2022, title="Kế hoạch KCĐP 2022", decision=decision)
    other = _request(staff, "approval_decision", {"level": "kcdp", "year": 2022})
    with pytest.raises(ValidationError, match="Số 812/QĐ-UBND đã có trong sổ văn bản đi"):
        services.document_issue(actor=staff, job=other)
    with pytest.raises(ValidationError, match="mang số do cơ quan khác cấp"):
        services.document_issue(actor=staff, job=other, replaces=first, reason="Sửa")
    assert IssuedDocument.objects.get() == first


def test_the_decision_and_its_appendix_are_signed_and_verify_intact(staff, leader, signing, local_plan):  # noqa: F811
    for kind in ("approval_decision", "approval_report"):
        document = services.document_issue(actor=staff, job=_request(staff, kind, LOCAL))
        signed = services.document_sign(actor=leader, document=document)
        with signed.signed_file.open("rb") as handle:
            result = verify_pdf(handle.read())
        assert result.readable and len(result.signatures) == 2 and result.all_ok, kind
    # The appendix is an attached file: the organisation's text signature sits at the top right of its
    # (landscape) first page, inside the page.
    appendix = IssuedDocument.objects.get(kind="approval_report")
    with appendix.signed_file.open("rb") as handle:
        page = PdfReader(io.BytesIO(handle.read())).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert width > height
    rects = [
        [float(v) for v in annot.get_object()["/Rect"]]
        for annot in page.get("/Annots", [])
        if "organisation" in str(annot.get_object().get("/T", ""))
    ]
    assert len(rects) == 1
    x1, y1, x2, y2 = rects[0]
    assert width / 2 < x1 < x2 <= width - 15 * MM and height - 21 * MM < y1 < y2 <= height


# --- the KCQG registration ---------------------------------------------------------------------------------------


def test_the_registration_lists_the_registered_projects_with_the_money_proposed_per_source(staff, national_plan):
    job = _request(staff, "national_plan_registration", NATIONAL)
    text = pdf_text(job)
    for expected in [
        "SỞ CÔNG THƯƠNG",
        "/CV-SCT",
        "V/v đăng ký kế hoạch khuyến công quốc gia năm 2022",
        "Kính gửi: Cục Công Thương địa phương - Bộ Công Thương.",
        "Thông tư số 36/2013/TT-BCT",
        "Thông tư số 17/2018/TT-BCT",
        "Căn cứ Quyết định số 1881/QĐ-TTg",
        "1. Số lượng: 01 đề án",
        "2.000.000.000 đồng",
        "Bằng chữ: Hai tỷ đồng",
        "Kinh phí khuyến công quốc gia đề nghị hỗ trợ: 600.000.000 đồng",
        "Vốn đối ứng của cơ sở thụ hưởng: 1.400.000.000 đồng",
        "PHỤ LỤC",
        "DANH MỤC ĐỀ ÁN KHUYẾN CÔNG QUỐC GIA NĂM 2022 ĐĂNG KÝ THỰC HIỆN",
        "(Kèm theo Công văn số ......../CV-SCT",
        national_plan.code,
        "Kinh phí đề nghị",
    ]:
        assert expected in text, expected
    assert "KCQG-2022-D" not in text and "191/QĐ-UBND" not in text
    document = services.document_issue(actor=staff, job=job)
    assert document.symbol == "01/CV-SCT" and document.recipients.startswith("Cục Công Thương địa phương")
    assert f"(Kèm theo Công văn số 01/CV-SCT ngày {document.issued_on:%d/%m/%Y}" in _file_text(document.file)


# --- who may ask, bad input, repeats, pages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params"),
    [("plan_submission", LOCAL), ("approval_decision", LOCAL), ("national_plan_registration", NATIONAL)],
)
def test_officers_jurors_and_anonymous_are_refused_and_nothing_is_written(
    kind, params, login, client, officer_a, juror, local_plan, national_plan
):
    for user in (officer_a, juror):
        with pytest.raises(PermissionDenied):
            services.document_request(actor=user, kind=kind, params=params)
        assert login(user).post(reverse("documents:request"), {"kind": kind, **params}).status_code == 403
    # Anonymous: sent to the log-in page, like every non-public page of the site.
    client.logout()
    for response in (
        client.get(reverse("projects:annual_plan", args=[params["level"], params["year"]])),
        client.post(reverse("documents:request"), {"kind": kind, **params}),
    ):
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert not DocumentJob.objects.exists()


@pytest.mark.parametrize("kind", ["plan_submission", "approval_decision", "national_plan_registration"])
def test_bad_year_or_level_is_refused_in_vietnamese_and_nothing_is_written(kind, login, staff):
    client = login(staff)
    for params, message in [
        ({"level": "kcdp", "year": "x"}, "Năm không hợp lệ"),
        ({"level": "kcdp", "year": "1890"}, "Năm không hợp lệ"),
        ({"level": "abc", "year": "2021"}, "Cấp không hợp lệ"),
    ]:
        response = client.post(reverse("documents:request"), {"kind": kind, **params})
        assert response.status_code == 400 and message in response.text, (params, response.status_code)
    assert not DocumentJob.objects.exists()


def test_asking_again_returns_the_same_document(staff, leader, local_plan, national_plan):
    for kind, params in [
        ("plan_submission", LOCAL),
        ("approval_decision", LOCAL),
        ("national_plan_registration", NATIONAL),
    ]:
        first = _request(staff, kind, params)
        again = _request(leader, kind, params)
        assert again.pk == first.pk and again.version == 1
    assert DocumentJob.objects.count() == 3


def test_the_plan_pages_offer_the_documents_of_each_level_to_the_department(
    login, staff, officer_a, local_plan, national_plan
):
    local_page = login(staff).get(reverse("projects:annual_plan", args=["kcdp", 2021])).text
    for kind in ("plan_submission", "approval_decision", "approval_report"):
        assert f'data-testid="request-{kind}"' in local_page, kind
    assert 'data-testid="request-national_plan_registration"' not in local_page
    national_page = login(staff).get(reverse("projects:annual_plan", args=["kcqg", 2022])).text
    assert 'data-testid="request-national_plan_registration"' in national_page
    assert "20/06/2021" in national_page  # the registration's deadline
    assert 'data-testid="request-plan_submission"' not in national_page
    officer_page = login(officer_a).get(reverse("projects:annual_plan", args=["kcdp", 2021])).text
    assert "request-plan_submission" not in officer_page and "request-approval_decision" not in officer_page
    summary = login(staff).get(reverse("budgets:summary") + "?year=2021").text
    assert 'data-testid="request-plan_submission-kcdp"' in summary
    response = login(staff).post(reverse("documents:request"), {"kind": "plan_submission", **LOCAL})
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.DONE
    assert login(staff).get(reverse("documents:download", args=[job.uid])).status_code == 200
    assert login(officer_a).get(reverse("documents:detail", args=[job.uid])).status_code == 404
