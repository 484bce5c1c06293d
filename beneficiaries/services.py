"""Writes to the registry. Views, imports and tasks all come through here."""

import hashlib
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, has_role
from beneficiaries.importing import engine
from beneficiaries.importing.reader import ImportFileError, check_upload
from beneficiaries.models import Beneficiary, BeneficiaryStatus, ImportBatch, ImportStatus
from beneficiaries.permissions import (
    can_archive_beneficiary,
    can_create_beneficiary,
    can_edit_beneficiary,
    can_import_beneficiaries,
    can_override_eligibility,
    can_restore_beneficiary,
)
from core.text import fold, nfc, sort_key

_TEXT_FIELDS = (
    "name",
    "representative",
    "address",
    "sector",
    "main_products",
    "notes",
    "tax_code",
    "registration_number",
    "phone",
)


def derive_keys(beneficiary: Beneficiary) -> None:
    """NFC text fields and the derived search and sort keys; the import calls it for every row too."""
    for field in _TEXT_FIELDS:
        setattr(
            beneficiary,
            field,
            nfc(getattr(beneficiary, field))
            if field not in ("main_products", "notes")
            else (getattr(beneficiary, field) or "").strip(),
        )
    beneficiary.search_text = fold(
        " ".join(
            [
                beneficiary.name,
                beneficiary.tax_code,
                beneficiary.registration_number,
                beneficiary.address,
                beneficiary.unit.name if beneficiary.unit_id else "",
            ]
        )
    )[:600]
    beneficiary.sort_name = sort_key(beneficiary.name)


def beneficiary_create(*, actor: User, data: dict) -> Beneficiary:
    """Creates an establishment. An area officer's record starts as a proposal for staff to confirm."""
    beneficiary = Beneficiary(**data)
    allowed, reason = can_create_beneficiary(actor, beneficiary.unit if beneficiary.unit_id else None)
    if not allowed:
        raise PermissionDenied(reason)
    if has_role(actor, Role.AREA_OFFICER) and not has_role(actor, Role.ADMIN, Role.STAFF):
        beneficiary.status = BeneficiaryStatus.PROPOSED
    beneficiary.created_by = actor
    derive_keys(beneficiary)
    beneficiary.full_clean()
    with transaction.atomic():
        beneficiary.save()
    return beneficiary


def beneficiary_update(*, actor: User, beneficiary: Beneficiary, data: dict) -> Beneficiary:
    allowed, reason = can_edit_beneficiary(actor, beneficiary)
    if not allowed:
        raise PermissionDenied(reason)
    for field, value in data.items():
        setattr(beneficiary, field, value)
    allowed, reason = can_edit_beneficiary(actor, beneficiary)  # the new address must stay in the officer's area
    if not allowed:
        raise PermissionDenied(reason)
    derive_keys(beneficiary)
    beneficiary.full_clean()
    with transaction.atomic():
        beneficiary.save()
    return beneficiary


def beneficiary_override_eligibility(
    *, actor: User, beneficiary: Beneficiary, eligible: bool | None, reason: str
) -> Beneficiary:
    """Records a leader's decision on eligibility (None clears it). A reason is required to set one."""
    allowed, why = can_override_eligibility(actor, beneficiary)
    if not allowed:
        raise PermissionDenied(why)
    reason = (reason or "").strip()
    if eligible is not None and not reason:
        raise ValidationError({"eligibility_override_reason": _("Cần ghi rõ lý do điều chỉnh.")})
    with transaction.atomic():
        beneficiary.eligibility_override = eligible
        beneficiary.eligibility_override_reason = reason if eligible is not None else ""
        beneficiary.eligibility_override_by = actor if eligible is not None else None
        beneficiary.eligibility_override_at = timezone.now() if eligible is not None else None
        beneficiary._change_reason = reason
        beneficiary.save()
    return beneficiary


def beneficiary_archive(*, actor: User, beneficiary: Beneficiary, reason: str) -> Beneficiary:
    """Takes an establishment out of the working list without deleting it.

    Đề án, payments and reports keep pointing at it, so a record is archived, never deleted, once referenced.
    """
    allowed, why = can_archive_beneficiary(actor, beneficiary)
    if not allowed:
        raise PermissionDenied(why)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần ghi rõ lý do lưu trữ.")})
    with transaction.atomic():
        beneficiary.status = BeneficiaryStatus.ARCHIVED
        beneficiary._change_reason = reason
        beneficiary.save(update_fields=["status", "updated_at"])
    return beneficiary


def beneficiary_restore(*, actor: User, beneficiary: Beneficiary) -> Beneficiary:
    allowed, why = can_restore_beneficiary(actor, beneficiary)
    if not allowed:
        raise PermissionDenied(why)
    with transaction.atomic():
        beneficiary.status = BeneficiaryStatus.ACTIVE
        beneficiary._change_reason = _("Khôi phục từ lưu trữ")
        beneficiary.save(update_fields=["status", "updated_at"])
    return beneficiary


# -- Excel import --------------------------------------------------------------------------------------------


def _import_runs_inline(batch: ImportBatch) -> bool:
    """Small files are read in the request; big ones go to the worker and the page polls."""
    return batch.file_size <= getattr(settings, "IMPORT_INLINE_MAX_BYTES", 256 * 1024)


def _reload(batch: ImportBatch) -> None:
    """refresh_from_db without the plan (megabytes of JSON for a large file): it stays deferred, read if asked."""
    batch.__dict__.pop("plan", None)
    batch.refresh_from_db()


def import_batch_start(*, actor: User, upload) -> ImportBatch:
    """Stores an uploaded sheet and starts its preview. Nothing in the registry changes.

    Refuses a wrong type, an oversized file, and a file whose SHA-256 was already imported.
    """
    allowed, why = can_import_beneficiaries(actor)
    if not allowed:
        raise PermissionDenied(why)
    name = os.path.basename(upload.name or "")[:200]
    try:
        check_upload(name, upload.size)
    except ImportFileError as exc:
        raise ValidationError({"file": str(exc)})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    previous = ImportBatch.objects.filter(sha256=sha256, status=ImportStatus.DONE).first()
    if previous is not None:
        raise ValidationError(
            {
                "file": _("Tệp này đã được nhập ngày %(day)s (lô số %(pk)s): không nhập lại.")
                % {
                    "day": timezone.localtime(previous.finished_at or previous.created_at).strftime("%d/%m/%Y"),
                    "pk": previous.pk,
                }
            }
        )
    upload.seek(0)
    with transaction.atomic():
        batch = ImportBatch(
            file_name=name, file_size=upload.size, sha256=sha256, created_by=actor, status=ImportStatus.PENDING
        )
        batch.file.save(f"{sha256[:16]}{os.path.splitext(name)[1].lower()}", upload, save=False)
        batch.save()
        if not _import_runs_inline(batch):
            from beneficiaries.tasks import analyse_import

            transaction.on_commit(lambda: analyse_import.delay(batch.pk))
    if _import_runs_inline(batch):
        import_batch_analyse(batch_id=batch.pk)
        _reload(batch)
    return batch


def _set_progress(batch_id: int, percent: int) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(progress=min(percent, 100))


def import_batch_analyse(*, batch_id: int) -> ImportBatch | None:
    """Reads the stored file and records the preview (what would be created, updated, refused). Writes no
    establishment. Idempotent: a batch already past analysis is left alone."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status not in (ImportStatus.PENDING, ImportStatus.ANALYSING):
        return batch
    ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.ANALYSING, progress=1)
    try:
        try:
            with batch.file.open("rb") as handle:
                data = handle.read()
        except OSError:
            raise ImportFileError(_("Không đọc được tệp đã tải lên trên máy chủ; hãy tải lên lại."))
        analysis = engine.analyse(batch.file_name, data, progress=lambda p: _set_progress(batch_id, p))
    except ImportFileError as exc:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, message=str(exc), progress=100, finished_at=timezone.now()
        )
        _reload(batch)
        return batch
    counts = analysis.counts
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportStatus.PREVIEWED,
        progress=100,
        total_rows=len(analysis.results),
        created_count=counts[engine.CREATE],
        updated_count=counts[engine.UPDATE],
        unchanged_count=counts[engine.UNCHANGED],
        error_count=counts[engine.ERROR],
        review_count=counts["review"],
        report=analysis.report(),
        plan=analysis.packed_plan(),
    )
    _reload(batch)
    return batch


def import_batch_confirm(*, actor: User, batch: ImportBatch, valid_only: bool) -> ImportBatch:
    """The user's go-ahead after the preview. A file with errors is written only when the user chose
    "import only the valid rows"; then the valid rows are written in one transaction."""
    allowed, why = can_import_beneficiaries(actor)
    if not allowed:
        raise PermissionDenied(why)
    if batch.status != ImportStatus.PREVIEWED:
        raise ValidationError(
            _("Lô nhập này không ở bước chờ xác nhận (%(status)s).") % {"status": batch.get_status_display()}
        )
    if batch.error_count and not valid_only:
        raise ValidationError(
            _("Tệp còn %(n)s dòng lỗi: sửa tệp rồi tải lên lại, hoặc chọn “Chỉ nhập các dòng hợp lệ”.")
            % {"n": batch.error_count}
        )
    with transaction.atomic():
        updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEWED).update(
            status=ImportStatus.IMPORTING,
            confirmed_by=actor,
            confirmed_at=timezone.now(),
            valid_only=valid_only,
            progress=0,
        )
        if not updated:  # a second click, or another tab, got there first
            raise ValidationError(_("Lô nhập này đang được ghi hoặc đã ghi xong."))
        if not _import_runs_inline(batch):
            from beneficiaries.tasks import write_import

            transaction.on_commit(lambda: write_import.delay(batch.pk))
    if _import_runs_inline(batch):
        import_batch_write(batch_id=batch.pk)
    _reload(batch)
    return batch


def import_batch_write(*, batch_id: int) -> ImportBatch | None:
    """Writes the confirmed preview, all or nothing, in one transaction, with a history row per establishment.

    Idempotent: only a batch in the "importing" state is written, and its row is locked while it is. If the
    registry moved since the preview (an identifier taken, a record archived) nothing is written.
    """
    batch = ImportBatch.objects.filter(pk=batch_id).select_related("confirmed_by").defer("plan").first()
    if batch is None or batch.status != ImportStatus.IMPORTING:
        return batch
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if locked.status != ImportStatus.IMPORTING:
                return locked
            if ImportBatch.objects.filter(sha256=locked.sha256, status=ImportStatus.DONE).exists():
                raise engine.PlanConflict(_("Tệp này đã được nhập ở một lô khác: không nhập lại."))
            written = engine.write_plan(
                locked.plan,
                actor=batch.confirmed_by,
                reason=_("Nhập từ tệp %(name)s (lô số %(pk)s)") % {"name": batch.file_name, "pk": batch.pk},
            )
            locked.status = ImportStatus.DONE
            locked.progress = 100
            locked.created_count = written[engine.CREATE]
            locked.updated_count = written[engine.UPDATE]
            locked.unchanged_count += written[engine.UNCHANGED]
            locked.finished_at = timezone.now()
            locked.message = ""
            locked.plan = []
            locked.save(
                update_fields=[
                    "status",
                    "progress",
                    "created_count",
                    "updated_count",
                    "unchanged_count",
                    "finished_at",
                    "message",
                    "plan",
                    "updated_at",
                ]
            )
    except (engine.PlanConflict, IntegrityError) as exc:
        message = str(exc) if isinstance(exc, engine.PlanConflict) else _("trùng mã số thuế hoặc số ĐKKD")
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED,
            progress=100,
            finished_at=timezone.now(),
            message=_("Sổ cơ sở đã thay đổi từ lúc xem trước (%(why)s); không ghi gì. Hãy tải tệp lên lại.")
            % {"why": message},
        )
    _reload(batch)
    return batch


def import_batch_cancel(*, actor: User, batch: ImportBatch) -> ImportBatch:
    allowed, why = can_import_beneficiaries(actor)
    if not allowed:
        raise PermissionDenied(why)
    if batch.status not in (ImportStatus.PREVIEWED, ImportStatus.FAILED, ImportStatus.PENDING):
        raise ValidationError(
            _("Không hủy được lô nhập ở trạng thái %(status)s.") % {"status": batch.get_status_display()}
        )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CANCELLED, finished_at=timezone.now())
    _reload(batch)
    return batch
