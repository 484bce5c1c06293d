"""Certificates and the scoring summary as document jobs (Celery eager; the real worker: test_documents_worker)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from contest.models import Certificate, ContestState, ScoreSheet
from contest.selectors import scoring_criteria
from contest.services import sheet_correct
from documents import services
from documents.models import DocumentJob, JobStatus
from documents.rendering import params_key
from tests.contest.conftest import published, score
from tests.documents.conftest import pdf_reader, pdf_text
from tests.factories import EntryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]

EMBEDDED_FONTS = {
    "Liberation-Serif",
    "Liberation-Serif-Bold",
    "Liberation-Serif-Italic",
    "Liberation-Serif-Bold-Italic",
}


def _certificate_job(actor, certificate):
    return services.document_request(actor=actor, kind="contest_certificate", params={"certificate": certificate.pk})


def _summary_job(actor, contest):
    return services.document_request(actor=actor, kind="contest_summary", params={"contest": contest.pk})


def _fonts(job) -> set[str]:
    fonts = set()
    for page in pdf_reader(job).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[1])
    return fonts


# Certificates -------------------------------------------------------------------------------------------------


def test_a_certificate_pdf_is_an_official_landscape_page_with_the_embedded_fonts(staff, jurors, contest):
    contest, (a, _b, _c) = published(staff, jurors, contest)
    certificate = Certificate.objects.get(entry=a)
    job = _certificate_job(staff, certificate)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.version == 1 and job.pages == 1
    assert job.unit == a.beneficiary.unit and job.title == f"Giấy chứng nhận 01/2026/SPCNNTTB – {a.product_name}"
    page = pdf_reader(job).pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    text = pdf_text(job)
    for expected in (
        "UBND THÀNH PHỐ HẢI PHÒNG",
        "SỞ CÔNG THƯƠNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/2026/SPCNNTTB",
        "GIẤY CHỨNG NHẬN",
        "SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU CẤP THÀNH PHỐ NĂM 2026",
        a.product_name,
        a.beneficiary.name,
        "86,00/100",
        "1234/QĐ-UBND ngày 30/11/2026",
        "có giá trị đến hết ngày 31/12/2029",
        # dated on the day of issue, not the day the PDF was asked for
        "Hải Phòng, ngày 05 tháng 12 năm 2026",
    ):
        assert expected in text, expected
    assert "Nơi nhận" not in text
    assert _fonts(job) <= EMBEDDED_FONTS


def test_a_certificate_asked_again_even_another_day_is_the_same_file(monkeypatch, staff, leader, jurors, contest):
    contest, (a, _b, _c) = published(staff, jurors, contest)
    certificate = Certificate.objects.get(entry=a)
    first = _certificate_job(staff, certificate)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2027, 3, 1))
    again = _certificate_job(leader, certificate)
    assert again.pk == first.pk and DocumentJob.objects.count() == 1
    assert set(again.requesters.all()) == {staff, leader}
    # The contest's signer changes: the certificate reads differently, so a new version; the old one stays.
    contest.signer_name = "Lê Thị Thu"
    contest.save()
    newer = _certificate_job(staff, certificate)
    newer.refresh_from_db()
    assert newer.pk != first.pk and newer.version == 2 and "Lê Thị Thu" in pdf_text(newer)
    assert DocumentJob.objects.filter(status=JobStatus.DONE).count() == 2


def test_the_secretary_requests_every_certificate_then_downloads_one(login, staff, jurors, contest):
    contest, (a, b, _c) = published(staff, jurors, contest)
    client = login(staff)
    page = client.get(reverse("contest:certificates", args=[contest.pk]))
    assert page.text.count('data-testid="request-certificate"') == 2 and "download-certificate" not in page.text

    response = client.post(reverse("contest:certificate_pdfs", args=[contest.pk]), follow=True)
    assert response.status_code == 200
    assert "Đã yêu cầu 2 bản PDF giấy chứng nhận" in response.text
    jobs = DocumentJob.objects.filter(kind="contest_certificate")
    assert jobs.count() == 2 and set(jobs.values_list("status", flat=True)) == {JobStatus.DONE}
    assert response.text.count('data-testid="download-certificate"') == 2
    assert "request-certificate" not in response.text

    job = jobs.get(params={"certificate": Certificate.objects.get(entry=b).pk})
    download = client.get(reverse("documents:download", args=[job.uid]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b.product_name in pdf_text(job) and "76,00/100" in pdf_text(job)

    # Again: nothing is rendered twice.
    again = client.post(reverse("contest:certificate_pdfs", args=[contest.pk]), follow=True)
    assert "2 bản đã sẵn sàng" in again.text and jobs.count() == 2


def test_one_certificate_is_requested_from_its_row_through_the_documents_flow(login, staff, jurors, contest):
    contest, (a, _b, _c) = published(staff, jurors, contest)
    certificate = Certificate.objects.get(entry=a)
    client = login(staff)
    response = client.post(reverse("documents:request"), {"kind": "contest_certificate", "certificate": certificate.pk})
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[job.uid])
    detail = client.get(response["Location"])
    assert 'data-testid="job-status" data-status="done"' in detail.text and 'data-testid="download"' in detail.text


def test_while_a_certificate_is_being_made_the_list_shows_its_status_and_polls(login, staff, jurors, contest):
    contest, (a, _b, _c) = published(staff, jurors, contest)
    certificate = Certificate.objects.get(entry=a)
    job = DocumentJob.objects.create(
        kind="contest_certificate",
        params={"certificate": certificate.pk},
        params_key=params_key("contest_certificate", {"certificate": certificate.pk}),
        unit=a.beneficiary.unit,
        requested_by=staff,
        status=JobStatus.RUNNING,
    )
    client = login(staff)
    page = client.get(reverse("contest:certificates", args=[contest.pk]))
    assert 'data-testid="certificate-job" data-status="running"' in page.text and "Đang tạo" in page.text
    assert 'hx-trigger="every 2s"' in page.text and reverse("documents:detail", args=[job.uid]) in page.text
    partial = client.get(reverse("contest:certificates", args=[contest.pk]), headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<div id="certificate-table"')


def test_requesting_every_certificate_is_for_the_secretaries(client, login, staff, leader, jurors, contest, officer_a):
    contest, _ = published(staff, jurors, contest)
    url = reverse("contest:certificate_pdfs", args=[contest.pk])
    assert client.post(url).status_code == 302 and "/login" in client.post(url)["Location"]
    other_staff = UserFactory(username="staff2", role=Role.STAFF)
    assert login(other_staff).post(url).status_code == 403
    assert login(leader).post(url).status_code == 403
    assert login(jurors[0]).post(url).status_code == 403
    assert login(officer_a).post(url).status_code == 403
    assert login(staff).get(url).status_code == 405
    assert not DocumentJob.objects.exists()


def test_before_certificates_are_issued_there_is_nothing_to_request(login, staff, jurors, contest):
    assert login(staff).post(reverse("contest:certificate_pdfs", args=[contest.pk])).status_code == 403
    assert not DocumentJob.objects.exists()


def test_an_area_officer_gets_certificates_of_their_area_only(login, staff, jurors, contest, officer_a, officer_b):
    contest, (a, _b, _c) = published(staff, jurors, contest)  # the entries' establishments are in area A
    certificate = Certificate.objects.get(entry=a)
    with pytest.raises(Http404):
        _certificate_job(officer_b, certificate)
    assert not DocumentJob.objects.exists()
    job = _certificate_job(officer_a, certificate)
    assert job.status == JobStatus.DONE and job.unit == a.beneficiary.unit
    # The establishment page offers it to the officer; another area's officer cannot open the job.
    page = login(officer_a).get(reverse("beneficiaries:detail", args=[a.beneficiary.pk]))
    assert reverse("documents:download", args=[job.uid]) in page.text
    other = login(officer_b)
    assert other.get(reverse("documents:detail", args=[job.uid])).status_code == 404
    assert other.get(reverse("documents:download", args=[job.uid])).status_code == 404
    # The contest's own pages stay closed to officers.
    assert other.get(reverse("contest:certificates", args=[contest.pk])).status_code == 403


def test_jurors_do_not_get_certificate_pdfs(login, staff, jurors, contest):
    contest, (a, _b, _c) = published(staff, jurors, contest)
    certificate = Certificate.objects.get(entry=a)
    with pytest.raises(PermissionDenied):
        _certificate_job(jurors[0], certificate)
    response = login(jurors[0]).post(
        reverse("documents:request"), {"kind": "contest_certificate", "certificate": certificate.pk}
    )
    assert response.status_code == 403 and not DocumentJob.objects.exists()


def test_the_establishment_page_offers_the_certificate_pdf(login, staff, jurors, contest):
    contest, (a, _b, _c) = published(staff, jurors, contest)
    page = login(staff).get(reverse("beneficiaries:detail", args=[a.beneficiary.pk]))
    assert 'data-testid="request-certificate"' in page.text


def test_a_bad_or_unknown_certificate_is_refused_and_nothing_written(login, staff, jurors, contest):
    published(staff, jurors, contest)
    client = login(staff)
    response = client.post(reverse("documents:request"), {"kind": "contest_certificate", "certificate": "abc"})
    assert response.status_code == 400 and "Mã giấy chứng nhận không hợp lệ: “abc”." in response.text
    missing = client.post(reverse("documents:request"), {"kind": "contest_certificate", "certificate": 999_999})
    assert missing.status_code == 404
    assert not DocumentJob.objects.exists()


def test_the_certificate_list_uses_the_same_queries_for_more_certificates(login, staff, jurors, contest):
    contest, _ = published(staff, jurors, contest)
    client = login(staff)
    client.post(reverse("contest:certificate_pdfs", args=[contest.pk]))
    url = reverse("contest:certificates", args=[contest.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(4):
        entry = EntryFactory(contest=contest, number=10 + i)
        Certificate.objects.create(
            entry=entry,
            contest=contest,
            sequence=10 + i,
            number=f"{10 + i}/2026/SPCNNTTB",
            issued_on=datetime.date(2026, 12, 5),
            valid_until=datetime.date(2029, 12, 31),
            score=80,
            product_name=entry.product_name,
            group=entry.group,
            beneficiary_name=entry.beneficiary.name,
            beneficiary_address=entry.beneficiary.address,
            commune=entry.beneficiary.unit.name,
            decision_number="1234/QĐ-UBND",
            decision_date=datetime.date(2026, 11, 30),
            issued_by=staff,
        )
    client.post(reverse("contest:certificate_pdfs", args=[contest.pk]))
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    assert page.text.count('data-testid="download-certificate"') == 6
    assert len(small) == len(large)


# The scoring summary ------------------------------------------------------------------------------------------


def _closed(staff, jurors, contest):
    a, b, c = contest.entries.order_by("number")
    for juror in jurors[:2]:
        score(juror, a, [35, 35, 8, 8])
        score(juror, b, [30, 30, 8, 8])
        score(juror, c, [30, 30, 4, 4])
    from contest.services import contest_transition

    return contest_transition(actor=staff, contest=contest, to_state=ContestState.CLOSED), (a, b, c)


def test_the_secretary_requests_the_summary_from_its_page_and_downloads_it(login, staff, jurors, contest):
    contest, (a, b, c) = _closed(staff, jurors, contest)
    client = login(staff)
    page = client.get(reverse("contest:summary", args=[contest.pk]))
    assert 'data-testid="request-contest_summary"' in page.text and "download-summary" not in page.text
    response = client.post(reverse("documents:request"), {"kind": "contest_summary", "contest": contest.pk})
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.DONE and job.unit is None
    text = pdf_text(job)
    for expected in (
        "SỞ CÔNG THƯƠNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM",
        contest.name,
        a.product_name,
        "86,00",
        "68,00",
        "Không đạt",
        "Điểm đạt: 70,00",
        "THƯ KÝ HỘI ĐỒNG",
        timezone.localdate().strftime("năm %Y"),
    ):
        assert expected in text, expected
    page = pdf_reader(job).pages[0]
    assert page.mediabox.width > page.mediabox.height and _fonts(job) <= EMBEDDED_FONTS
    page = client.get(reverse("contest:summary", args=[contest.pk]))
    assert reverse("documents:download", args=[job.uid]) in page.text
    assert client.get(reverse("documents:download", args=[job.uid])).status_code == 200


def test_the_summary_asked_twice_is_rendered_once_and_a_correction_makes_a_new_version(staff, jurors, contest):
    contest, (a, _b, _c) = _closed(staff, jurors, contest)
    first = _summary_job(staff, contest)
    assert _summary_job(staff, contest).pk == first.pk
    sheet = ScoreSheet.objects.get(entry=a, juror=jurors[0])
    criteria = scoring_criteria(contest.criteria_set)
    sheet_correct(
        actor=staff,
        sheet=sheet,
        points=dict(zip([c.pk for c in criteria], [30, 35, 8, 8], strict=True)),
        reason="Hội đồng thống nhất điều chỉnh.",
    )
    second = _summary_job(staff, contest)
    second.refresh_from_db()
    assert second.pk != first.pk and second.version == 2
    assert "81,00" in pdf_text(second) and "86,00" in pdf_text(first)


def test_the_summary_pdf_is_for_the_contest_secretaries(login, client, staff, leader, jurors, contest, officer_a):
    contest, _ = _closed(staff, jurors, contest)
    other_staff = UserFactory(username="staff2", role=Role.STAFF)
    with pytest.raises(PermissionDenied, match="thư ký hội đồng"):
        _summary_job(other_staff, contest)
    for user in (leader, jurors[0], officer_a):
        with pytest.raises(PermissionDenied):
            _summary_job(user, contest)
    data = {"kind": "contest_summary", "contest": contest.pk}
    assert client.post(reverse("documents:request"), data).status_code == 302  # anonymous: to the login page
    assert login(leader).post(reverse("documents:request"), data).status_code == 403
    page = login(leader).get(reverse("contest:summary", args=[contest.pk]))
    assert page.status_code == 200 and "request-contest_summary" not in page.text
    assert not DocumentJob.objects.exists()


def test_no_summary_pdf_before_scoring(staff, contest):
    contest.state = ContestState.OPEN
    contest.save()
    with pytest.raises(PermissionDenied, match="Chưa bắt đầu chấm"):
        _summary_job(staff, contest)
    with pytest.raises(Http404):
        services.document_request(actor=staff, kind="contest_summary", params={"contest": 999_999})
    assert not DocumentJob.objects.exists()
