"""A rendering worker holds a lease on its job; a job whose worker died is re-sent as soon as the lease runs out
(within a minute), while a job whose worker is alive, however slow, is left alone."""

import datetime
import time

import pytest
from django.utils import timezone

from documents import rendering, services
from documents.models import DocumentJob, JobStatus
from documents.tasks import render_document


def _sheet(actor, beneficiary):
    return services.document_request(actor=actor, kind="beneficiary_sheet", params={"beneficiary": beneficiary.pk})


@pytest.mark.django_db
def test_a_running_job_whose_lease_ran_out_is_resent_and_a_live_one_is_not(staff, beneficiary_a, monkeypatch):
    sent = []
    monkeypatch.setattr(render_document, "apply_async", lambda args, **kw: sent.append(args[0]))
    job = _sheet(staff, beneficiary_a)
    now = timezone.now()
    # Its worker took it 10 s ago and renews the lease: left alone.
    DocumentJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=now - datetime.timedelta(seconds=10), updated_at=now
    )
    assert services.document_jobs_resend() == 0
    # No sign of life for longer than the lease: its worker is gone, the job goes back to the queue at once.
    DocumentJob.objects.filter(pk=job.pk).update(
        updated_at=now - services.RUNNING_LEASE - datetime.timedelta(seconds=1)
    )
    assert services.document_jobs_resend() == 1
    assert sent == [job.pk, job.pk]
    # The re-send renewed the lease: the next beat (20 s later) does not send it a third time before a worker takes it.
    assert services.document_jobs_resend() == 0
    assert DocumentJob.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_a_slow_render_keeps_its_lease(transactional_db, staff, beneficiary_a, monkeypatch, eager):
    monkeypatch.setattr(services, "LEASE_BEAT_SECONDS", 0.05)
    seen = []
    real = rendering.html_to_pdf

    def slow(html):
        started = DocumentJob.objects.get().updated_at
        time.sleep(0.6)
        seen.append((started, DocumentJob.objects.get().updated_at))
        return real(html)

    monkeypatch.setattr(rendering, "html_to_pdf", slow)
    job = _sheet(staff, beneficiary_a)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    ((started, during),) = seen
    assert during > started  # renewed while WeasyPrint was busy
    assert services.document_jobs_resend() == 0


def test_beat_resends_often_enough_to_resume_within_a_minute():
    from django.conf import settings

    every = settings.CELERY_BEAT_SCHEDULE["documents-resend-stuck"]["schedule"]
    assert services.RUNNING_LEASE.total_seconds() + every <= 60
    assert services.RUNNING_LEASE.total_seconds() > services.LEASE_BEAT_SECONDS * 2
