"""The biên bản nghiệm thu of one acceptance session, eager Celery."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from documents import services
from documents.models import DocumentJob, JobStatus
from field.models import CouncilMember
from tests.conftest import AREA_B
from tests.documents.conftest import pdf_text
from tests.documents.kind_data import acceptance

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]


def _request(actor, record):
    job = services.document_request(actor=actor, kind="acceptance_record", params={"acceptance": record.pk})
    job.refresh_from_db()
    return job


def test_the_record_has_the_national_heading_council_outputs_funds_conclusion_and_signatures(officer_a):
    record = acceptance()
    job = _request(officer_a, record)
    assert job.status == JobStatus.DONE, job.error
    assert job.unit == record.project.unit and job.pages <= 2
    text = pdf_text(job)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hải Phòng, ngày 25 tháng 11 năm 2021",  # dated by the session, not the day of the request
        "BIÊN BẢN NGHIỆM THU",
        "Đề án khuyến công địa phương năm 2021",
        f"Hợp đồng số {record.contract_reference} ngày 10/05/2021",
        "Quyết định 812/QĐ-UBND",
        "vào hồi 09 giờ 00, ngày 25 tháng 11 năm 2021, tại Hợp tác xã Nước mắm Cát Hải",
        "Phạm Minh Đức",
        "Chủ tịch hội đồng",
        "Thư ký",
        "Máy đánh đảo chượp 1",
        "Lắp đặt đúng thiết kế",
        "Kinh phí khuyến công địa phương",
        "Vốn đối ứng của cơ sở",
        "1.000.005",
        "Kinh phí đã sử dụng bằng chữ: Một triệu không trăm linh năm đồng",
        "ĐẠT",
        "Cơ sở duy trì nhật ký vận hành.",
        "ĐẠI DIỆN CƠ SỞ THỤ HƯỞNG",
        "ĐẠI DIỆN ĐƠN VỊ THỰC HIỆN",
        "THƯ KÝ HỘI ĐỒNG",
        "CHỦ TỊCH HỘI ĐỒNG",
        "Lê Quang Vinh",
    ]:
        assert expected in text, expected
    assert "Số:" not in text  # a biên bản has no number


def test_a_failed_session_says_so_and_what_must_be_fixed(staff):
    record = acceptance(result="failed", fixes_required="Bổ sung hóa đơn máy số 2")
    text = pdf_text(_request(staff, record))
    assert "KHÔNG ĐẠT" in text and "Bổ sung hóa đơn máy số 2" in text


def test_another_areas_record_is_a_404_and_a_juror_is_refused(login, officer_b, juror):
    record = acceptance()
    with pytest.raises(Http404):
        _request(officer_b, record)
    assert (
        login(officer_b)
        .post(reverse("documents:request"), {"kind": "acceptance_record", "acceptance": record.pk})
        .status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        _request(juror, record)
    assert not DocumentJob.objects.exists()


def test_the_same_record_twice_is_rendered_once_and_a_council_change_makes_a_new_version(staff, officer_a):
    record = acceptance()
    first = _request(staff, record)
    assert _request(officer_a, record).pk == first.pk
    CouncilMember.objects.filter(acceptance=record, role="secretary").update(full_name="Trần Thị Hồng Nhung")
    second = _request(staff, record)
    assert second.pk != first.pk and second.version == 2
    assert "Trần Thị Hồng Nhung" in pdf_text(second)


def test_the_acceptance_page_offers_the_record_and_an_officer_of_another_area_cannot_see_its_job(
    login, officer_a, officer_b
):
    record = acceptance()
    page = login(officer_a).get(reverse("field:acceptance_detail", args=[record.pk])).text
    assert 'data-testid="request-acceptance_record"' in page
    login(officer_a).post(reverse("documents:request"), {"kind": "acceptance_record", "acceptance": record.pk})
    job = DocumentJob.objects.get()
    assert login(officer_a).get(reverse("documents:download", args=[job.uid])).status_code == 200
    assert login(officer_b).get(reverse("documents:download", args=[job.uid])).status_code == 404


def test_an_acceptance_in_area_b_is_visible_to_its_officer(officer_b):
    record = acceptance(area=AREA_B)
    assert _request(officer_b, record).status == JobStatus.DONE
