"""Field report (with its photos) and inspection record documents, eager Celery; the renderer's file access."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from documents import rendering, services
from documents.models import DocumentJob, JobStatus
from tests.documents.conftest import pdf_reader, pdf_text
from tests.documents.kind_data import add_photo, field_report, inspection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]


def _request(actor, kind, **params):
    job = services.document_request(actor=actor, kind=kind, params=params)
    job.refresh_from_db()
    return job


def _images(job) -> int:
    """Distinct embedded images (WeasyPrint may share one resource dictionary between pages)."""
    import hashlib

    return len({hashlib.sha256(image.data).hexdigest() for page in pdf_reader(job).pages for image in page.images})


def test_a_field_report_carries_its_photos_and_a_new_photo_makes_a_new_version(officer_a, staff):
    report = field_report(author=officer_a, photos=2)
    job = _request(staff, "field_report", report=report.pk)
    assert job.status == JobStatus.DONE, job.error
    assert job.unit == report.unit
    text = pdf_text(job)
    for expected in [
        "BÁO CÁO KIỂM TRA THỰC ĐỊA",
        report.project.code,
        "Ngày đến cơ sở: 20/09/2021",
        "khoảng 90%",
        "Hệ thống máy đã lắp tại 6 bể",
        "Vướng mắc: Nhà cung cấp chậm giao máy thứ hai.",
        "Ảnh 1: Ảnh be-chuop-1.jpg",
        "Ảnh 2: Ảnh be-chuop-2.jpg",
        "NGƯỜI BÁO CÁO",
        officer_a.get_full_name(),
    ]:
        assert expected in text, expected
    assert _images(job) == 2
    assert _request(officer_a, "field_report", report=report.pk).pk == job.pk  # same data: same file
    add_photo(report, "may-2.jpg", color=(200, 40, 40))
    newer = _request(officer_a, "field_report", report=report.pk)
    assert newer.pk != job.pk and newer.version == 2 and _images(newer) == 3


def test_a_draft_report_cannot_be_printed_and_another_areas_report_is_a_404(login, officer_a, officer_b):
    draft = field_report(author=officer_a, photos=0, submitted=False)
    with pytest.raises(PermissionDenied, match="bản nháp"):
        _request(officer_a, "field_report", report=draft.pk)
    sent = field_report(author=officer_a, photos=0)
    with pytest.raises(Http404):
        _request(officer_b, "field_report", report=sent.pk)
    response = login(officer_b).post(reverse("documents:request"), {"kind": "field_report", "report": sent.pk})
    assert response.status_code == 404
    assert not DocumentJob.objects.exists()
    page = login(officer_a).get(reverse("field:report_detail", args=[sent.pk])).text
    assert 'data-testid="request-field_report"' in page
    assert (
        'data-testid="request-field_report"'
        not in login(officer_a).get(reverse("field:report_detail", args=[draft.pk])).text
    )


def test_an_inspection_record_lists_the_team_findings_actions_and_the_days_photos(staff, officer_a):
    record = inspection(team=[staff])
    report = field_report(author=officer_a, photos=1)
    report.project = record.project
    report.visit_date = record.done_date
    report.save()
    job = _request(staff, "inspection_record", inspection=record.pk)
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job)
    for expected in [
        "BIÊN BẢN KIỂM TRA",
        "Hải Phòng, ngày 26 tháng 11 năm 2021",
        staff.get_full_name(),
        "Đại diện UBND huyện Cát Hải",
        "Máy thứ nhất vận hành",
        "Đề án chậm tiến độ khoảng 1 tháng",
        "TRƯỞNG ĐOÀN",
    ]:
        assert expected in text, expected
    assert "Số:" not in text and _images(job) == 1


def test_an_inspection_not_done_is_refused_and_another_areas_is_a_404(login, staff, officer_b):
    planned = inspection(status="planned")
    with pytest.raises(PermissionDenied, match="đã thực hiện"):
        _request(staff, "inspection_record", inspection=planned.pk)
    done = inspection()
    with pytest.raises(Http404):
        _request(officer_b, "inspection_record", inspection=done.pk)
    assert not DocumentJob.objects.exists()
    page = login(staff).get(reverse("field:inspection_detail", args=[done.pk])).text
    assert 'data-testid="request-inspection_record"' in page
    assert (
        'data-testid="request-inspection_record"'
        not in login(staff).get(reverse("field:inspection_detail", args=[planned.pk])).text
    )


def test_the_renderer_reads_only_fonts_and_media(tmp_path):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    inside = media / "x.txt"
    inside.write_text("ok")
    assert rendering.local_path(inside.as_uri()) == inside.resolve()
    assert rendering.local_path((rendering.FONTS_DIR / "LiberationSerif-Regular.ttf").as_uri())
    for url in [
        "file:///etc/passwd",
        f"file://{media}/../../etc/passwd",
        "http://example.com/a.png",
        "https://169.254.169.254/latest/meta-data",
        "file://otherhost/etc/passwd",
    ]:
        with pytest.raises(rendering.ForbiddenResource):
            rendering.url_fetcher(url)
    assert rendering.url_fetcher("data:text/plain;base64,b2s=")
    # A template that names a file outside still renders, without that file.
    pdf = rendering.html_to_pdf('<html><body><img src="file:///etc/passwd"><p>Văn bản</p></body></html>')
    assert pdf.pages == 1 and b"root:" not in pdf.content
