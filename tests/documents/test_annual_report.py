"""The annual programme report (báo cáo kết quả khuyến công năm), eager Celery, on the 2021 demo data."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from documents import services
from documents.models import DocumentJob, JobStatus
from monitoring.document_kinds import AnnualReport, million
from tests.documents.conftest import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (600_000_000, "600"),
        (986_629_000, "986,629"),
        (1_521_500_000, "1.521,5"),
        (3_108_129_000, "3.108,129"),
        (21_000_000, "21"),
        (1_000_005, "1"),
        (0, "0"),
    ],
)
def test_amounts_in_sentences_are_in_trieu_dong_without_trailing_zeros(amount, text):
    assert million(amount) == text


def test_the_narrative_is_built_from_the_data_with_two_digit_counts():
    data = {
        "year": 2022,
        "counts_by_level": [{"level": "kcdp", "short": "KCĐP", "counts": {"de_an": 12}}],
        "approving_bodies": {"kcdp": "UBND thành phố Hải Phòng"},
        "total": {"approved": 21_000_000, "disbursed": 0, "settled": 0},
        "by_source": [{"key": "kcdp", "label": "", "approved": 21_000_000}],
        "counts_by_status": [{"label": "Đang thực hiện", "counts": {"de_an": 12}}],
    }
    assert AnnualReport.summary_sentence(data) == (
        "Năm 2022, UBND thành phố Hải Phòng phê duyệt 12 đề án KCĐP với tổng kinh phí 21 triệu đồng, "
        "trong đó kinh phí KCĐP 21 triệu đồng."
    )
    assert AnnualReport.progress_sentence(data) == (
        "Đến thời điểm báo cáo, đã giải ngân 0 triệu đồng (0,0% kinh phí được phê duyệt), đã quyết toán 0 triệu "
        "đồng. Về tiến độ: đang thực hiện 12 đề án."
    )
    assert AnnualReport.summary_sentence({**data, "counts_by_level": []}) == (
        "Năm 2022, chưa có đề án khuyến công nào được phê duyệt."
    )


def test_the_2021_report_reads_like_the_departments_and_is_rendered_once(demo, login, staff, leader, officer_a):
    job = services.document_request(actor=leader, kind="annual_report", params={"year": "2021"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job)
    for expected in [
        "BÁO CÁO",
        "Kết quả thực hiện chương trình khuyến công năm 2021",
        "Năm 2021, Bộ Công Thương phê duyệt 01 đề án KCQG, UBND thành phố Hải Phòng phê duyệt 07 đề án và 01 dự "
        "toán KCĐP với tổng kinh phí 3.108,129 triệu đồng, trong đó kinh phí KCQG 600 triệu đồng, KCĐP 986,629 "
        "triệu đồng, vốn đối ứng của cơ sở 1.521,5 triệu đồng.",
        "Ba tỷ một trăm linh tám triệu một trăm hai mươi chín nghìn đồng",
        "đã nghiệm thu 02 đề án và 01 dự toán",
        "4.3. Mô hình trình diễn kỹ thuật",
        "Huyện Cát Hải",
        "KHÓ KHĂN, VƯỚNG MẮC",
        "Nhà cung cấp chậm giao máy thứ hai",
        "BÌNH CHỌN SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU",
        "Quyết định số 3456/QĐ-UBND",
        "Nước mắm truyền thống Cát Hải",
    ]:
        assert expected in text, expected
    again = services.document_request(actor=staff, kind="annual_report", params={"year": 2021})
    assert again.pk == job.pk and DocumentJob.objects.filter(kind="annual_report").count() == 1

    only_local = services.document_request(actor=staff, kind="annual_report", params={"year": 2021, "level": "kcdp"})
    only_local.refresh_from_db()
    local_text = pdf_text(only_local)
    assert "UBND thành phố Hải Phòng phê duyệt 07 đề án và 01 dự toán KCĐP với tổng kinh phí 1.108,129" in local_text
    assert "Bộ Công Thương phê duyệt" not in local_text

    with pytest.raises(PermissionDenied):
        services.document_request(actor=officer_a, kind="annual_report", params={"year": 2021})
    page = login(staff).get(reverse("documents:list")).text
    assert 'data-testid="annual-report-form"' in page
    assert 'data-testid="annual-report-form"' not in login(officer_a).get(reverse("documents:list")).text
