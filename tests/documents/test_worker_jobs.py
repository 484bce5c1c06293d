"""Documents through Redis and a real Celery worker on the PostgreSQL test database (not eager).

Run with DATABASE_URL=postgres://… CELERY_BROKER_URL=redis://…; skipped otherwise (a failure with CI=true).
"""

import datetime
import os
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerError

from beneficiaries.models import Beneficiary
from documents import services
from documents.models import DocumentJob, JobStatus
from documents.tasks import render_document, resend_stuck_documents
from tests.conftest import AREA_A
from tests.documents.conftest import pdf_text
from tests.factories import BeneficiaryFactory, first_commune, unit

pytestmark = pytest.mark.worker


@pytest.fixture
def worker(celery_worker, transactional_db, settings):
    """The session's worker, sharing its media folder with this process."""
    settings.MEDIA_ROOT = Path(celery_worker.env["MEDIA_ROOT"])
    return celery_worker


def wait_for(job, *statuses, timeout=60.0) -> DocumentJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} still {job.status} after {timeout}s (wanted {statuses}): {job.error}")


def files_of(job) -> list[Path]:
    return list((Path(settings.MEDIA_ROOT) / "documents" / job.kind).glob(f"{job.uid}*"))


def test_a_profile_sheet_is_made_by_the_worker_and_downloaded(worker, login, officer_a, beneficiary_a):
    beneficiary_a.employees = 1_015
    beneficiary_a.save()
    client = login(officer_a)
    response = client.post(reverse("documents:request"), {"kind": "beneficiary_sheet", "beneficiary": beneficiary_a.pk})
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and job.status in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE)
    wait_for(job, JobStatus.DONE, JobStatus.FAILED)
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 1 and job.version == 1 and len(files_of(job)) == 1
    download = client.get(reverse("documents:download", args=[job.uid]))
    assert download.status_code == 200
    text = pdf_text(job)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU THÔNG TIN CƠ SỞ CÔNG NGHIỆP NÔNG THÔN",
        "Cơ khí Thủy Nguyên",
        "1.015 người (bằng chữ: một nghìn không trăm mười lăm người)",
        "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC",
        "- Lưu: VT, QLCN.",
    ]:
        assert expected in text, expected


def test_the_same_request_twice_is_rendered_once_by_the_worker(worker, staff, leader, beneficiary_a):
    first = services.document_request(actor=staff, kind="beneficiary_sheet", params={"beneficiary": beneficiary_a.pk})
    second = services.document_request(actor=leader, kind="beneficiary_sheet", params={"beneficiary": beneficiary_a.pk})
    assert second.pk == first.pk  # still waiting or running: joined, not queued twice
    wait_for(first, JobStatus.DONE)
    third = services.document_request(actor=staff, kind="beneficiary_sheet", params={"beneficiary": beneficiary_a.pk})
    assert third.pk == first.pk and third.status == JobStatus.DONE
    time.sleep(0.5)  # a duplicate render, if one had been queued, would show in attempts
    first.refresh_from_db()
    assert DocumentJob.objects.count() == 1 and first.attempts == 1 and len(files_of(first)) == 1


def test_another_areas_document_made_by_the_worker_is_a_404(worker, login, officer_a, officer_b, beneficiary_a):
    job = services.document_request(actor=officer_a, kind="beneficiary_sheet", params={"beneficiary": beneficiary_a.pk})
    wait_for(job, JobStatus.DONE)
    assert login(officer_a).get(reverse("documents:download", args=[job.uid])).status_code == 200
    assert login(officer_b).get(reverse("documents:download", args=[job.uid])).status_code == 404


def test_a_long_list_repeats_its_header_on_every_page(worker, staff):
    area = first_commune(AREA_A)
    people = BeneficiaryFactory.build_batch(60, unit=area, employees=21, sector="Mây tre đan")
    Beneficiary.objects.bulk_create(people)
    job = services.document_request(actor=staff, kind="beneficiary_list", params={"unit": unit(AREA_A).pk})
    wait_for(job, JobStatus.DONE)
    assert job.pages >= 3
    from tests.documents.conftest import pdf_reader

    pages = [" ".join(page.extract_text().split()) for page in pdf_reader(job).pages]
    for number, page in enumerate(pages[1:], start=2):
        if "Cơ sở sản xuất số" in page:  # a page with rows of the table
            assert "TT Tên cơ sở Loại hình" in page, f"no table header on page {number}"
        assert page.endswith(f" {number}"), f"page {number} has no page number"  # margin boxes come last
    assert not pages[0].endswith(" 1")
    text = " ".join(pages)
    assert "Tổng cộng: 60 cơ sở 1.260" in text
    assert "Bằng chữ: Sáu mươi cơ sở, một nghìn hai trăm sáu mươi lao động" in text


def test_broker_down_then_the_periodic_task_sends_the_job_to_the_worker(
    worker, login, staff, beneficiary_a, monkeypatch
):
    def down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(render_document, "apply_async", down)
        response = login(staff).post(
            reverse("documents:request"), {"kind": "beneficiary_sheet", "beneficiary": beneficiary_a.pk}, follow=True
        )
    assert response.status_code == 200 and "tạm thời không nhận việc" in response.text
    job = DocumentJob.objects.get()
    assert job.status == JobStatus.QUEUED_LATER
    # Beat's task runs on the worker and re-sends from there.
    resend_stuck_documents.apply_async(queue=worker.queue)
    wait_for(job, JobStatus.DONE)
    assert job.attempts == 1 and len(files_of(job)) == 1


# A worker killed mid-render ----------------------------------------------------------------------------------


def _start_worker(handle, queue: str) -> subprocess.Popen:
    command = list(handle.command)
    command[command.index("-Q") + 1] = queue
    command[command.index("-c") + 1] = "1"
    command[command.index("--hostname") + 1] = f"{queue}-{uuid.uuid4().hex[:4]}@%h"
    log = tempfile.NamedTemporaryFile("w", prefix="celery-killed-", suffix=".log", delete=False)  # noqa: SIM115
    env = {**handle.env, "CELERY_QUEUE": queue}
    return subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _wait_ready(process, queue: str) -> None:
    from core.tasks import ping

    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, "worker exited"
        try:
            if ping.apply_async(queue=queue, ignore_result=False).get(timeout=3) == "pong":
                return
        except Exception:
            if time.monotonic() > deadline:
                raise


@pytest.fixture
def own_queue(worker, monkeypatch):
    """A queue that only the workers started by the test consume, so that killing them spares the session's."""
    queue = f"kill-{uuid.uuid4().hex[:8]}"
    send = render_document.apply_async
    monkeypatch.setattr(render_document, "apply_async", lambda *args, **kw: send(*args, **{**kw, "queue": queue}))
    processes: list[subprocess.Popen] = []
    yield queue, processes
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _big_list_job(staff):
    area = first_commune(AREA_A)
    Beneficiary.objects.bulk_create(BeneficiaryFactory.build_batch(700, unit=area, employees=5))
    return services.document_request(actor=staff, kind="beneficiary_list", params={"unit": unit(AREA_A).pk})


def test_a_job_whose_worker_process_is_killed_is_run_again_into_one_file(worker, own_queue, staff):
    queue, processes = own_queue
    processes.append(_start_worker(worker, queue))
    _wait_ready(processes[0], queue)
    job = _big_list_job(staff)
    wait_for(job, JobStatus.RUNNING)
    children = _children(processes[0].pid)
    assert children, "no pool process"
    os.kill(children[0], signal.SIGKILL)  # the pool process dies mid-render (as under the OOM killer)
    # acks_late + reject_on_worker_lost: the message goes back to the queue and a fresh pool process takes it.
    wait_for(job, JobStatus.DONE, timeout=120)
    assert job.attempts == 2 and job.version == 1
    assert len(files_of(job)) == 1 and "Bằng chữ: Bảy trăm cơ sở" in pdf_text(job)


def test_a_job_whose_whole_worker_is_killed_completes_on_a_new_worker(worker, own_queue, staff):
    queue, processes = own_queue
    processes.append(_start_worker(worker, queue))
    _wait_ready(processes[0], queue)
    job = _big_list_job(staff)
    wait_for(job, JobStatus.RUNNING)
    os.killpg(processes[0].pid, signal.SIGKILL)  # the whole machine's worker is gone, its message unacknowledged
    processes[0].wait(timeout=10)
    processes.append(_start_worker(worker, queue))
    _wait_ready(processes[1], queue)
    # Redis would give the unacknowledged message back only after the visibility timeout; beat's re-send of jobs
    # "running" for too long is what recovers them (here with no delay instead of 20 minutes).
    assert services.document_jobs_resend(running_after=datetime.timedelta(0)) == 1
    wait_for(job, JobStatus.DONE, timeout=120)
    assert job.attempts == 2 and job.version == 1
    assert len(files_of(job)) == 1 and "Bằng chữ: Bảy trăm cơ sở" in pdf_text(job)
