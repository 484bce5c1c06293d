"""The approval report (Phụ lục: danh mục đề án được phê duyệt) of a level and year, eager Celery."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from budgets.models import FundingLine
from documents import services
from documents.models import DocumentJob, JobStatus
from projects.models import AnnualPlan, ProjectKind, ProjectStatus
from tests.conftest import AREA_B
from tests.documents.conftest import pdf_reader, pdf_text
from tests.documents.kind_data import approved_project, plan_decision
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]


def _request(actor, level="kcdp", year=2021):
    job = services.document_request(actor=actor, kind="approval_report", params={"level": level, "year": year})
    job.refresh_from_db()
    return job


@pytest.fixture
def plan():
    decision = plan_decision()
    AnnualPlan.objects.create(level="kcdp", year=2021, title="Kế hoạch KCĐP 2021", decision=decision)
    first = approved_project(decision=decision, amounts={"kcdp": 30_000_000, "doi_ung": 30_000_000})
    second = approved_project(
        decision=decision, area=AREA_B, amounts={"kcdp": 283_129_000}, kind=ProjectKind.TASK, title="Bình chọn SP"
    )
    # Not approved, another level, another year: not listed.
    ProjectFactory(in_the_field=True, status=ProjectStatus.APPRAISED, code="KCĐP-2021-X1")
    approved_project(decision=plan_decision(number="3569/QĐ-BCT"), level="kcqg", code="KCQG-2021-X")
    approved_project(decision=plan_decision(number="99/QĐ-UBND"), plan_year=2022, code="KCĐP-2022-X")
    return first, second


def test_the_appendix_lists_the_approved_projects_with_amounts_per_source_totals_and_words(staff, plan):
    first, second = plan
    job = _request(staff)
    assert job.status == JobStatus.DONE, job.error
    assert job.unit is None  # a city-wide document
    text = pdf_text(job)
    for expected in [
        "PHỤ LỤC",
        "DANH MỤC ĐỀ ÁN KHUYẾN CÔNG ĐỊA PHƯƠNG NĂM 2021 ĐƯỢC PHÊ DUYỆT",
        "Kèm theo Quyết định số 812/QĐ-UBND ngày 25/03/2021 của UBND thành phố Hải Phòng",
        "Đơn vị tính: đồng",
        first.code,
        f"Cơ sở cơ khí {first.code}",
        second.code,
        "283.129.000",
        "Tổng cộng (01 đề án, 01 dự toán)",
        "313.129.000",  # KCĐP column
        "343.129.000",  # grand total
        "Bằng chữ: Ba trăm bốn mươi ba triệu một trăm hai mươi chín nghìn đồng",
    ]:
        assert expected in text, expected
    # An appendix has no number, heading or signature of its own: it names its decision (Nghị định 30/2020).
    for absent in ["KCĐP-2021-X1", "KCQG-2021-X", "KCĐP-2022-X", "Số:", "/BC-SCT", "Nơi nhận"]:
        assert absent not in text
    page = pdf_reader(job).pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape


def test_a_long_appendix_repeats_the_table_header_on_every_page(staff):
    decision = plan_decision()
    for _ in range(45):
        approved_project(decision=decision)
    job = _request(staff)
    reader = pdf_reader(job)
    assert job.pages >= 2
    table_pages = [page.extract_text() for page in reader.pages if "KCĐP-2021-F" in page.extract_text()]
    assert len(table_pages) >= 2
    for text in table_pages:
        assert "Kinh phí được phê duyệt" in text and "Cơ sở thụ hưởng" in text
    assert "Tổng cộng (45 đề án)" in pdf_text(job)


def test_the_same_data_twice_is_rendered_once_and_a_change_makes_a_new_version(staff, leader, plan):
    first_job = _request(staff)
    again = _request(leader)
    assert again.pk == first_job.pk and DocumentJob.objects.count() == 1
    line = FundingLine.objects.get(project=plan[0], source="kcdp")
    line.approved_amount = 31_000_000
    line.save()  # as the services save it: the pre-computed figures (budgets.figures) follow the line
    changed = _request(staff)
    assert changed.pk != first_job.pk and changed.version == 2 and changed.status == JobStatus.DONE
    assert "31.000.000" in pdf_text(changed)
    first_job.refresh_from_db()
    assert first_job.file and first_job.version == 1  # the old version stays


def test_area_officers_and_jurors_may_not_ask_for_the_city_wide_appendix(login, officer_a, juror, plan):
    for user in (officer_a, juror):
        with pytest.raises(PermissionDenied):
            _request(user)
        response = login(user).post(
            reverse("documents:request"), {"kind": "approval_report", "level": "kcdp", "year": 2021}
        )
        assert response.status_code == 403
    assert not DocumentJob.objects.exists()


def test_bad_parameters_are_refused_in_vietnamese_and_nothing_is_written(login, staff):
    with pytest.raises(ValidationError, match="Cấp không hợp lệ"):
        services.document_request(actor=staff, kind="approval_report", params={"level": "abc", "year": "2021"})
    response = login(staff).post(
        reverse("documents:request"), {"kind": "approval_report", "level": "kcdp", "year": "x"}
    )
    assert response.status_code == 400 and "Năm không hợp lệ" in response.text
    assert not DocumentJob.objects.exists()


def test_the_plan_page_and_the_summary_offer_the_appendix_to_the_department_only(login, staff, officer_a, plan):
    plan_url = reverse("projects:annual_plan", args=["kcdp", 2021])
    assert 'data-testid="request-approval_report"' in login(staff).get(plan_url).text
    assert 'data-testid="request-approval_report"' not in login(officer_a).get(plan_url).text
    summary = login(staff).get(reverse("budgets:summary") + "?year=2021").text
    assert 'data-testid="request-approval_report-kcdp"' in summary
    assert 'data-testid="request-annual_report"' in summary
    response = login(staff).post(
        reverse("documents:request"), {"kind": "approval_report", "level": "kcdp", "year": "2021"}
    )
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.DONE
    assert login(staff).get(reverse("documents:download", args=[job.uid])).status_code == 200
    # The job has no unit: an officer who got hold of its link sees nothing.
    assert login(officer_a).get(reverse("documents:detail", args=[job.uid])).status_code == 404
