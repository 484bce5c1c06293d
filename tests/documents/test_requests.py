"""Requesting, rendering and downloading documents, with Celery eager (SQLite or PostgreSQL)."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerError

from documents import services
from documents.models import DocumentJob, IssuingBody, JobStatus
from documents.rendering import dated_line
from documents.tasks import render_document
from tests.conftest import AREA_A, AREA_B
from tests.documents.conftest import pdf_reader, pdf_text
from tests.factories import BeneficiaryFactory, first_commune, unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]


def _sheet(actor, beneficiary):
    return services.document_request(actor=actor, kind="beneficiary_sheet", params={"beneficiary": beneficiary.pk})


def _files(job) -> list[Path]:
    return list((Path(settings.MEDIA_ROOT) / "documents" / job.kind).glob(f"{job.uid}*"))


def test_staff_gets_a_profile_sheet_laid_out_as_an_official_document(staff, beneficiary_a):
    beneficiary_a.employees = 21
    beneficiary_a.save()
    job = _sheet(staff, beneficiary_a)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100 and job.attempts == 1 and job.version == 1
    assert job.unit == beneficiary_a.unit and list(job.requesters.all()) == [staff]
    assert len(job.sha256) == 64 and job.pages == 1
    text = pdf_text(job)
    for expected in [
        "UBND THÀNH PHỐ HẢI PHÒNG",
        "SỞ CÔNG THƯƠNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/PTT-SCT",
        "PHIẾU THÔNG TIN CƠ SỞ CÔNG NGHIỆP NÔNG THÔN",
        "Cơ khí Thủy Nguyên",
        "21 người (bằng chữ: hai mươi mốt người)",
        "Nơi nhận:",
        "- Lưu: VT, QLCN.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn Minh",
    ]:
        assert expected in text, expected
    assert dated_line("Hải Phòng", job.created_at.astimezone().date()) in text.replace("\n", " ")
    # Every glyph comes from the embedded Liberation Serif (no silent fallback to another face).
    fonts = set()
    for page in pdf_reader(job).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[1])
    assert fonts <= {
        "Liberation-Serif",
        "Liberation-Serif-Bold",
        "Liberation-Serif-Italic",
        "Liberation-Serif-Bold-Italic",
    }


def test_the_dated_line_has_leading_zeros_for_small_days_and_january_february():
    assert dated_line("Hải Phòng", datetime.date(2021, 1, 5)) == "Hải Phòng, ngày 05 tháng 01 năm 2021"
    assert dated_line("Hải Phòng", datetime.date(2021, 2, 18)) == "Hải Phòng, ngày 18 tháng 02 năm 2021"
    assert dated_line("Hải Phòng", datetime.date(2021, 3, 9)) == "Hải Phòng, ngày 09 tháng 3 năm 2021"
    assert dated_line("Hải Phòng", datetime.date(2021, 12, 31)) == "Hải Phòng, ngày 31 tháng 12 năm 2021"


def test_asking_twice_for_the_same_document_renders_it_once(staff, leader, beneficiary_a):
    first = _sheet(staff, beneficiary_a)
    second = _sheet(staff, beneficiary_a)
    third = _sheet(leader, beneficiary_a)
    assert first.pk == second.pk == third.pk
    job = DocumentJob.objects.get()
    assert job.attempts == 1 and len(_files(job)) == 1
    assert set(job.requesters.all()) == {staff, leader}


def test_changed_data_makes_a_new_version_and_keeps_the_old_one(staff, beneficiary_a):
    v1 = _sheet(staff, beneficiary_a)
    beneficiary_a.representative = "Trần Thị Lan"
    beneficiary_a.save()
    v2 = _sheet(staff, beneficiary_a)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.pk != v2.pk and (v1.version, v2.version) == (1, 2)
    assert v1.sha256 != v2.sha256 and v1.fingerprint != v2.fingerprint
    assert "Trần Thị Lan" in pdf_text(v2) and "Trần Thị Lan" not in pdf_text(v1)
    assert _files(v1) and _files(v2)


def test_the_signer_comes_from_the_issuing_body_row_and_a_new_signer_is_a_new_version(staff, beneficiary_a):
    v1 = _sheet(staff, beneficiary_a)
    IssuingBody.objects.update(signer_authority="", signer_title="GIÁM ĐỐC", signer_name="Lê Thị Hoa")
    v2 = _sheet(staff, beneficiary_a)
    v2.refresh_from_db()
    assert v2.version == 2 and v1.pk != v2.pk
    text = pdf_text(v2)
    assert "Lê Thị Hoa" in text and "KT. GIÁM ĐỐC" not in text


def test_rendering_a_finished_job_again_changes_nothing(staff, beneficiary_a):
    job = _sheet(staff, beneficiary_a)
    job.refresh_from_db()
    render_document.apply(args=[job.pk])
    again = DocumentJob.objects.get(pk=job.pk)
    assert (again.attempts, again.sha256, again.file.name) == (1, job.sha256, job.file.name)
    assert len(_files(job)) == 1


def test_a_job_left_running_by_a_dead_worker_is_rendered_again_into_one_file(staff, beneficiary_a, monkeypatch):
    # The first attempt dies after marking the job running (as a killed worker would); the re-run finishes it.
    monkeypatch.setattr(services, "_send", lambda job: True)
    job = _sheet(staff, beneficiary_a)
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    services.document_render(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and len(_files(job)) == 1


def test_a_render_error_marks_the_job_failed_and_is_not_swallowed(staff, beneficiary_a, monkeypatch):
    def broken(html):
        raise ValueError("hỏng mẫu")

    with monkeypatch.context() as patch, pytest.raises(ValueError):
        patch.setattr("documents.rendering.html_to_pdf", broken)
        _sheet(staff, beneficiary_a)
    job = DocumentJob.objects.get()
    assert job.status == JobStatus.FAILED and "hỏng mẫu" in job.error and not job.file
    retry = _sheet(staff, beneficiary_a)  # a failed job is not reused: asking again makes a new one
    retry.refresh_from_db()
    assert retry.pk != job.pk and retry.status == JobStatus.DONE and retry.version == 1


def test_an_officer_cannot_request_a_sheet_outside_their_area(officer_b, beneficiary_a):
    with pytest.raises(Http404):
        _sheet(officer_b, beneficiary_a)
    assert not DocumentJob.objects.exists()


def test_a_juror_cannot_request_documents(juror, beneficiary_a):
    with pytest.raises(PermissionDenied):
        _sheet(juror, beneficiary_a)
    assert not DocumentJob.objects.exists()


@pytest.mark.parametrize("bad", [{}, {"beneficiary": "abc"}, {"beneficiary": "-3"}])
def test_bad_parameters_are_refused_with_a_message_and_nothing_is_written(staff, bad):
    with pytest.raises(ValidationError) as exc:
        services.document_request(actor=staff, kind="beneficiary_sheet", params=bad)
    assert "Mã cơ sở" in " ".join(exc.value.messages)
    assert not DocumentJob.objects.exists()


def test_the_area_list_holds_only_that_area_with_totals_in_words(officer_a, staff):
    area_a = first_commune(AREA_A)
    for n in range(3):
        BeneficiaryFactory(name=f"Cơ sở gốm Thủy Nguyên {n}", unit=area_a, employees=7)
    BeneficiaryFactory(name="Cơ sở mắm Cát Hải", unit=first_commune(AREA_B), employees=100)
    job = services.document_request(actor=officer_a, kind="beneficiary_list", params={"unit": str(unit(AREA_A).pk)})
    job.refresh_from_db()
    text = pdf_text(job)
    assert "DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN" in text and "Cơ sở gốm Thủy Nguyên 2" in text
    assert "Cát Hải" not in text
    assert "Tổng cộng: 3 cơ sở" in text and "Bằng chữ: Ba cơ sở, hai mươi mốt lao động" in text
    with pytest.raises(PermissionDenied):  # the whole city is a department document
        services.document_request(actor=officer_a, kind="beneficiary_list", params={"unit": ""})
    with pytest.raises(Http404):
        services.document_request(actor=officer_a, kind="beneficiary_list", params={"unit": unit(AREA_B).pk})
    city = services.document_request(actor=staff, kind="beneficiary_list", params={})
    city.refresh_from_db()
    assert city.unit is None and "Cơ sở mắm Cát Hải" in pdf_text(city)


def test_when_the_broker_is_down_the_job_waits_and_the_periodic_task_sends_it(staff, beneficiary_a, monkeypatch):
    def down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(render_document, "apply_async", down)
        job = _sheet(staff, beneficiary_a)
        assert job.status == JobStatus.QUEUED_LATER and not job.file
        assert services.document_jobs_resend() == 0  # still down: nothing lost, nothing sent
        assert DocumentJob.objects.get().status == JobStatus.QUEUED_LATER
    assert services.document_jobs_resend() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1


def test_the_periodic_task_resends_long_queued_and_abandoned_running_jobs_only(staff, beneficiary_a, monkeypatch):
    sent = []
    monkeypatch.setattr(render_document, "apply_async", lambda args, **kw: sent.append(args[0]))
    job = _sheet(staff, beneficiary_a)
    assert sent == [job.pk]
    assert services.document_jobs_resend() == 0  # just queued: the worker will get to it
    long_ago = job.created_at - datetime.timedelta(hours=1)
    DocumentJob.objects.filter(pk=job.pk).update(sent_at=long_ago)
    assert services.document_jobs_resend() == 1
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=long_ago)
    assert services.document_jobs_resend() == 1
    assert sent == [job.pk] * 3


def test_amounts_in_words_through_the_layout(staff, money_kind):
    job = services.document_request(actor=staff, kind=money_kind.code, params={"amount": "3108129000"})
    job.refresh_from_db()
    text = pdf_text(job).replace("\n", " ")
    assert "Tổng cộng: 3.108.129.000 đồng" in text
    assert "Bằng chữ: Ba tỷ một trăm linh tám triệu một trăm hai mươi chín nghìn đồng." in text


# Pages -------------------------------------------------------------------------------------------------------


def test_the_page_flow_request_status_download(login, officer_a, beneficiary_a):
    client = login(officer_a)
    response = client.post(reverse("documents:request"), {"kind": "beneficiary_sheet", "beneficiary": beneficiary_a.pk})
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[job.uid])
    page = client.get(response["Location"])
    status_url = reverse("documents:status", args=[job.uid])
    assert "Tải văn bản PDF" in page.text and status_url not in page.text  # done: no more polling
    download = client.get(reverse("documents:download", args=[job.uid]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    disposition = download["Content-Disposition"]
    assert disposition.startswith('attachment; filename="phieu-thong-tin-co-so-co-khi-thuy-nguyen--v1-.pdf"')
    assert "filename*=UTF-8''Phi%E1%BA%BFu%20th%C3%B4ng%20tin" in disposition
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    listing = client.get(reverse("documents:list"))
    assert "Phiếu thông tin cơ sở Cơ khí Thủy Nguyên" in listing.text


def test_a_running_job_page_polls_its_status(login, staff, beneficiary_a, monkeypatch):
    monkeypatch.setattr(services, "_send", lambda job: True)
    job = _sheet(staff, beneficiary_a)
    DocumentJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=40)
    client = login(staff)
    page = client.get(reverse("documents:detail", args=[job.uid]))
    assert f'hx-get="{reverse("documents:status", args=[job.uid])}"' in page.text and "40%" in page.text
    assert '<meta http-equiv="refresh"' in page.text  # without JavaScript the page reloads itself
    partial = client.get(reverse("documents:status", args=[job.uid]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.text and "40%" in partial.text
    assert client.get(reverse("documents:download", args=[job.uid])).status_code == 404


def test_the_broker_down_message_is_clear_and_not_an_error_page(login, staff, beneficiary_a, monkeypatch):
    def down(*args, **kwargs):
        raise BrokerError("Connection refused")

    monkeypatch.setattr(render_document, "apply_async", down)
    response = login(staff).post(
        reverse("documents:request"), {"kind": "beneficiary_sheet", "beneficiary": beneficiary_a.pk}, follow=True
    )
    assert response.status_code == 200
    assert "tạm thời không nhận việc" in response.text and "sẽ được tạo tự động" in response.text
    assert DocumentJob.objects.get().status == JobStatus.QUEUED_LATER


def test_anonymous_users_are_sent_to_login(client, staff, beneficiary_a):
    job = _sheet(staff, beneficiary_a)
    for url in [
        reverse("documents:list"),
        reverse("documents:detail", args=[job.uid]),
        reverse("documents:status", args=[job.uid]),
        reverse("documents:download", args=[job.uid]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    response = client.post(reverse("documents:request"), {"kind": "beneficiary_sheet", "beneficiary": beneficiary_a.pk})
    assert response.status_code == 302 and DocumentJob.objects.count() == 1


def test_another_areas_document_is_a_404_everywhere(login, officer_a, officer_b, beneficiary_a):
    job = _sheet(officer_a, beneficiary_a)
    client = login(officer_b)
    for name in ["detail", "status", "download"]:
        assert client.get(reverse(f"documents:{name}", args=[job.uid])).status_code == 404, name
    response = client.post(reverse("documents:request"), {"kind": "beneficiary_sheet", "beneficiary": beneficiary_a.pk})
    assert response.status_code == 404
    assert "Cơ khí Thủy Nguyên" not in client.get(reverse("documents:list")).text
    assert DocumentJob.objects.count() == 1


def test_a_city_wide_document_is_hidden_from_officers(login, staff, officer_a):
    job = services.document_request(actor=staff, kind="beneficiary_list", params={})
    assert login(officer_a).get(reverse("documents:download", args=[job.uid])).status_code == 404


def test_a_juror_is_refused_with_403_and_cannot_see_documents(login, juror, staff, beneficiary_a):
    job = _sheet(staff, beneficiary_a)
    client = login(juror)
    response = client.post(reverse("documents:request"), {"kind": "beneficiary_sheet", "beneficiary": beneficiary_a.pk})
    assert response.status_code == 403
    assert client.get(reverse("documents:download", args=[job.uid])).status_code == 404
    assert DocumentJob.objects.count() == 1


def test_bad_input_on_the_page_is_explained_and_the_choice_kept(login, staff):
    response = login(staff).post(reverse("documents:request"), {"kind": "beneficiary_list", "unit": "999999"})
    assert response.status_code == 400
    assert "Không có địa bàn này." in response.text
    assert not DocumentJob.objects.exists()
    assert login(staff).post(reverse("documents:request"), {"kind": "khong-co"}).status_code == 404


def test_the_list_form_offers_an_officer_only_their_areas(login, officer_a):
    text = login(officer_a).get(reverse("documents:list")).text
    assert unit(AREA_A).name in text and unit(AREA_B).name not in text and "Toàn thành phố" not in text


def test_the_beneficiary_page_offers_the_sheet(login, staff, beneficiary_a):
    text = login(staff).get(reverse("beneficiaries:detail", args=[beneficiary_a.pk])).text
    assert 'data-testid="request-beneficiary_sheet"' in text and f'value="{beneficiary_a.pk}"' in text


def test_my_documents_costs_the_same_queries_for_few_and_many(login, staff, monkeypatch):
    monkeypatch.setattr(services, "_send", lambda job: True)
    client = login(staff)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("documents:list")).status_code == 200
        return len(ctx)

    for b in BeneficiaryFactory.create_batch(2):
        _sheet(staff, b)
    few = count()
    for b in BeneficiaryFactory.create_batch(20):
        _sheet(staff, b)
    assert count() == few


def test_the_nav_has_documents(login, staff):
    assert 'href="/van-ban/"' in login(staff).get(reverse("home")).text


def test_already_there_is_said_only_on_a_repeat_and_the_hash_stays_out_of_the_page(
    login, staff, admin_user, beneficiary_a, eager
):
    client = login(staff)
    data = {"kind": "beneficiary_sheet", "beneficiary": beneficiary_a.pk}
    first = client.post(reverse("documents:request"), data, follow=True)
    assert first.status_code == 200
    assert "đã có sẵn" not in first.text
    job = DocumentJob.objects.get()
    assert job.status == JobStatus.DONE and job.sha256
    assert job.sha256 not in first.text and "SHA-256" not in first.text
    again = client.post(reverse("documents:request"), data, follow=True)
    assert "đã có sẵn" in again.text
    assert DocumentJob.objects.count() == 1
    # The technical view (Django admin, superusers) keeps it.
    admin_user.is_superuser = True
    admin_user.save()
    admin_page = login(admin_user).get(reverse("admin:documents_documentjob_change", args=[job.pk]))
    assert job.sha256 in admin_page.text
