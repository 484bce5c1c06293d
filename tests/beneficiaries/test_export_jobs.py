"""Big establishment exports are document jobs: made by the worker with the list's filters and the requester's
area scope, downloaded from the job's page, retried after a failure; small ones stay an immediate download."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from documents.models import DocumentJob, JobStatus
from tests.factories import BeneficiaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]


@pytest.fixture(autouse=True)
def small_limit(settings):
    # Two rows count as "big" here, so a handful of establishments go the job's way.
    settings.EXPORT_SYNC_MAX_ROWS = 2


def _rows(job):
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def _request(client, query=""):
    return client.post(reverse("documents:request"), {"kind": "beneficiary_export", "query": query})


def _many(unit=None, n=3, **kw):
    extra = {"unit": unit} if unit else {}
    return [BeneficiaryFactory(**extra, **kw) for _ in range(n)]


def test_a_big_list_offers_a_background_export_instead_of_a_file(login, staff):
    _many()
    response = login(staff).get(reverse("beneficiaries:export"), {"q": "co so", "page": "2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="export-job"' in html and "có 3 dòng" in html
    assert 'name="query" value="q=co+so"' in html  # the filters go along, the page does not
    assert DocumentJob.objects.count() == 0  # a GET writes nothing


def test_a_small_list_is_still_an_immediate_download(login, staff, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 10
    _many()
    response = login(staff).get(reverse("beneficiaries:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert DocumentJob.objects.count() == 0


def test_staff_gets_the_whole_list_as_a_job_with_a_download(login, staff, beneficiary_a, beneficiary_b):
    _many()
    client = login(staff)
    response = _request(client)
    job = DocumentJob.objects.get(kind="beneficiary_export")
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[job.uid])
    assert job.status == JobStatus.DONE and job.progress == 100 and job.version == 1 and job.unit is None
    assert job.params == {"query": "", "as_user": staff.pk}
    assert job.title == "Danh sách cơ sở CNNT (5 cơ sở)" and job.file.name.endswith(".xlsx")
    page = client.get(reverse("documents:detail", args=[job.uid])).content.decode()
    assert "Tải tệp Excel" in page and "trang," not in page
    download = client.get(reverse("documents:download", args=[job.uid]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 6


def test_an_officers_export_holds_only_their_area(login, officer_a, beneficiary_a, beneficiary_b):
    _many(unit=beneficiary_a.unit)
    _many(unit=beneficiary_b.unit)
    _request(login(officer_a))
    job = DocumentJob.objects.get(kind="beneficiary_export")
    names = {row[1] for row in _rows(job)}
    assert beneficiary_a.name in names and beneficiary_b.name not in names and len(names) == 4
    assert job.unit == officer_a.areas.get()


def test_the_export_keeps_the_lists_filters(login, staff, beneficiary_a, beneficiary_b):
    _many(n=3, name="Nước mắm Cát Hải")
    _request(login(staff), query="q=nuoc+mam&page=3")
    job = DocumentJob.objects.get(kind="beneficiary_export")
    assert job.params["query"] == "q=nuoc+mam"
    assert {row[1] for row in _rows(job)} == {"Nước mắm Cát Hải"} and len(_rows(job)) == 4


def test_formulas_are_neutralised_in_the_job_file(login, staff):
    _many(n=3, name='=HYPERLINK("http://evil","Bấm")')
    _request(login(staff))
    rows = _rows(DocumentJob.objects.get(kind="beneficiary_export"))
    assert {row[1] for row in rows} == {'\'=HYPERLINK("http://evil","Bấm")'}


def test_someone_else_cannot_open_or_download_my_export(login, staff, leader, officer_a, officer_b):
    _many()
    _request(login(officer_a))
    job = DocumentJob.objects.get(kind="beneficiary_export")
    for other in (officer_b, staff, leader):
        client = login(other)
        assert client.get(reverse("documents:detail", args=[job.uid])).status_code == 404
        assert client.get(reverse("documents:download", args=[job.uid])).status_code == 404
        assert client.post(reverse("documents:retry", args=[job.uid])).status_code == 404


def test_the_requester_cannot_be_chosen_in_the_form(login, officer_a, staff, beneficiary_b):
    _many(unit=beneficiary_b.unit)
    client = login(officer_a)
    client.post(reverse("documents:request"), {"kind": "beneficiary_export", "query": "", "as_user": staff.pk})
    job = DocumentJob.objects.get(kind="beneficiary_export")
    assert job.params["as_user"] == officer_a.pk and _rows(job) == []


def test_anonymous_and_wrong_role_are_refused(client, login, juror):
    _many()
    response = _request(client)
    assert response.status_code == 302 and "next=" in response["Location"]
    assert DocumentJob.objects.count() == 0
    assert _request(login(juror)).status_code == 403
    assert login(juror).get(reverse("beneficiaries:export")).status_code == 403
    assert DocumentJob.objects.count() == 0


def test_a_repeated_click_while_running_gives_the_same_job(staff, settings, monkeypatch):
    from documents import services

    _many()
    monkeypatch.setattr(services, "_send", lambda job: True)  # nothing runs: the first job stays queued
    first = services.document_request(actor=staff, kind="beneficiary_export", params={"query": "q=x"})
    second = services.document_request(actor=staff, kind="beneficiary_export", params={"query": "q=x"})
    assert first.pk == second.pk and DocumentJob.objects.count() == 1


def test_a_new_request_after_a_finished_one_makes_a_fresh_file(login, staff):
    _many()
    client = login(staff)
    _request(client)
    BeneficiaryFactory(name="Cơ sở mới")
    _request(client)
    latest = DocumentJob.objects.filter(kind="beneficiary_export").order_by("-version").first()
    assert latest.version == 2 and "Cơ sở mới" in {row[1] for row in _rows(latest)}


def test_a_failure_says_why_and_the_retry_makes_the_file(login, staff, monkeypatch):
    from beneficiaries import document_kinds

    _many()
    real = document_kinds.export_beneficiaries

    def broken(*args, **kwargs):
        raise RuntimeError("đĩa đầy")

    monkeypatch.setattr(document_kinds, "export_beneficiaries", broken)
    client = login(staff)
    with pytest.raises(RuntimeError):
        _request(client)
    job = DocumentJob.objects.get(kind="beneficiary_export")
    assert job.status == JobStatus.FAILED and "đĩa đầy" in job.error and not job.file
    page = client.get(reverse("documents:detail", args=[job.uid])).content.decode()
    assert "Không tạo được văn bản" in page and "đĩa đầy" in page and 'data-testid="retry"' in page

    monkeypatch.setattr(document_kinds, "export_beneficiaries", real)
    response = client.post(reverse("documents:retry", args=[job.uid]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.error == "" and job.attempts == 2 and len(_rows(job)) == 3
    # A second click on the old button changes nothing.
    client.post(reverse("documents:retry", args=[job.uid]))
    job.refresh_from_db()
    assert job.attempts == 2 and DocumentJob.objects.filter(kind="beneficiary_export").count() == 1


def test_a_deactivated_requesters_export_fails_with_a_vietnamese_reason(staff, monkeypatch):
    from documents import services

    _many()
    monkeypatch.setattr(services, "_send", lambda job: True)
    job = services.document_request(actor=staff, kind="beneficiary_export", params={"query": ""})
    staff.is_active = False
    staff.save()
    with pytest.raises(Exception):  # noqa: B017 — the job records it; the task log shows it
        services.document_render(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "không còn hoạt động" in job.error
