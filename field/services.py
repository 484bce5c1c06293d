"""Writes for field reports, inspections and acceptance. Views, admin, demo data and tasks all come here."""

import datetime as dt
import logging
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from budgets.sources import STATE_SOURCES, FundingSource
from core import events
from core.money import format_dong
from core.permissions import require
from core.text import nfc
from field import selectors
from field.funding import approved_amounts
from field.models import (
    Acceptance,
    AcceptanceFunding,
    AcceptanceOutput,
    AcceptanceResult,
    AcceptanceSchedule,
    ActionReminder,
    CouncilMember,
    FieldReport,
    FollowUpAction,
    Inspection,
    InspectionStatus,
    ObservedOutput,
    ReportPhoto,
    ReportStatus,
)
from field.permissions import (
    can_acknowledge_problem,
    can_change_action,
    can_complete_action,
    can_edit_report,
    can_import_acceptance,
    can_manage_inspections,
    can_record_acceptance,
    can_schedule_acceptance,
    can_write_report,
)
from field.photos import ProcessedPhoto, process_photo
from projects import hooks
from projects.models import PlannedOutput, Project, ProjectStatus
from projects.services import contract_number_key

logger = logging.getLogger(__name__)

REPORT_FIELDS = (
    "visit_date",
    "progress_percent",
    "observations",
    "has_problem",
    "problem",
    "recommendations",
    "latitude",
    "longitude",
    "location_accuracy_m",
)
_TEXT = ("observations", "problem", "recommendations")


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- field reports -------------------------------------------------------------------------------------------------
def field_report_save(
    *,
    actor: User,
    client_id: uuid.UUID,
    project: Project | None = None,
    beneficiary=None,
    data: dict[str, Any],
    outputs: list[dict] | None = None,
    photos: list | None = None,
    submit: bool = False,
) -> tuple[FieldReport, bool]:
    """Creates or continues the report identified by the browser's `client_id`; returns (report, changed).

    Idempotent: when a report with this `client_id` is already submitted (a retry after a network drop, a double
    tap), it is returned unchanged with changed=False. A draft with this id is updated (by its author only).
    With `submit`, the report is sent: it gets its responsible staff member, and a flagged problem is e-mailed
    to them after commit. Photos are checked and re-encoded before anything is written; a bad one refuses the
    whole save (ValidationError naming the file).
    """
    processed: list[ProcessedPhoto] = [process_photo(f) for f in (photos or [])]
    try:
        with transaction.atomic():
            report = FieldReport.objects.select_for_update().filter(client_id=client_id).first()
            if report is not None:
                if report.author_id != actor.pk:
                    raise PermissionDenied(_("Mã báo cáo này thuộc về người khác."))
                if report.status == ReportStatus.SUBMITTED:
                    return report, False
                require(can_edit_report(actor, report))
            else:
                require(can_write_report(actor, project=project, beneficiary=beneficiary))
                subject = project or beneficiary
                if subject is None:
                    raise ValidationError(_("Báo cáo cần gắn với một đề án hoặc một cơ sở."))
                report = FieldReport(
                    client_id=client_id, author=actor, project=project, beneficiary=beneficiary, unit=subject.unit
                )
            _write_report(report, data, outputs or [], processed, submit=submit)
    except IntegrityError:
        # Two copies of the same submission raced past the lookup; the first one won.
        existing = FieldReport.objects.filter(client_id=client_id, author=actor).first()
        if existing is None:
            raise
        return existing, False
    return report, True


def _write_report(report: FieldReport, data: dict, outputs: list[dict], photos: list[ProcessedPhoto], *, submit):
    for field in REPORT_FIELDS:
        if field in data:
            value = data[field]
            if field in _TEXT:
                value = nfc(value or "")
            setattr(report, field, value)
    if not report.has_problem:
        report.problem = ""
    if report.has_problem and not report.problem:
        raise ValidationError({"problem": _("Đã đánh dấu có vướng mắc: cần mô tả vướng mắc.")})
    if submit:
        if report.visit_date and report.visit_date > timezone.localdate():
            raise ValidationError({"visit_date": _("Ngày đến cơ sở không được sau hôm nay.")})
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.responsible_staff = selectors.responsible_staff_for(project=report.project, unit=report.unit)
    report.full_clean()
    report.save()

    valid_outputs = {o.pk: o for o in PlannedOutput.objects.filter(project_id=report.project_id)}
    for row in outputs:
        output = row["output"]
        if output.pk not in valid_outputs:
            raise ValidationError(_("Sản phẩm dự kiến không thuộc đề án của báo cáo."))
        observed = row.get("observed")
        note = nfc(row.get("note") or "")
        if observed is None and not note:
            ObservedOutput.objects.filter(report=report, output=output).delete()
            continue
        ObservedOutput.objects.update_or_create(
            report=report, output=output, defaults={"observed": observed, "note": note}
        )

    known = set(report.photos.values_list("sha256", flat=True))
    for photo in photos:
        if photo.sha256 in known:
            continue
        known.add(photo.sha256)
        ReportPhoto.objects.create(
            report=report,
            image=photo.image,
            thumbnail=photo.thumbnail,
            sha256=photo.sha256,
            original_name=photo.original_name,
            original_size=photo.original_size,
            taken_at=photo.taken_at,
            gps_latitude=photo.gps_latitude,
            gps_longitude=photo.gps_longitude,
        )

    if submit and report.has_problem:
        # The notice (and its e-mail, through the outbox) is written in this transaction: never lost.
        events.field_problem_reported.send(sender=FieldReport, report=report)
        report.problem_notified_at = timezone.now()
        report.save(update_fields=["problem_notified_at", "updated_at"])


def field_report_photo_delete(*, actor: User, photo: ReportPhoto) -> None:
    """Removes a photo of a draft. The files go once the row's deletion is committed: a rolled-back
    transaction leaves both the row and its files in place."""
    require(can_edit_report(actor, photo.report))
    files = [(f.storage, f.name) for f in (photo.image, photo.thumbnail) if f]
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def field_report_acknowledge(*, actor: User, report: FieldReport, note: str = "") -> FieldReport:
    """Records who took charge of a flagged problem; it then leaves the staff home pages."""
    with transaction.atomic():
        locked = FieldReport.objects.select_for_update().get(pk=report.pk)
        require(can_acknowledge_problem(actor, locked))
        locked.problem_acknowledged_by = actor
        locked.problem_acknowledged_at = timezone.now()
        locked.acknowledgement_note = nfc(note or "")
        locked._change_reason = _("Tiếp nhận vướng mắc")
        locked.save()
    return locked


# --- inspections ---------------------------------------------------------------------------------------------------
INSPECTION_FIELDS = ("kind", "status", "planned_date", "done_date", "external_members", "findings", "conclusions")


def _write_actions(actor: User, inspection: Inspection, actions: list[dict]) -> None:
    for row in actions:
        if row.get("instance") is not None:
            require(can_change_action(actor, inspection, row["instance"]))
        action = row.get("instance") or FollowUpAction(inspection=inspection)
        if row.get("delete"):
            if action.pk:
                action.delete()
            continue
        action.description = nfc(row["description"])
        action.owner = row["owner"]
        action.due_date = row["due_date"]
        action.full_clean()
        action.save()


def inspection_save(
    *,
    actor: User,
    project: Project,
    data: dict[str, Any],
    team: list | None = None,
    actions: list[dict] | None = None,
    inspection: Inspection | None = None,
) -> Inspection:
    """Creates or updates an inspection with its team and follow-up actions. A done inspection needs its date."""
    require(can_manage_inspections(actor, project))
    with transaction.atomic():
        if inspection is None:
            inspection = Inspection(project=project, created_by=actor)
        elif inspection.project_id != project.pk:
            raise ValidationError(_("Đợt kiểm tra không thuộc đề án này."))
        for field in INSPECTION_FIELDS:
            if field in data:
                value = data[field]
                setattr(inspection, field, nfc(value) if isinstance(value, str) else value)
        if inspection.status == InspectionStatus.DONE and not inspection.done_date:
            raise ValidationError({"done_date": _("Đợt kiểm tra đã thực hiện cần ngày thực hiện.")})
        if inspection.done_date and inspection.done_date > timezone.localdate():
            raise ValidationError({"done_date": _("Ngày thực hiện kiểm tra không được sau hôm nay.")})
        inspection.full_clean()
        inspection.save()
        if team is not None:
            inspection.team.set(team)
        _write_actions(actor, inspection, actions or [])
    return inspection


def action_complete(*, actor: User, action: FollowUpAction) -> FollowUpAction:
    with transaction.atomic():
        locked = FollowUpAction.objects.select_for_update().get(pk=action.pk)
        require(can_complete_action(actor, locked))
        locked.done = True
        locked.done_at = timezone.now()
        locked.done_by = actor
        locked.save()
    return locked


def followup_remind_overdue(*, today: dt.date | None = None) -> int:
    """E-mails the owner of each overdue action at most once a day; returns how many e-mails were sent.

    The ActionReminder row (unique per action and day) is written in the same transaction as the e-mail is sent:
    if sending fails the row is rolled back and the next run tries again; if it succeeded, a second run the same
    day finds the row and skips the action.
    """
    today = today or timezone.localdate()
    sent = 0
    # Actions already reminded today are skipped in the query; the unique row still guards against a parallel run.
    for action in selectors.overdue_actions(today=today).exclude(reminders__sent_on=today):
        owner = action.owner
        if not owner.is_active or not owner.email:
            continue
        try:
            with transaction.atomic():
                _reminder, created = ActionReminder.objects.get_or_create(
                    action=action, sent_on=today, defaults={"recipient": owner.email}
                )
                if not created:
                    continue
                project = action.inspection.project
                send_mail(
                    subject=_("[Khuyến công] Việc quá hạn: %(what)s") % {"what": action.description[:80]},
                    message=_(
                        "Kính gửi %(owner)s,\n\nViệc sau kiểm tra đề án %(project)s đã quá hạn %(days)s ngày "
                        "(hạn %(due)s):\n\n%(what)s\n\nKhi đã xong, xin xác nhận tại: %(url)s\n"
                    )
                    % {
                        "owner": owner,
                        "project": project,
                        "days": (today - action.due_date).days,
                        "due": action.due_date.strftime("%d/%m/%Y"),
                        "what": action.description,
                        "url": _absolute(reverse("field:inspection_detail", args=[action.inspection_id])),
                    },
                    from_email=None,
                    recipient_list=[owner.email],
                )
                sent += 1
        except IntegrityError:
            # Another run created the row between our lookup and insert: it sends, we do not.
            continue
    return sent


# --- acceptance ----------------------------------------------------------------------------------------------------
ACCEPTANCE_FIELDS = (
    "held_on",
    "held_at_time",
    "place",
    "contract_reference",
    "contract_date",
    "decision_reference",
    "result",
    "assessment",
    "requests",
    "fixes_required",
)


def _check_acceptance_input(project: Project, data: dict, council: list[dict], outputs: list[dict], funds_used: dict):
    errors: dict[str, list[str]] = {}
    if not council:
        errors.setdefault("__all__", []).append(_("Cần danh sách thành viên hội đồng nghiệm thu."))
    elif not any(member["role"] == "chair" for member in council):
        errors.setdefault("__all__", []).append(_("Hội đồng nghiệm thu cần có Chủ tịch hội đồng."))
    planned = {o.pk for o in project.outputs.all()}
    given = {row["output"].pk for row in outputs}
    if given - planned:
        errors.setdefault("__all__", []).append(_("Có sản phẩm không thuộc đề án này."))
    if planned - given:
        errors.setdefault("__all__", []).append(_("Cần ghi số lượng thực hiện cho mọi sản phẩm dự kiến."))
    approved = approved_amounts(project)
    for source in STATE_SOURCES:
        used, limit = funds_used.get(source) or 0, approved.get(source)
        if limit is not None and used > limit:
            errors.setdefault(f"used_{source}", []).append(
                _("Kinh phí %(source)s đã sử dụng (%(used)s) vượt mức được duyệt (%(limit)s).")
                % {"source": FundingSource(source).label, "used": format_dong(used), "limit": format_dong(limit)}
            )
    if data.get("held_on") and data["held_on"] > timezone.localdate():
        errors.setdefault("held_on", []).append(_("Ngày nghiệm thu không được sau hôm nay."))
    if data.get("result") == AcceptanceResult.FAILED and not (data.get("fixes_required") or "").strip():
        errors.setdefault("fixes_required", []).append(_("Nghiệm thu không đạt: cần ghi nội dung phải khắc phục."))
    _check_contract_reference(project, data, errors)
    if errors:
        raise ValidationError(errors)
    return approved


def _check_contract_reference(project: Project, data: dict, errors: dict) -> None:
    """The biên bản cites the contract as issued in the register, when it was (projects.hooks)."""
    typed, day = data.get("contract_reference") or "", data.get("contract_date")
    if not (typed or day):
        return
    issued = hooks.find_issued_contract(project)
    if issued is None:
        return
    said = {"number": issued["number"], "date": issued["date"].strftime("%d/%m/%Y")}
    if typed and contract_number_key(typed) != contract_number_key(issued["number"]):
        errors.setdefault("contract_reference", []).append(
            _("Hợp đồng của đề án đã được cấp số %(number)s ngày %(date)s trong sổ văn bản đi; hãy ghi đúng số đó.")
            % said
        )
    if day and day != issued["date"]:
        errors.setdefault("contract_date", []).append(
            _("Hợp đồng số %(number)s được ký ngày %(date)s theo sổ văn bản đi; hãy ghi đúng ngày đó.") % said
        )


def _write_acceptance(
    *,
    actor: User,
    project: Project,
    data: dict,
    council: list[dict],
    outputs: list[dict],
    funds_used: dict,
    approved: dict,
) -> Acceptance:
    attempt = (project.acceptances.order_by("-attempt").values_list("attempt", flat=True).first() or 0) + 1
    acceptance = Acceptance(project=project, attempt=attempt, recorded_by=actor)
    for field in ACCEPTANCE_FIELDS:
        if field in data:
            value = data[field]
            setattr(acceptance, field, nfc(value) if isinstance(value, str) else value)
    if acceptance.result == AcceptanceResult.PASSED:
        acceptance.fixes_required = ""
    acceptance.contract_reference = acceptance.contract_reference or project.contract_number
    acceptance.contract_date = acceptance.contract_date or project.contract_date
    acceptance.full_clean()
    acceptance.save()
    for position, member in enumerate(council):
        CouncilMember(
            acceptance=acceptance,
            full_name=nfc(member["full_name"]),
            position=nfc(member.get("position") or ""),
            organisation=nfc(member["organisation"]),
            role=member["role"],
            user=member.get("user"),
            sort_order=position,
        ).save()
    planned = {o.pk: o for o in project.outputs.all()}
    for row in outputs:
        output = planned[row["output"].pk]
        item = AcceptanceOutput(
            acceptance=acceptance,
            output=output,
            description=output.description,
            unit_of_measure=output.unit_of_measure,
            planned_quantity=output.planned_quantity,
            achieved_quantity=Decimal(row["achieved_quantity"]),
            remarks=nfc(row.get("remarks") or ""),
        )
        item.full_clean()
        item.save()
    for source in FundingSource.values:
        used, limit = funds_used.get(source) or 0, approved.get(source)
        if used or limit:
            AcceptanceFunding.objects.create(
                acceptance=acceptance, source=source, approved_amount=limit, used_amount=used
            )
    return acceptance


def acceptance_schedule(*, actor: User, project: Project, data: dict[str, Any], members: list) -> AcceptanceSchedule:
    """Plans a nghiệm thu (date, place, council). Preconditions: the actor may record this đề án's acceptance now;
    the date is not in the past. Sends events.acceptance_planned, which tells the members who are users.

    The same plan sent twice (a double click, a repeated form) returns the first one: nobody is told twice."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        require(can_schedule_acceptance(actor, locked))
        planned_on = data["planned_on"]
        if planned_on < timezone.localdate():
            raise ValidationError({"planned_on": _("Ngày nghiệm thu dự kiến không được trước hôm nay.")})
        place = nfc(data["place"])
        same = (
            AcceptanceSchedule.objects.filter(project=locked, planned_on=planned_on, place=place)
            .order_by("-pk")
            .first()
        )
        if same is not None and {m.pk for m in same.members.all()} == {m.pk for m in members}:
            return same
        schedule = AcceptanceSchedule(
            project=locked,
            planned_on=planned_on,
            planned_time=data.get("planned_time"),
            place=place,
            other_members=(data.get("other_members") or "").strip(),
            scheduled_by=actor,
        )
        schedule.full_clean()
        schedule.save()
        schedule.members.set(members)
        events.acceptance_planned.send(sender=AcceptanceSchedule, schedule=schedule, actor=actor)
    return schedule


def acceptance_record(
    *,
    actor: User,
    project: Project,
    data: dict[str, Any],
    council: list[dict],
    outputs: list[dict],
    funds_used: dict[str, int],
) -> Acceptance:
    """Records a biên bản nghiệm thu. Preconditions: the đề án awaits acceptance and has no passed one; the council
    has a chair; every planned output has an achieved quantity; state money used ≤ approved (budgets).

    A passed acceptance moves the đề án to ACCEPTED through projects.services.project_transition in the same
    transaction (so either both are written or neither); a failed one must say what to fix and leaves the đề án
    awaiting a further acceptance (the next attempt number).
    """
    from projects.services import project_transition

    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        require(can_record_acceptance(actor, locked))
        approved = _check_acceptance_input(locked, data, council, outputs, funds_used)
        acceptance = _write_acceptance(
            actor=actor,
            project=locked,
            data=data,
            council=council,
            outputs=outputs,
            funds_used=funds_used,
            approved=approved,
        )
        if acceptance.passed:
            project_transition(
                actor=actor,
                project=locked,
                to=ProjectStatus.ACCEPTED,
                acceptance=acceptance,
                comment=_("Nghiệm thu đạt ngày %(date)s (lần %(n)s).")
                % {"date": acceptance.held_on.strftime("%d/%m/%Y"), "n": acceptance.attempt},
            )
        events.acceptance_scheduled.send(sender=Acceptance, acceptance=acceptance, actor=actor)
    return acceptance


def acceptance_import(
    *,
    actor: User,
    project: Project,
    data: dict[str, Any],
    council: list[dict],
    outputs: list[dict],
    funds_used: dict[str, int],
) -> Acceptance:
    """Enters the passed biên bản of a đề án that is already past acceptance (accepted before this system, or moved
    by the projects demo): same checks and record as acceptance_record, but no transition. Refused unless the
    đề án is ACCEPTED or later and has no passed acceptance yet."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        require(can_import_acceptance(actor, locked))
        if data.get("result") != AcceptanceResult.PASSED:
            raise ValidationError(_("Chỉ nhập lại biên bản nghiệm thu đạt cho đề án đã nghiệm thu."))
        approved = _check_acceptance_input(locked, data, council, outputs, funds_used)
        return _write_acceptance(
            actor=actor,
            project=locked,
            data=data,
            council=council,
            outputs=outputs,
            funds_used=funds_used,
            approved=approved,
        )
