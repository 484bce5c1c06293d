"""A certificate made by a real Celery worker through Redis on the PostgreSQL test database (not eager).

Run with DATABASE_URL=postgres://… CELERY_BROKER_URL=redis://…; skipped otherwise (a failure with CI=true).
"""

import io
import time
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from contest.models import Certificate, ContestState
from contest.services import certificates_issue, contest_transition
from documents.models import DocumentJob, JobStatus
from tests.contest.conftest import score
from tests.factories import ContestFactory, EntryFactory

pytestmark = pytest.mark.worker


@pytest.fixture
def worker(celery_worker, transactional_db, settings):
    """The session's worker, sharing its media folder with this process."""
    settings.MEDIA_ROOT = Path(celery_worker.env["MEDIA_ROOT"])
    return celery_worker


def _wait(job, timeout=60.0) -> DocumentJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} still {job.status} after {timeout}s")


def test_the_worker_makes_a_2021_certificate_valid_to_the_end_of_2024(worker, login, staff, juror):
    contest = ContestFactory(
        year=2021,
        name="Bình chọn sản phẩm CNNT tiêu biểu cấp thành phố năm 2021",
        state=ContestState.SCORING,
        secretaries=[staff],
        jurors=[juror],
        signer_name="Phạm Minh Đức",
    )
    entry = EntryFactory(
        contest=contest,
        number=1,
        product_name="Nước mắm truyền thống Cát Hải 35 độ đạm",
        beneficiary__name="Hợp tác xã Nước mắm Cát Hải",
    )
    score(juror, entry, [37, 36.5, 9, 10])
    contest_transition(actor=staff, contest=contest, to_state=ContestState.CLOSED)
    contest = contest_transition(
        actor=staff,
        contest=contest,
        to_state=ContestState.PUBLISHED,
        result_decision_number="3456/QĐ-UBND",
        result_decision_date=date(2021, 11, 30),
    )
    (certificate,) = certificates_issue(actor=staff, contest=contest, issued_on=date(2021, 12, 6))
    assert certificate.valid_until == date(2024, 12, 31)

    client = login(staff)
    response = client.post(reverse("contest:certificate_pdfs", args=[contest.pk]))
    assert response.status_code == 302
    job = _wait(DocumentJob.objects.get(kind="contest_certificate"))
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 1 and job.version == 1 and job.params == {"certificate": certificate.pk}

    download = client.get(reverse("documents:download", args=[job.uid]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in (
        "Nước mắm truyền thống Cát Hải 35 độ đạm",
        "Hợp tác xã Nước mắm Cát Hải",
        "92,50/100",
        "Số: 01/2021/SPCNNTTB",
        "3456/QĐ-UBND ngày 30/11/2021",
        "31/12/2024",
        "Hải Phòng, ngày 06 tháng 12 năm 2021",
        "Phạm Minh Đức",
    ):
        assert expected in text, expected
    assert Certificate.objects.count() == 1 and DocumentJob.objects.count() == 1
