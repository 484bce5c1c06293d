"""Document jobs: request (web side), render (worker side), re-send (beat side)."""

import datetime
import logging
import threading
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import override
from kombu.exceptions import OperationalError as BrokerError

from core.text import fold
from documents import rendering
from documents.kinds import get_kind
from documents.models import ACTIVE_STATUSES, DocumentJob, JobStatus
from documents.permissions import can_request_document

logger = logging.getLogger(__name__)

# Errors worth another try later: the database or the broker went away for a moment.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError)

# A request must not hang when the broker is down: one quick retry, then the job waits for the periodic re-send.
_PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

QUEUED_RESEND_AFTER = datetime.timedelta(minutes=15)
# Longer than the task's hard time limit: a job still "running" after this lost its worker.
RUNNING_RESEND_AFTER = datetime.timedelta(minutes=20)
# The lease: a rendering worker touches its job's updated_at every LEASE_BEAT; a "running" job untouched for
# RUNNING_LEASE lost its worker (killed, machine gone) and is re-sent by beat (every 20 s), so it resumes within a
# minute of a worker being available instead of after the broker's one-hour visibility timeout.
RUNNING_LEASE = datetime.timedelta(seconds=30)
LEASE_BEAT_SECONDS = 10


def _send(job: DocumentJob) -> bool:
    """Hands the job to the broker. False (and the job marked queued-for-later) when the broker is unreachable."""
    from documents.tasks import render_document

    DocumentJob.objects.filter(pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.QUEUED_LATER]).update(
        status=JobStatus.QUEUED, sent_at=timezone.now()
    )
    # A re-sent "running" job gets a fresh lease, so the next beat does not send it again before a worker takes it.
    DocumentJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(updated_at=timezone.now())
    try:
        render_document.apply_async(args=[job.pk], retry=True, retry_policy=_PUBLISH_RETRY)
    except BrokerError as exc:
        logger.warning("Broker unreachable, document job %s queued for later: %s", job.pk, exc)
        DocumentJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(status=JobStatus.QUEUED_LATER)
        job.refresh_from_db()
        return False
    job.refresh_from_db()
    return True


def document_request(*, actor, kind: str, params: Mapping) -> DocumentJob:
    """Asks for a document; returns its job.

    Preconditions: the actor's role may request this kind (else PermissionDenied), the parameters are valid (else
    ValidationError, nothing written) and name an object in the actor's scope (else Http404).
    Same kind, parameters and data as a finished job: that job is returned, nothing is rendered. A job already
    waiting or running for the same parameters is returned instead of queueing a second one. Otherwise a new job is
    created and sent to the broker; when the broker is down it is kept as queued-for-later for the periodic re-send.
    Must run outside a transaction: the worker has to see the committed row.
    """
    document_kind = get_kind(kind)
    allowed, reason = can_request_document(actor, document_kind)
    if not allowed:
        raise PermissionDenied(reason)
    clean = document_kind.clean_params(params)
    unit = document_kind.target(actor, clean)
    with override("vi"):
        data = rendering.document_data(document_kind, clean)
    print_hash = rendering.fingerprint(document_kind, data)
    key = rendering.params_key(kind, clean)

    with transaction.atomic():
        same = DocumentJob.objects.filter(kind=kind, params_key=key)
        job = (
            same.filter(status=JobStatus.DONE, fingerprint=print_hash).order_by("-version").first()
            or same.filter(status__in=ACTIVE_STATUSES).order_by("-created_at").first()
        )
        created = job is None
        if created:
            job = DocumentJob(
                kind=kind,
                params=clean,
                params_key=key,
                unit=unit,
                requested_by=actor,
                title=document_kind.document_title(data["content"])[:300],
            )
            job.full_clean()
            job.save()
        job.requesters.add(actor)

    if created or job.status == JobStatus.QUEUED_LATER:
        _send(job)
    return job


def _set_progress(job_id: int, percent: int) -> None:
    # Outside any transaction on purpose: the status page must see it while the render goes on.
    DocumentJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(progress=percent, updated_at=timezone.now())


class _Lease:
    """Touches the job's updated_at every LEASE_BEAT_SECONDS from a side thread while the render runs."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"lease-{job_id}", daemon=True)

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self.stop.wait(LEASE_BEAT_SECONDS):
                try:
                    DocumentJob.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                        updated_at=timezone.now()
                    )
                except TRANSIENT_ERRORS as exc:  # the next beat tries again; the render itself decides the job
                    logger.warning("Lease of document job %s not renewed: %s", self.job_id, exc)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=LEASE_BEAT_SECONDS + 5)


def _file_name(job: DocumentJob, version: int) -> str:
    base = fold(job.title).replace(" ", "-") or job.kind
    safe = "".join(ch for ch in base if ch.isalnum() or ch in "-_")[:120]
    return f"{safe}-v{version}.pdf"


def document_render(*, job_id: int) -> DocumentJob | None:
    """Renders one job's PDF. Idempotent: a job already done is left alone, so a task delivered twice (a worker
    that died mid-way, a re-send) still leaves one file.

    Transient errors (database or broker away) propagate for the task to retry; any other error marks the job
    failed with its message and propagates too, so it shows in the worker log.
    """
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == JobStatus.DONE:
            return job
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.progress = 5
        job.error = ""
        job.started_at = timezone.now()
        job.save(update_fields=["status", "attempts", "progress", "error", "started_at", "updated_at"])

    try:
        kind = get_kind(job.kind)
        with _Lease(job_id):
            with override("vi"):
                data = rendering.document_data(kind, job.params)
                _set_progress(job_id, 20)
                html = rendering.render_html(kind, data)
            _set_progress(job_id, 40)
            pdf = rendering.html_to_pdf(html)
            _set_progress(job_id, 90)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        DocumentJob.objects.filter(pk=job_id).exclude(status=JobStatus.DONE).update(
            status=JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        raise

    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        if job.status == JobStatus.DONE:  # another delivery of the same task finished first
            return job
        previous = DocumentJob.objects.filter(kind=job.kind, params_key=job.params_key).aggregate(v=Max("version"))
        version = (previous["v"] or 0) + 1
        storage = job.file.storage
        name = job.file.field.generate_filename(job, "document.pdf")
        # A worker that died after writing the file but before committing left it behind: replace, don't add.
        if storage.exists(name):
            storage.delete(name)
        job.file.save(name, ContentFile(pdf.content), save=False)
        job.sha256 = rendering.sha256_hex(pdf.content)
        job.pages = pdf.pages
        job.version = version
        job.fingerprint = rendering.fingerprint(kind, data)
        job.filename = _file_name(job, version)
        job.title = kind.document_title(data["content"])[:300]
        job.status = JobStatus.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.full_clean()
        job.save()
    return job


def document_jobs_resend(
    *,
    queued_after: datetime.timedelta = QUEUED_RESEND_AFTER,
    running_after: datetime.timedelta = RUNNING_RESEND_AFTER,
    lease: datetime.timedelta = RUNNING_LEASE,
) -> int:
    """Sends again the jobs the broker may have lost: queued-for-later ones, ones queued long ago, and "running" ones
    whose lease ran out (their worker died) or that ran longer than any render may take. Stops at the first broker
    failure. Returns how many were sent."""
    now = timezone.now()
    stuck = DocumentJob.objects.filter(
        Q(status=JobStatus.QUEUED_LATER)
        | Q(status=JobStatus.QUEUED, sent_at__lte=now - queued_after)
        | Q(status=JobStatus.RUNNING, updated_at__lte=now - lease)
        | Q(status=JobStatus.RUNNING, started_at__lte=now - running_after)
    ).order_by("created_at")
    sent = 0
    for job in stuck:
        if not _send(job):
            break
        sent += 1
    return sent
