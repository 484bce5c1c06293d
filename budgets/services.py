"""Writes to the money of the programme. Views and the admin come through the public functions here, which check
role and state; the `_write_*` bodies below them skip those checks and are called, outside this module, only by
the demo loaders of budgets/demo.py.

Concurrency: saving a đề án's lines locks its ProjectFunding row (then the level's BudgetAllocation row, always
in that order), so two people editing the same đề án or the same yearly envelope are serialised and each check
sees the other's committed amounts. A disbursement is one conditional UPDATE
(disbursed_total + amount ≤ approved_amount); the CheckConstraints are the last guard whoever writes.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from budgets import figures, permissions
from budgets.models import (
    BudgetAllocation,
    BudgetException,
    Disbursement,
    ExceptionKind,
    ExceptionStatus,
    FundingAdjustment,
    FundingLine,
    ProjectFunding,
    Settlement,
)
from budgets.rules import AmbiguousCeiling, CeilingCheck, approved_exception, check_ceiling, level_approved_total
from core import events
from core.money import format_dong
from core.permissions import require
from projects.models import AdjustmentStatus


class CeilingBreach(ValidationError):
    """Refused because support exceeds the ceiling; carries the check so the page can offer an exception."""

    def __init__(self, check: CeilingCheck):
        self.check = check
        super().__init__(check.message(), code="ceiling")


class AllocationBreach(ValidationError):
    def __init__(self, message: str, *, amount: int):
        self.amount = amount
        super().__init__(message, code="allocation")


@dataclass
class LineInput:
    source: str
    cost_item: str
    estimated_cost: int
    approved_amount: int
    description: str = ""
    id: int | None = None
    delete: bool = False


def funding_for(project, *, lock: bool = False) -> ProjectFunding:
    funding, _created = ProjectFunding.objects.get_or_create(project=project)
    if lock:
        funding = ProjectFunding.objects.select_for_update().get(pk=funding.pk)
    return funding


def _check_allocation(project, lines) -> BudgetException | None:
    """Refuses when the level's approved total for the year would pass its envelope, unless a leader allowed it."""
    allocation = (
        BudgetAllocation.objects.select_for_update().filter(level=project.level, year=project.plan_year).first()
    )
    if allocation is None:
        return None  # no envelope recorded yet: nothing to check against
    mine = sum(line.approved_amount for line in lines if line.source == project.level)
    others = level_approved_total(project.level, project.plan_year, exclude_project=project)
    if others + mine <= allocation.amount:
        return None
    exception = approved_exception(project, ExceptionKind.ALLOCATION, mine)
    if exception is not None:
        return exception
    raise AllocationBreach(
        _(
            "Tổng kinh phí %(level)s năm %(year)s đã phê duyệt %(others)s đồng; thêm %(mine)s đồng của đề án này "
            "thành %(total)s đồng, vượt dự toán được giao %(alloc)s đồng (%(basis)s)."
        )
        % {
            "level": allocation.get_level_display(),
            "year": allocation.year,
            "others": format_dong(others),
            "mine": format_dong(mine),
            "total": format_dong(others + mine),
            "alloc": format_dong(allocation.amount),
            "basis": allocation.legal_basis or (str(allocation.decision) if allocation.decision_id else "—"),
        },
        amount=mine,
    )


def _check_project(project, funding, lines) -> CeilingCheck:
    try:
        check = check_ceiling(project, funding, lines)
    except AmbiguousCeiling as exc:
        raise ValidationError({"ceiling": str(exc)}) from None
    if not check.allowed:
        raise CeilingBreach(check)
    funding.ceiling_exception = check.exception
    funding.allocation_exception = _check_allocation(project, lines)
    return check


def _save_line(line: FundingLine) -> None:
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError:
        # A payment committed between our lock and this write; the constraint refused the overspend.
        raise ValidationError(
            _("Không lưu được %(line)s: số đã giải ngân hoặc quyết toán vượt kinh phí phê duyệt.") % {"line": line}
        ) from None


def funding_lines_save(
    *,
    actor: User,
    project,
    lines: list[LineInput],
    ceiling=None,
    ceiling_not_applicable: bool = False,
    ceiling_units: int = 1,
    version: int | None = None,
) -> CeilingCheck:
    """Replaces the đề án's funding lines with `lines` (rows with an id are updated, `delete` removes, the rest
    are added), checks the support ceiling and the yearly envelope, and saves all or nothing.

    Raises PermissionDenied, ValidationError (bad input, stale page, a line below what was already paid),
    CeilingBreach or AllocationBreach. Returns the ceiling check of the saved lines.
    """
    require(permissions.can_edit_lines(actor, project))
    if permissions.approved_amounts_locked(project):
        approved = dict(FundingLine.objects.filter(project=project).values_list("pk", "approved_amount"))
        for row in lines:
            if approved.get(row.id) and (row.delete or row.approved_amount != approved[row.id]):
                raise ValidationError(
                    _(
                        "Kinh phí phê duyệt của một dòng đã theo quyết định phê duyệt; muốn thay đổi, dùng "
                        "“Điều chỉnh” kèm quyết định điều chỉnh."
                    )
                )
    return _write_funding_lines(
        project=project,
        lines=lines,
        ceiling=ceiling,
        ceiling_not_applicable=ceiling_not_applicable,
        ceiling_units=ceiling_units,
        version=version,
    )


def _write_funding_lines(
    *,
    project,
    lines: list[LineInput],
    ceiling=None,
    ceiling_not_applicable: bool = False,
    ceiling_units: int = 1,
    version: int | None = None,
) -> CeilingCheck:
    """The body of funding_lines_save, without its role and state check. Not a service: besides
    funding_lines_save, only the demo loaders of budgets/demo.py call it (a past year's records on đề án whose
    state no longer allows the step). Every money check (ceiling, envelope, paid amounts) still applies."""
    with transaction.atomic():
        funding = funding_for(project, lock=True)
        if version is not None and version != funding.version:
            raise ValidationError(
                _("Người khác vừa sửa kinh phí của đề án này. Tải lại trang để xem số mới rồi nhập lại.")
            )
        existing = {line.pk: line for line in FundingLine.objects.select_for_update().filter(project=project)}
        kept: list[FundingLine] = []
        removed: list[FundingLine] = []
        seen: set[tuple[str, str]] = set()
        errors = []
        for row in lines:
            if row.id is not None and row.id not in existing:
                raise ValidationError(_("Dòng kinh phí không thuộc đề án này."))
            line = existing.get(row.id) if row.id is not None else FundingLine(project=project)
            if row.delete:
                if line.pk:
                    if line.disbursed_total or line.settled_amount:
                        errors.append(_("Không xóa được %(line)s: đã có giải ngân hoặc quyết toán.") % {"line": line})
                    removed.append(line)
                continue
            line.source, line.cost_item = row.source, row.cost_item
            line.description = (row.description or "").strip()
            line.estimated_cost, line.approved_amount = row.estimated_cost, row.approved_amount
            if (line.source, line.cost_item) in seen:
                errors.append(_("%(line)s bị nhập hai lần.") % {"line": line})
            seen.add((line.source, line.cost_item))
            if line.approved_amount < line.disbursed_total:
                errors.append(
                    _("%(line)s: kinh phí phê duyệt %(a)s đồng thấp hơn số đã giải ngân %(d)s đồng.")
                    % {"line": line, "a": format_dong(line.approved_amount), "d": format_dong(line.disbursed_total)}
                )
            if line.approved_amount < line.settled_amount:
                errors.append(
                    _("%(line)s: kinh phí phê duyệt thấp hơn số đã quyết toán %(s)s đồng.")
                    % {"line": line, "s": format_dong(line.settled_amount)}
                )
            try:
                line.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                errors.extend(f"{line}: {m}" for m in exc.messages)
            kept.append(line)
        untouched = [line for pk, line in existing.items() if pk not in {row.id for row in lines}]
        if errors:
            raise ValidationError(errors)

        funding.ceiling = ceiling
        funding.ceiling_not_applicable = ceiling is None and ceiling_not_applicable
        funding.ceiling_units = ceiling_units
        check = _check_project(project, funding, kept + untouched)

        for line in removed:
            line.delete()
        for line in kept:
            _save_line(line)
        funding.version = F("version") + 1
        funding.full_clean(exclude=["version", "project"])
        funding.save()
    return check


def funding_line_adjust(
    *, actor: User, line: FundingLine, adjusted_amount: int, reason: str, decision=None, adjustment=None
) -> FundingAdjustment:
    """Records a formal change of a line's approved amount under a decision (or an approved projects.Adjustment)
    and applies it after the same checks as the editor."""
    project = line.project
    require(permissions.can_adjust(actor, project))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do điều chỉnh.")})
    if decision is None and adjustment is None:
        raise ValidationError({"decision": _("Điều chỉnh kinh phí phải theo một quyết định.")})
    if adjustment is not None:
        if adjustment.project_id != project.pk:
            raise ValidationError({"adjustment": _("Đề nghị điều chỉnh không thuộc đề án này.")})
        if adjustment.status != AdjustmentStatus.APPROVED:
            raise ValidationError({"adjustment": _("Đề nghị điều chỉnh chưa được chấp thuận.")})
        decision = decision or adjustment.decision
    with transaction.atomic():
        funding = funding_for(project, lock=True)
        lines = list(FundingLine.objects.select_for_update().filter(project=project))
        current = next(candidate for candidate in lines if candidate.pk == line.pk)
        if adjusted_amount < max(current.disbursed_total, current.settled_amount):
            raise ValidationError(
                {
                    "adjusted_amount": _("Không thấp hơn số đã giải ngân %(d)s đồng hoặc đã quyết toán %(s)s đồng.")
                    % {"d": format_dong(current.disbursed_total), "s": format_dong(current.settled_amount)}
                }
            )
        if adjusted_amount == current.approved_amount:
            raise ValidationError({"adjusted_amount": _("Số sau điều chỉnh bằng số đang phê duyệt.")})
        record = FundingAdjustment(
            line=current,
            approved_amount=current.approved_amount,
            adjusted_amount=adjusted_amount,
            decision=decision,
            adjustment=adjustment,
            reason=reason,
            recorded_by=actor,
        )
        record.full_clean()
        current.approved_amount = adjusted_amount
        _check_project(project, funding, lines)
        current._change_reason = reason
        _save_line(current)
        funding.version = F("version") + 1
        funding.save()
        record.save()
    return record


def disbursement_create(
    *, actor: User, line: FundingLine, kind: str, paid_on: date, amount: int, document_number: str, note: str = ""
) -> Disbursement:
    """Records a payment. One conditional UPDATE adds it to the line only while it fits in the approved amount,
    so two payments racing for the same remainder cannot both pass."""
    require(permissions.can_disburse(actor, line.project))
    with transaction.atomic():
        disbursement = _write_disbursement(
            line=line,
            kind=kind,
            paid_on=paid_on,
            amount=amount,
            document_number=document_number,
            note=note,
            actor=actor,
        )
        events.payment_recorded.send(sender=Disbursement, disbursement=disbursement, actor=actor)
    return disbursement


def _write_disbursement(
    *,
    line: FundingLine,
    kind: str,
    paid_on: date,
    amount: int,
    document_number: str,
    note: str = "",
    actor: User | None = None,
) -> Disbursement:
    """The body of disbursement_create, without its role and state check. Not a service: besides
    disbursement_create, only the demo loaders of budgets/demo.py call it. The amount checks apply."""
    document_number = (document_number or "").strip()
    disbursement = Disbursement(
        line=line,
        kind=kind,
        paid_on=paid_on,
        amount=amount,
        document_number=document_number,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("Số tiền phải lớn hơn 0.")
    if paid_on and paid_on > timezone.localdate():
        errors["paid_on"] = _("Ngày chi không được sau hôm nay.")
    if errors:
        raise ValidationError(errors)
    disbursement.full_clean(validate_constraints=False)
    if Disbursement.objects.filter(line=line, document_number=document_number).exists():
        raise ValidationError(
            {"document_number": _("Chứng từ số %(n)s đã được ghi cho dòng kinh phí này.") % {"n": document_number}}
        )
    with transaction.atomic():
        updated = FundingLine.objects.filter(pk=line.pk, disbursed_total__lte=F("approved_amount") - amount).update(
            disbursed_total=F("disbursed_total") + amount, updated_at=timezone.now()
        )
        if not updated:
            line.refresh_from_db(fields=["approved_amount", "disbursed_total"])
            raise ValidationError(
                {
                    "amount": _(
                        "Số tiền %(a)s đồng vượt số còn được giải ngân của %(line)s: phê duyệt %(ap)s đồng, "
                        "đã giải ngân %(d)s đồng, còn %(r)s đồng."
                    )
                    % {
                        "a": format_dong(amount),
                        "line": line,
                        "ap": format_dong(line.approved_amount),
                        "d": format_dong(line.disbursed_total),
                        "r": format_dong(line.remaining),
                    }
                }
            )
        try:
            with transaction.atomic():
                disbursement.save()
        except IntegrityError as exc:
            # A double click: the same document raced past the check above and the other copy was saved first.
            # The line's UPDATE is rolled back with this block; the loser gets the same answer as a repeat.
            raise ValidationError(
                {"document_number": _("Chứng từ số %(n)s đã được ghi cho dòng kinh phí này.") % {"n": document_number}}
            ) from exc
        # The conditional UPDATE above sends no signal: the đề án's figures follow here, in the same transaction.
        figures.refresh_project(line.project_id)
    line.refresh_from_db(fields=["approved_amount", "disbursed_total"])
    return disbursement


def settlement_record(
    *, actor: User, line: FundingLine, amount: int, settled_on: date, document_number: str, note: str = ""
) -> Settlement:
    """Records (or corrects) the settlement of a line; refused above the approved amount."""
    require(permissions.can_settle(actor, line.project))
    if settled_on and settled_on > timezone.localdate():
        raise ValidationError({"settled_on": _("Ngày quyết toán không được sau hôm nay.")})
    return _write_settlement(
        line=line, amount=amount, settled_on=settled_on, document_number=document_number, note=note, actor=actor
    )


def _write_settlement(
    *, line: FundingLine, amount: int, settled_on: date, document_number: str, note: str = "", actor: User | None = None
) -> Settlement:
    """The body of settlement_record, without its role and state check. Not a service: besides
    settlement_record, only the demo loaders of budgets/demo.py call it. The amount check applies."""
    settlement = Settlement.objects.filter(line=line).first() or Settlement(line=line)
    settlement.amount, settlement.settled_on = amount, settled_on
    settlement.document_number, settlement.note = (document_number or "").strip(), (note or "").strip()
    settlement.recorded_by = actor
    settlement.full_clean()
    with transaction.atomic():
        updated = FundingLine.objects.filter(pk=line.pk, approved_amount__gte=amount).update(
            settled_amount=amount, updated_at=timezone.now()
        )
        if not updated:
            line.refresh_from_db(fields=["approved_amount"])
            raise ValidationError(
                {
                    "amount": _("Số quyết toán %(a)s đồng vượt kinh phí phê duyệt %(ap)s đồng của %(line)s.")
                    % {"a": format_dong(amount), "ap": format_dong(line.approved_amount), "line": line}
                }
            )
        settlement.save()
        figures.refresh_project(line.project_id)
    line.refresh_from_db(fields=["settled_amount"])
    return settlement


def exception_request(*, actor: User, project, kind: str, amount: int, reason: str) -> BudgetException:
    """Staff asks a leader to allow `amount` of state support past a ceiling or the yearly envelope."""
    require(permissions.can_request_exception(actor, project))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do đề nghị ngoại lệ.")})
    pending = BudgetException.objects.filter(project=project, kind=kind, status=ExceptionStatus.REQUESTED).first()
    if pending is not None:
        raise ValidationError(_("Đề án đã có một đề nghị ngoại lệ loại này đang chờ lãnh đạo duyệt."))
    exception = BudgetException(project=project, kind=kind, amount=amount, reason=reason, requested_by=actor)
    exception.full_clean()
    with transaction.atomic():
        exception.save()
        events.budget_exception_requested.send(sender=BudgetException, exception=exception, actor=actor)
    return exception


def exception_decide(*, actor: User, exception: BudgetException, approve: bool, comment: str) -> BudgetException:
    """A leader approves or refuses a pending request, with a comment."""
    require(permissions.can_decide_exception(actor, exception.project))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Cần ghi ý kiến của lãnh đạo.")})
    with transaction.atomic():
        exception = BudgetException.objects.select_for_update().get(pk=exception.pk)
        if exception.status != ExceptionStatus.REQUESTED:
            raise ValidationError(_("Đề nghị này đã được xử lý (%(s)s).") % {"s": exception.get_status_display()})
        exception.status = ExceptionStatus.APPROVED if approve else ExceptionStatus.REJECTED
        exception.decided_by, exception.decided_at = actor, timezone.now()
        exception.decision_comment = comment
        exception._change_reason = comment
        exception.save()
        events.budget_exception_decided.send(sender=BudgetException, exception=exception, actor=actor)
    return exception


def exception_record(*, actor: User, project, kind: str, amount: int, reason: str) -> BudgetException:
    """A leader records an exception directly (no request), approved at once."""
    require(permissions.can_decide_exception(actor, project))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do chấp thuận ngoại lệ.")})
    now = timezone.now()
    exception = BudgetException(
        project=project,
        kind=kind,
        amount=amount,
        reason=reason,
        status=ExceptionStatus.APPROVED,
        requested_by=actor,
        decided_by=actor,
        decided_at=now,
        decision_comment=reason,
    )
    exception.full_clean()
    with transaction.atomic():
        exception.save()
    return exception


def allocation_save(*, actor: User, data: dict, allocation: BudgetAllocation | None = None) -> BudgetAllocation:
    """Creates or edits the envelope of a level and year; refused below what is already approved."""
    require(permissions.can_manage_allocations(actor))
    allocation = allocation or BudgetAllocation()
    for field, value in data.items():
        setattr(allocation, field, value)
    allocation.legal_basis = (allocation.legal_basis or "").strip()
    allocation.full_clean()
    with transaction.atomic():
        if allocation.pk:
            BudgetAllocation.objects.select_for_update().get(pk=allocation.pk)
        approved = level_approved_total(allocation.level, allocation.year)
        if allocation.amount < approved:
            raise ValidationError(
                {
                    "amount": _("Đã phê duyệt %(a)s đồng cho các đề án cấp này năm %(y)s; dự toán không được thấp hơn.")
                    % {"a": format_dong(approved), "y": allocation.year}
                }
            )
        allocation.save()
    return allocation


def settlement_guard(project, **context) -> str | None:
    """projects.hooks guard for SETTLED: every line with approved money must be settled first."""
    missing = FundingLine.objects.filter(project=project, approved_amount__gt=0, settlement__isnull=True)
    names = [str(line) for line in missing]
    if names:
        return _("Chưa quyết toán: %(lines)s.") % {"lines": "; ".join(names)}
    return None
