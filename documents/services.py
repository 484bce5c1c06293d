"""Document jobs: request (web side), render (worker side), re-send (beat side)."""

import datetime
import logging
import threading
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from kombu.exceptions import OperationalError as BrokerError

from core import events
from core.text import fold
from documents import rendering
from documents.kinds import get_kind
from documents.models import (
    ACTIVE_STATUSES,
    DocumentJob,
    IssuedDocument,
    IssuingBody,
    JobStatus,
    RegisterCounter,
)
from documents.permissions import can_issue_document, can_request_document, can_sign_document

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
    if document_kind.personal:
        # Whose list it is comes from the session, never from the form.
        params = {**params, "as_user": actor.pk}
    clean = document_kind.clean_params(params)
    unit = document_kind.target(actor, clean)
    if document_kind.reuse_finished:
        with override("vi"):
            data = rendering.document_data(document_kind, clean)
        print_hash = rendering.fingerprint(document_kind, data)
        title = document_kind.document_title(data["content"])
    else:
        # An export reads its rows in the worker only; the web request stays cheap whatever the list's size.
        print_hash, title = None, str(document_kind.title)
    key = rendering.params_key(kind, clean)

    with transaction.atomic():
        same = DocumentJob.objects.filter(kind=kind, params_key=key)
        job = (
            print_hash and same.filter(status=JobStatus.DONE, fingerprint=print_hash).order_by("-version").first()
        ) or same.filter(status__in=ACTIVE_STATUSES).order_by("-created_at").first()
        created = job is None
        if created:
            job = DocumentJob(
                kind=kind,
                params=clean,
                params_key=key,
                unit=unit,
                requested_by=actor,
                title=title[:300],
            )
            job.full_clean()
            job.save()
        job.requesters.add(actor)

    if created or job.status == JobStatus.QUEUED_LATER:
        _send(job)
    # The page tells "already there" only for a repeat (eagerly a new job is done by now as well).
    job.was_reused = not created
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


def _file_name(job: DocumentJob, version: int, extension: str = "pdf") -> str:
    base = fold(job.title).replace(" ", "-") or job.kind
    safe = "".join(ch for ch in base if ch.isalnum() or ch in "-_")[:120]
    return f"{safe}-v{version}.{extension}"


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
            if kind.is_export:
                with override("vi"):
                    exported = kind.export(job.params, progress=lambda percent: _set_progress(job_id, percent))
                produced = rendering.RenderedPdf(content=exported.content, pages=None)
                data, title = None, exported.title
            else:
                with override("vi"):
                    data = rendering.document_data(kind, job.params)
                    _set_progress(job_id, 20)
                    html = rendering.render_html(kind, data)
                _set_progress(job_id, 40)
                produced = rendering.html_to_pdf(html)
                title = kind.document_title(data["content"])
            _set_progress(job_id, 90)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        with transaction.atomic():
            failed = (
                DocumentJob.objects.filter(pk=job_id)
                .exclude(status=JobStatus.DONE)
                .update(
                    status=JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
                )
            )
            if failed:
                events.document_finished.send(sender=DocumentJob, job=DocumentJob.objects.get(pk=job_id))
        raise

    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        if job.status == JobStatus.DONE:  # another delivery of the same task finished first
            return job
        previous = DocumentJob.objects.filter(kind=job.kind, params_key=job.params_key).aggregate(v=Max("version"))
        version = (previous["v"] or 0) + 1
        storage = job.file.storage
        name = job.file.field.generate_filename(job, f"document.{kind.file_extension}")
        # A worker that died after writing the file but before committing left it behind: replace, don't add.
        if storage.exists(name):
            storage.delete(name)
        job.file.save(name, ContentFile(produced.content), save=False)
        job.sha256 = rendering.sha256_hex(produced.content)
        job.pages = produced.pages
        job.version = version
        job.fingerprint = rendering.fingerprint(kind, data) if data is not None else job.sha256
        job.title = title[:300]
        job.filename = _file_name(job, version, kind.file_extension)
        job.status = JobStatus.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.full_clean()
        job.save()
        events.document_finished.send(sender=DocumentJob, job=job)
    return job


def document_retry(*, actor, job: DocumentJob) -> DocumentJob:
    """Runs a failed job again, with the same parameters (the button under the error on its page).

    Preconditions: the actor may still request the kind and still sees its object (the kind's `target`: 403/404
    otherwise). A job that is not failed (already retried by a double click, or done) is returned as it is.
    Must run outside a transaction, like `document_request`.
    """
    kind = get_kind(job.kind)
    allowed, reason = can_request_document(actor, kind)
    if not allowed:
        raise PermissionDenied(reason)
    kind.target(actor, job.params)
    with transaction.atomic():
        retried = DocumentJob.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
            status=JobStatus.QUEUED, progress=0, error="", finished_at=None, updated_at=timezone.now()
        )
        job.requesters.add(actor)
    job.refresh_from_db()
    if retried:
        _send(job)
    job.was_retried = bool(retried)
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


# Issuing: the outgoing-document register -----------------------------------------------------------------------


def _draft_dates(job: DocumentJob) -> set[str]:
    # The draft's printed date was the day it was requested (or rendered, a moment later).
    stamps = [job.created_at, job.finished_at]
    return {timezone.localdate(stamp).isoformat() for stamp in stamps if stamp}


def document_issue(
    *, actor, job: DocumentJob, replaces: IssuedDocument | None = None, reason: str = ""
) -> IssuedDocument:
    """Numbers and freezes a finished draft: the next number of the register (issuing body, year, document type)
    and the date of issue are written into a new render of the same data, and that file and its SHA-256 are kept
    for good.

    Preconditions: the actor may issue (staff or admin; else PermissionDenied), the job is a finished draft whose
    data have not changed since (else ValidationError: make a new draft first), and no other document for the same
    kind and parameters is in force unless `replaces` names it (a correction; `reason` required).
    The register's counter row is locked from taking the number until the entry is written, so concurrent issues
    wait for each other: numbers have no gaps and no repeats (the unique constraint is the backstop). Rendering
    happens under that lock on purpose: a failed render rolls the number back.
    """
    allowed, why = can_issue_document(actor, job)
    if not allowed:
        raise PermissionDenied(why)
    kind = get_kind(job.kind)
    reason = reason.strip()
    if replaces is not None:
        if replaces.is_replaced:
            raise ValidationError(_("Văn bản %(symbol)s đã được thay thế rồi.") % {"symbol": replaces.symbol})
        if not reason:
            raise ValidationError(_("Cần ghi lý do ban hành văn bản thay thế."))
    else:
        in_force = (
            IssuedDocument.objects.filter(kind=job.kind, params_key=job.params_key, replaced_by__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if in_force is not None:
            raise ValidationError(
                _(
                    "Nội dung này đã được ban hành là văn bản số %(symbol)s. Muốn sửa, hãy ban hành văn bản thay thế "
                    "(ghi rõ lý do)."
                )
                % {"symbol": in_force.symbol}
            )

    with override("vi"):
        data = rendering.document_data(kind, job.params)
    if not any(
        rendering.fingerprint(kind, {**data, "issued_on": day}) == job.fingerprint
        for day in {data["issued_on"], *_draft_dates(job)}
    ):
        raise ValidationError(
            _("Dữ liệu đã thay đổi từ khi tạo bản nháp này. Hãy tạo lại văn bản, xem bản nháp mới rồi ban hành.")
        )
    issued_on = kind.issue_date(data["content"]) or timezone.localdate()
    data["issued_on"] = issued_on.isoformat()
    entry = kind.register_entry(data["content"])
    issuer = kind.context(data["content"]).get("issuer") or data["issuer"]
    fixed = kind.fixed_number(data["content"])
    try:
        return _issue_numbered(
            actor=actor,
            job=job,
            kind=kind,
            data=data,
            issued_on=issued_on,
            entry=entry,
            issuer=issuer,
            fixed=fixed,
            replaces=replaces,
            reason=reason,
        )
    except IntegrityError:
        if not fixed:
            raise
        # Only a fixed number can collide (the counter is locked): the same decision entered twice at once.
        raise ValidationError(_("Số %(symbol)s đã có trong sổ văn bản đi.") % {"symbol": fixed["symbol"]})


def _issue_numbered(*, actor, job, kind, data, issued_on, entry, issuer, fixed, replaces, reason) -> IssuedDocument:
    with transaction.atomic():
        locked_job = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if IssuedDocument.objects.filter(job=locked_job).exists():
            raise ValidationError(_("Bản nháp này đã được ban hành."))
        if replaces is not None:
            replaces = IssuedDocument.objects.select_for_update().get(pk=replaces.pk)
            if replaces.is_replaced:
                raise ValidationError(_("Văn bản %(symbol)s đã được thay thế rồi.") % {"symbol": replaces.symbol})
        body = IssuingBody.current()
        if fixed:
            counter = None
            number, symbol, doc_type = fixed["number"], fixed["symbol"], fixed["doc_type"]
            if replaces is not None:
                # Its number is another body's: a corrected decision comes with a number of its own.
                raise ValidationError(
                    _(
                        "Văn bản %(symbol)s mang số do cơ quan khác cấp, không thay thế được ở đây: hãy ghi nhận "
                        "quyết định mới (số mới) rồi ban hành."
                    )
                    % {"symbol": replaces.symbol}
                )
            taken = IssuedDocument.objects.filter(
                issuing_body=body, year=issued_on.year, doc_type=doc_type, number=number
            )
            if taken.exists():
                raise ValidationError(_("Số %(symbol)s đã có trong sổ văn bản đi.") % {"symbol": symbol})
        else:
            counter, _created = RegisterCounter.objects.get_or_create(
                issuing_body=body, year=issued_on.year, doc_type=kind.register_code
            )
            counter = RegisterCounter.objects.select_for_update().get(pk=counter.pk)
            number = counter.last_number + 1
            doc_type = kind.register_code
            symbol = f"{number:02d}/{doc_type}-{body.abbreviation}"
        with override("vi"):
            html = rendering.render_html(kind, data, issue={"number": number, "symbol": symbol})
        pdf = rendering.html_to_pdf(html)
        recipients = entry.get("recipients") or issuer.get("recipients", [])
        document = IssuedDocument(
            job=locked_job,
            kind=job.kind,
            params_key=job.params_key,
            unit=job.unit,
            issuing_body=body,
            year=issued_on.year,
            doc_type=doc_type,
            number=number,
            symbol=symbol,
            issued_on=issued_on,
            summary=str(entry.get("summary") or job.title)[:300],
            signer_name=issuer.get("signer_name", "")[:120],
            recipients="\n".join([*recipients, f"Lưu: {issuer.get('archive_units', 'VT')}"]),
            subject=str(entry.get("subject") or "")[:300],
            issued_by=actor,
            sha256=rendering.sha256_hex(pdf.content),
            pages=pdf.pages,
            signature_boxes=pdf.anchors,
            replaces=replaces,
            correction_reason=reason[:300],
        )
        document.file.save("issued.pdf", ContentFile(pdf.content), save=False)
        document.full_clean()
        document.save()
        kind.issued(document, data["content"], actor=actor)
        if counter is not None:
            counter.last_number = number
            counter.save(update_fields=["last_number"])
    return document


def document_sign(*, actor, document: IssuedDocument) -> IssuedDocument:
    """Signs an issued document twice (Nghị định 30/2020, Phụ lục I): the leader's signature with the actor's
    certificate, then the issuing body's (the seal; for an attached file, text at the top right of page 1).

    Preconditions: the actor may sign (a leader with an active certificate; else PermissionDenied), the document
    is in force and not signed yet (else ValidationError). Writes a new signed file; the issued file stays.
    """
    from documents import signing

    allowed, why = can_sign_document(actor, document)
    if not allowed:
        raise PermissionDenied(why)
    person = signing.identity_for(actor, document.issuing_body)
    organisation = signing.organisation_identity(document.issuing_body)
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.signature_count:
            raise ValidationError(_("Văn bản %(symbol)s đã được ký số.") % {"symbol": locked.symbol})
        with locked.file.open("rb") as handle:
            content = handle.read()
        if rendering.sha256_hex(content) != locked.sha256:
            raise ValidationError(_("Tệp đã ban hành không còn khớp mã SHA-256 lưu trong sổ; không ký được."))
        locked.signed_by = actor  # before signing: the seal is placed relative to this leader's image
        content = signing.sign_pdf(locked, person, content=content)
        content = signing.sign_pdf(locked, organisation, content=content)
        locked.signature_count = 2
        locked.signed_file.save("signed.pdf", ContentFile(content), save=False)
        locked.signed_sha256 = rendering.sha256_hex(content)
        locked.signed_at = timezone.now()
        locked.signed_by = actor
        locked.save()
    return locked
