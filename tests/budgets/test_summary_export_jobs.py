"""The budget summary's Excel export of a long đề án list is a document job: the page's filters, the requester's
areas, formulas neutralised; a short list stays an immediate download."""

import contextlib
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from documents.models import DocumentJob, JobStatus
from projects.models import Level
from tests.budgets.factories import line
from tests.conftest import AREA_A, AREA_B
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]

EXPORT = "/kinh-phi/tong-hop.xlsx"


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.EXPORT_SYNC_MAX_ROWS = 1


def _project(area, title, amount, **kw):
    project = ProjectFactory(funded=True, area=area, title=title, **kw)
    line(project, approved=amount, estimated=amount)
    return project


def _job_projects(job):
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        workbook = load_workbook(BytesIO(handle.read()))
    return list(workbook["Đề án"].iter_rows(min_row=2, values_only=True))


def _request(client, query):
    return client.post(reverse("documents:request"), {"kind": "budget_summary_export", "query": query})


@pytest.fixture
def projects():
    return [
        _project(AREA_A, "Máy sấy Thủy Nguyên", 10_000_000),
        _project(AREA_A, '=HYPERLINK("http://x","bấm")', 20_000_000),
        _project(AREA_B, "Lò nướng Cát Hải", 40_000_000),
    ]


def test_a_long_summary_offers_the_export_job_and_writes_nothing(login, staff, projects):
    response = login(staff).get(EXPORT, {"year": "2021"})
    html = response.content.decode()
    assert response.status_code == 200 and "có 3 dòng" in html and 'value="budget_summary_export"' in html
    assert 'name="query" value="year=2021"' in html
    assert DocumentJob.objects.count() == 0


def test_a_short_summary_is_still_an_immediate_download(login, staff, projects, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 100
    response = login(staff).get(EXPORT, {"year": "2021"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_staffs_job_holds_every_area_and_neutralises_formulas(login, staff, projects):
    client = login(staff)
    response = _request(client, "year=2021")
    job = DocumentJob.objects.get(kind="budget_summary_export")
    assert response["Location"] == reverse("documents:detail", args=[job.uid])
    assert job.status == JobStatus.DONE and job.title == "Tổng hợp kinh phí năm 2021 (3 đề án)"
    rows = _job_projects(job)
    titles = {row[1] for row in rows}
    assert titles == {"Máy sấy Thủy Nguyên", '\'=HYPERLINK("http://x","bấm")', "Lò nướng Cát Hải"}
    assert sum(row[10] for row in rows) == 70_000_000
    assert client.get(reverse("documents:download", args=[job.uid])).status_code == 200


def test_an_officers_job_holds_only_their_area(login, officer_a, projects):
    _request(login(officer_a), "year=2021")
    rows = _job_projects(DocumentJob.objects.get(kind="budget_summary_export"))
    assert "Lò nướng Cát Hải" not in {row[1] for row in rows} and len(rows) == 2


def test_the_job_keeps_the_pages_filters(login, staff, projects):
    _project(AREA_B, "Đề án cấp quốc gia", 5_000_000, level=Level.NATIONAL)
    _request(login(staff), f"year=2021&level={Level.NATIONAL}")
    rows = _job_projects(DocumentJob.objects.get(kind="budget_summary_export"))
    assert [row[1] for row in rows] == ["Đề án cấp quốc gia"]


def test_bad_filters_fail_the_job_with_a_vietnamese_reason_and_anonymous_or_jurors_get_nothing(
    client, login, staff, juror, projects
):
    assert _request(client, "year=2021").status_code == 302
    assert _request(login(juror), "year=2021").status_code == 403
    assert DocumentJob.objects.count() == 0
    # Eager, the task's error may reach the request; the job records it either way.
    with contextlib.suppress(Exception):
        _request(login(staff), "year=abc")
    job = DocumentJob.objects.get(kind="budget_summary_export")
    assert job.status == JobStatus.FAILED, (job.status, job.error, job.title)
    assert "Bộ lọc của tệp xuất không còn hợp lệ" in job.error
