"""Writes for đề án, decisions, adjustments and dossier files. Views, admin, imports and tasks all come here."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import events
from core.permissions import require
from core.text import fold, nfc
from projects import hooks
from projects.models import (
    APPROVAL_KINDS,
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    AppraisalResult,
    Attachment,
    Authority,
    Decision,
    DecisionItem,
    DecisionKind,
    PlannedOutput,
    Project,
    ProjectStatus,
    ProjectTransition,
)
from projects.permissions import (
    can_attach_file,
    can_choose_successor,
    can_create_project,
    can_decide_adjustment,
    can_edit_project,
    can_manage_decisions,
    can_request_adjustment,
    can_transition,
)
from projects.validators import normalise_decision_number, validate_pdf, validate_upload

S = ProjectStatus

PROJECT_FIELDS = (
    "kind",
    "code",
    "title",
    "level",
    "plan_year",
    "implementing_unit",
    "unit",
    "place_detail",
    "start_date",
    "end_date",
    "objectives",
    "expected_results",
    "expected_jobs",
    "expected_revenue",
    "legal_basis",
)
M2M_FIELDS = ("contents", "beneficiaries", "partner_units")


class StaleProject(ValidationError):
    """Someone else changed the đề án since the form was opened."""


def _refresh_search_text(project: Project) -> None:
    names = [f"{b.name} {b.tax_code} {b.registration_number}" for b in project.beneficiaries.all()]
    project.search_text = fold(
        " ".join([project.code, project.title, project.unit.name if project.unit_id else "", *names])
    )[:1200]
    Project.objects.filter(pk=project.pk).update(search_text=project.search_text)


def _clean_text(data: dict) -> dict:
    for field in ("code", "title", "place_detail"):
        if field in data:
            data[field] = nfc(data[field])
    for field in ("objectives", "expected_results"):
        if field in data:
            data[field] = (data[field] or "").strip()
    return data


def project_create(*, actor: User, data: dict[str, Any], outputs: list[dict] | None = None) -> Project:
    """Creates a đề án in DRAFT. `data` holds model fields plus the M2M lists contents, beneficiaries and
    partner_units. Writes the first timeline row (∅ → draft)."""
    data = _clean_text(dict(data))
    m2m = {name: data.pop(name, None) or [] for name in M2M_FIELDS}
    project = Project(**{k: v for k, v in data.items() if k in PROJECT_FIELDS})
    require(can_create_project(actor, project.unit if project.unit_id else None))
    project.status = S.DRAFT
    project.created_by = actor
    project.full_clean()
    with transaction.atomic():
        project.save()
        for name, values in m2m.items():
            getattr(project, name).set(values)
        _write_outputs(project, outputs or [])
        _refresh_search_text(project)
        ProjectTransition.objects.create(project=project, from_status="", to_status=S.DRAFT, actor=actor)
    return project


def project_choose_successor(*, actor: User, project: Project, successor) -> Project:
    """Records which current commune a đề án placed in a split old commune belongs to. Once chosen, reports
    count it there and an officer of that commune covers it (project_scope); the unit it was entered with stays,
    the history keeps who chose what. Refused when already chosen (a second click changes nothing)."""
    with transaction.atomic():
        locked = Project.objects.select_for_update(of=("self",)).select_related("unit__successor").get(pk=project.pk)
        require(can_choose_successor(actor, locked))
        if successor is None or not locked.unit.successor_links.filter(successor=successor).exists():
            raise ValidationError({"successor_unit": _("Hãy chọn một trong các xã, phường kế thừa xã cũ.")})
        locked.successor_unit = successor
        locked.version = F("version") + 1
        locked._change_reason = _("Chọn xã, phường mới: %(name)s") % {"name": successor.name}
        locked.save(update_fields=["successor_unit", "version", "updated_at"])
        locked.refresh_from_db()
    return locked


def _check_version(locked: Project, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        raise StaleProject(
            _(
                "Đề án vừa được người khác cập nhật (hiện ở trạng thái “%(status)s”). "
                "Hãy tải lại trang và kiểm tra trước khi thao tác tiếp."
            )
            % {"status": locked.get_status_display()},
            code="stale",
        )


def project_update(
    *,
    actor: User,
    project: Project,
    data: dict[str, Any],
    outputs: list[dict] | None = None,
    expected_version: int | None = None,
) -> Project:
    """Edits a đề án still being prepared (draft, registered, appraised). Refused if the version moved on."""
    data = _clean_text(dict(data))
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        _check_version(locked, expected_version)
        require(can_edit_project(actor, locked))
        m2m = {name: data.pop(name) for name in M2M_FIELDS if name in data}
        for field, value in data.items():
            if field in PROJECT_FIELDS:
                setattr(locked, field, value)
        if (
            locked.successor_unit_id
            and not locked.unit.successor_links.filter(successor_id=locked.successor_unit_id).exists()
        ):
            locked.successor_unit = None  # moved to another unit: the choice made for the old one no longer holds
        require(can_edit_project(actor, locked))  # an officer may not move it out of their area
        locked.full_clean()
        locked.version = F("version") + 1
        locked.save()
        locked.refresh_from_db()
        for name, values in m2m.items():
            getattr(locked, name).set(values)
        if outputs is not None:
            _write_outputs(locked, outputs)
        _refresh_search_text(locked)
    return locked


def _write_outputs(project: Project, outputs: list[dict]) -> None:
    """Replaces the planned outputs; each dict has description, unit_of_measure, planned_quantity."""
    rows = []
    for position, row in enumerate(outputs):
        output = PlannedOutput(
            project=project,
            description=nfc(row["description"]),
            unit_of_measure=nfc(row["unit_of_measure"]),
            planned_quantity=row["planned_quantity"],
            sort_order=position,
        )
        output.full_clean()
        rows.append(output)
    for old in project.outputs.all():
        old.delete()  # one by one so that history records each removal
    for output in rows:
        output.save()


def _approval_decision_error(project: Project, decision: Decision | None) -> str | None:
    if decision is None:
        return _("Cần chọn quyết định phê duyệt đề án.")
    if decision.kind not in APPROVAL_KINDS:
        return _("Quyết định %(number)s không phải quyết định phê duyệt.") % {"number": decision.number}
    if not DecisionItem.objects.filter(decision=decision, project=project).exists():
        return _("Quyết định %(number)s không có đề án này trong danh sách.") % {"number": decision.number}
    return None


def project_transition(
    *,
    actor: User,
    project: Project,
    to: str,
    comment: str = "",
    expected_version: int | None = None,
    decision: Decision | None = None,
    acceptance=None,
    appraisal_result: str = "",
    appraisal_remarks: str = "",
    appraised_on: dt.date | None = None,
    contract_number: str = "",
    contract_date: dt.date | None = None,
    contract_parties: str = "",
) -> Project:
    """Moves a đề án to `to` if TRANSITIONS allows it for `actor`, and writes a ProjectTransition row.

    Preconditions by target: APPRAISED needs an appraisal result (remarks when không đạt); APPROVED an approval
    decision listing the đề án and a passed appraisal; CONTRACTED contract number, date and parties;
    ACCEPTED an acceptance record (argument or hooks.find_acceptance); SUSPENDED, STOPPED and NOT_APPROVED a
    comment; STOPPED a stop or adjustment decision listing the đề án. Guards registered in hooks run last.

    The row is locked (SELECT … FOR UPDATE) and the state re-read under the lock, so of two people acting at
    once the second is refused with the state the first left; `expected_version` additionally refuses a form
    opened before any other change. Raises PermissionDenied (not allowed) or ValidationError (missing data).
    """
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("unit").get(pk=project.pk)
        _check_version(locked, expected_version)
        if locked.status == to:
            raise ValidationError(
                _("Đề án đã ở trạng thái “%(status)s”.") % {"status": locked.get_status_display()}, code="same_state"
            )
        require(can_transition(actor, locked, to))

        errors: dict[str, str] = {}
        resuming = locked.status == S.SUSPENDED and to != S.STOPPED  # its preconditions were met before
        if resuming:
            pass
        elif to == S.APPRAISED:
            if appraisal_result not in AppraisalResult.values:
                errors["appraisal_result"] = _("Cần ghi kết quả thẩm định: đạt hoặc không đạt.")
            elif appraisal_result == AppraisalResult.FAILED and not (appraisal_remarks or "").strip():
                errors["appraisal_remarks"] = _("Đề án không đạt: cần ghi ý kiến thẩm định.")
            locked.appraisal_result = appraisal_result
            locked.appraisal_remarks = (appraisal_remarks or "").strip()
            locked.appraised_on = appraised_on or timezone.localdate()
            if locked.appraised_on > timezone.localdate():
                errors["appraised_on"] = _("Ngày thẩm định không được sau hôm nay.")
        elif to == S.APPROVED:
            if locked.appraisal_result != AppraisalResult.PASSED:
                errors["__all__"] = _("Chỉ phê duyệt được đề án thẩm định đạt.")
            elif message := _approval_decision_error(locked, decision):
                errors["decision"] = message
        elif to == S.CONTRACTED:
            issued = hooks.find_issued_contract(locked)
            if issued is not None:
                # The contract issued in the register is the one source of its number and date.
                said = {
                    "number": issued["number"],
                    "date": issued["date"].strftime("%d/%m/%Y"),
                }
                if contract_number and contract_number_key(contract_number) != contract_number_key(issued["number"]):
                    errors["contract_number"] = (
                        _(
                            "Hợp đồng của đề án đã được cấp số %(number)s ngày %(date)s trong sổ văn bản đi; "
                            "số hợp đồng phải là %(number)s."
                        )
                        % said
                    )
                if contract_date and contract_date != issued["date"]:
                    errors["contract_date"] = (
                        _("Hợp đồng số %(number)s được ký ngày %(date)s theo sổ văn bản đi; ngày ký phải là %(date)s.")
                        % said
                    )
                contract_number, contract_date = issued["number"], issued["date"]
            locked.contract_number = nfc(contract_number) or locked.contract_number
            locked.contract_date = contract_date or locked.contract_date
            locked.contract_parties = (contract_parties or "").strip() or locked.contract_parties
            if not locked.contract_number:
                errors["contract_number"] = _("Cần số hợp đồng.")
            if not locked.contract_date:
                errors["contract_date"] = _("Cần ngày ký hợp đồng.")
            elif locked.contract_date > timezone.localdate():
                errors["contract_date"] = _("Ngày ký hợp đồng không được sau hôm nay.")
            if not locked.contract_parties:
                errors["contract_parties"] = _("Cần ghi các bên ký hợp đồng.")
        elif to == S.ACCEPTED:
            acceptance = acceptance or hooks.find_acceptance(locked)
            if not acceptance:
                errors["__all__"] = _("Cần biên bản nghiệm thu trước khi ghi nhận đã nghiệm thu.")
            elif getattr(acceptance, "project_id", locked.pk) != locked.pk:
                errors["__all__"] = _("Biên bản nghiệm thu không thuộc đề án này.")
        elif to == S.STOPPED:
            if decision is None or decision.kind not in (DecisionKind.STOP, DecisionKind.ADJUSTMENT):
                errors["decision"] = _("Dừng thực hiện cần quyết định dừng hoặc quyết định điều chỉnh.")
            elif not DecisionItem.objects.filter(decision=decision, project=locked).exists():
                errors["decision"] = _("Quyết định %(number)s không có đề án này trong danh sách.") % {
                    "number": decision.number
                }
        if to in (S.SUSPENDED, S.STOPPED, S.NOT_APPROVED) and not comment:
            errors["comment"] = _("Cần ghi lý do.")
        if not errors:
            for guard in hooks.guards_for(to):
                message = guard(locked, decision=decision, acceptance=acceptance, actor=actor)
                if message:
                    errors["__all__"] = message
                    break
        if errors:
            raise ValidationError(errors)

        from_status = locked.status
        if to == S.SUSPENDED:
            locked.status_before_suspension = from_status
        elif from_status == S.SUSPENDED:
            locked.status_before_suspension = ""
        locked.status = to
        locked.version = F("version") + 1
        locked._change_reason = comment
        locked.full_clean(exclude=["version"])
        locked.save()
        locked.refresh_from_db()
        if to == S.APPRAISED and locked.appraisal_result == AppraisalResult.FAILED and not comment:
            comment = locked.appraisal_remarks
        ProjectTransition.objects.create(
            project=locked,
            from_status=from_status,
            to_status=to,
            actor=actor,
            comment=comment,
            decision=decision if to in (S.APPROVED, S.STOPPED) else None,
        )
        if not resuming:
            _announce_transition(locked, to, actor=actor, decision=decision)
    return locked


def contract_number_key(number: str) -> str:
    """What two spellings of one contract number share: "01/HĐ-SCT", "1/hđ-sct" and "01 / HĐ-SCT" are one."""
    text = "".join(nfc(number or "").split()).upper()
    return text.lstrip("0") or text


def project_contract_from_register(*, actor: User, project: Project, number: str, date: dt.date) -> Project:
    """Writes onto the đề án the number and date the outgoing-document register gave its contract. Called by the
    contract kind while the contract is issued (inside that transaction; documents.services.document_issue has
    checked the actor may issue). The register is the one source: a number recorded before (typed at the
    CONTRACTED step) is replaced, the old one kept in the history with the reason. No change of state; the
    version moves on, so a transition form opened before asks again. The same values again change nothing."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if (locked.contract_number, locked.contract_date) == (number, date):
            return locked
        reason = _("Hợp đồng số %(number)s ngày %(date)s theo sổ văn bản đi.") % {
            "number": number,
            "date": date.strftime("%d/%m/%Y"),
        }
        if locked.contract_number and locked.contract_number != number:
            reason += " " + _("Trước đó ghi: %(old)s.") % {"old": locked.contract_number}
        locked.contract_number = number
        locked.contract_date = date
        locked.version = F("version") + 1
        locked._change_reason = reason
        locked._history_user = actor
        locked.save(update_fields=["contract_number", "contract_date", "version", "updated_at"])
        locked.refresh_from_db()
    return locked


_TRANSITION_EVENTS = {
    S.REGISTERED: events.project_registered,
    S.APPRAISED: events.project_appraised,
    S.APPROVED: events.project_approved,
}


def _announce_transition(project: Project, to: str, *, actor, decision: Decision | None) -> None:
    signal = _TRANSITION_EVENTS.get(to)
    if signal is not None:
        signal.send(sender=Project, project=project, actor=actor, decision=decision)


# --- decisions ---------------------------------------------------------------------------------------------


def decision_create(
    *, actor: User, data: dict[str, Any], projects: list[Project], approve: bool = False, pdf=None
) -> Decision:
    """Records a quyết định listing `projects` (one DecisionItem each, in the given order).

    With `approve` (approval decisions only) every listed đề án moves APPRAISED → APPROVED in the same
    transaction; if one cannot, nothing is written and the error names it.
    """
    require(can_manage_decisions(actor))
    data = dict(data)
    data["number"] = normalise_decision_number(data.get("number"))
    data["issuing_body"] = nfc(data.get("issuing_body"))
    data["signer"] = nfc(data.get("signer"))
    decision = Decision(**data, created_by=actor)
    if pdf:
        decision.pdf_sha256 = validate_pdf(pdf) or ""
        decision.pdf = pdf
    decision.full_clean()
    if decision.signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("Ngày ký quyết định không được sau hôm nay.")})
    if approve and decision.kind not in APPROVAL_KINDS:
        raise ValidationError({"approve": _("Chỉ quyết định phê duyệt mới chuyển đề án sang “Đã phê duyệt”.")})
    if decision.kind == DecisionKind.PROJECT_APPROVAL and len(projects) > 1:
        raise ValidationError({"projects": _("Quyết định phê duyệt một đề án chỉ được gắn một đề án.")})
    if decision.kind in APPROVAL_KINDS and not projects:
        raise ValidationError({"projects": _("Cần chọn ít nhất một đề án được phê duyệt.")})
    with transaction.atomic():
        decision.save()
        for position, project in enumerate(projects, start=1):
            DecisionItem.objects.create(decision=decision, project=project, position=position)
        if approve:
            for project in projects:
                try:
                    project_transition(
                        actor=actor, project=project, to=S.APPROVED, decision=decision, comment=decision.number
                    )
                except (ValidationError, PermissionDenied) as exc:
                    message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                    raise ValidationError(
                        {"projects": _("%(code)s: %(message)s") % {"code": project.code, "message": message}}
                    ) from exc
    return decision


def decision_add_projects(*, actor, decision: Decision, projects: list[Project], approve: bool = False) -> int:
    """Adds đề án to a recorded quyết định's list (after the ones it has), e.g. from a đề án's page or a batch
    chosen on the decision's page; returns how many were added.

    With `approve` (approval decisions only) every listed đề án still APPRAISED moves to APPROVED in the same
    transaction; if one cannot, nothing is written and the error names it. A đề án already listed is not
    added twice, so repeating the call changes nothing.
    """
    require(can_manage_decisions(actor))
    if not projects:
        raise ValidationError({"projects": _("Cần chọn ít nhất một đề án.")})
    if approve and decision.kind not in APPROVAL_KINDS:
        raise ValidationError({"approve": _("Chỉ quyết định phê duyệt mới chuyển đề án sang “Đã phê duyệt”.")})
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        listed = set(locked.items.values_list("project_id", flat=True))
        new = [p for p in projects if p.pk not in listed]
        if locked.kind == DecisionKind.PROJECT_APPROVAL and len(listed) + len(new) > 1:
            raise ValidationError({"projects": _("Quyết định phê duyệt một đề án chỉ được gắn một đề án.")})
        position = max(locked.items.values_list("position", flat=True), default=0)
        for offset, project in enumerate(new, start=1):
            DecisionItem.objects.create(decision=locked, project=project, position=position + offset)
        if approve:
            for project in projects:
                if Project.objects.get(pk=project.pk).status != S.APPRAISED:
                    continue  # approved already (a repeated call) or not yet appraised: listed only
                try:
                    project_transition(
                        actor=actor, project=project, to=S.APPROVED, decision=locked, comment=locked.number
                    )
                except (ValidationError, PermissionDenied) as exc:
                    message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                    raise ValidationError(
                        {"projects": _("%(code)s: %(message)s") % {"code": project.code, "message": message}}
                    ) from exc
    return len(new)


# --- adjustments -------------------------------------------------------------------------------------------

# What each kind of adjustment may change on the đề án itself (money is recorded, applied by budgets).
ADJUSTABLE_FIELDS = {
    AdjustmentKind.MORE_MONEY: (),
    AdjustmentKind.CONTENT: ("title", "objectives", "expected_results"),
    AdjustmentKind.EXTENSION: ("end_date",),
    AdjustmentKind.STOP: (),
    AdjustmentKind.PLACE_BENEFICIARY_TIMING: ("unit", "place_detail", "start_date", "end_date", "beneficiaries"),
}
AUTHORITY_BY_KIND = {
    AdjustmentKind.MORE_MONEY: Authority.APPROVING_BODY,
    AdjustmentKind.CONTENT: Authority.APPROVING_BODY,
    AdjustmentKind.EXTENSION: Authority.APPROVING_BODY,
    AdjustmentKind.STOP: Authority.APPROVING_BODY,
    AdjustmentKind.PLACE_BENEFICIARY_TIMING: Authority.DEPARTMENT,
}


def _json_value(project: Project, field: str, value=None, *, current: bool = False):
    if current:
        value = list(project.beneficiaries.values_list("pk", flat=True)) if field == "beneficiaries" else None
        if field != "beneficiaries":
            value = getattr(project, f"{field}_id" if field == "unit" else field)
    if field == "beneficiaries":
        return sorted(int(getattr(v, "pk", v)) for v in (value or []))
    if field == "unit":
        return getattr(value, "pk", value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if value is not None else ""


def adjustment_request(
    *,
    actor: User,
    project: Project,
    kind: str,
    reason: str,
    changes: dict[str, Any] | None = None,
    additional_amount: int | None = None,
) -> Adjustment:
    """Files an adjustment request. Only the fields the kind may change and that differ are kept; the current
    values are stored beside them. The authority follows the kind (domain.md §6.6)."""
    require(can_request_adjustment(actor, project))
    reason = (reason or "").strip()
    original, adjusted = {}, {}
    for field in ADJUSTABLE_FIELDS[AdjustmentKind(kind)]:
        if changes and field in changes and changes[field] not in (None, "", []):
            new = _json_value(project, field, changes[field])
            old = _json_value(project, field, current=True)
            if new != old:
                original[field], adjusted[field] = old, new
    errors = {}
    if not reason:
        errors["reason"] = _("Cần ghi lý do điều chỉnh.")
    if kind == AdjustmentKind.MORE_MONEY and not additional_amount:
        errors["additional_amount"] = _("Cần ghi số kinh phí bổ sung đề nghị.")
    if kind not in (AdjustmentKind.MORE_MONEY, AdjustmentKind.STOP) and not adjusted:
        errors["__all__"] = _("Chưa có giá trị nào thay đổi so với đề án.")
    if "end_date" in adjusted and project.start_date and adjusted["end_date"] < project.start_date.isoformat():
        errors["end_date"] = _("Ngày kết thúc mới phải sau ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)
    adjustment = Adjustment(
        project=project,
        kind=kind,
        reason=reason,
        original=original,
        adjusted=adjusted,
        additional_amount=additional_amount if kind == AdjustmentKind.MORE_MONEY else None,
        authority=AUTHORITY_BY_KIND[AdjustmentKind(kind)],
        requested_by=actor,
    )
    adjustment.full_clean()
    with transaction.atomic():
        adjustment.save()
        events.adjustment_requested.send(sender=Adjustment, adjustment=adjustment, actor=actor)
    return adjustment


def adjustment_decide(
    *, actor: User, adjustment: Adjustment, approve: bool, decision: Decision | None = None, comment: str = ""
) -> Adjustment:
    """Approves or rejects a request. Approval by the approving body needs its decision (adjustment or stop,
    listing the đề án); an approved change is written onto the đề án, and a stop moves it to STOPPED."""
    comment = (comment or "").strip()
    with transaction.atomic():
        adjustment = Adjustment.objects.select_for_update().select_related("project").get(pk=adjustment.pk)
        require(can_decide_adjustment(actor, adjustment))
        project = Project.objects.select_for_update().get(pk=adjustment.project_id)
        if approve and adjustment.authority == Authority.APPROVING_BODY:
            if decision is None or decision.kind not in (DecisionKind.ADJUSTMENT, DecisionKind.STOP):
                raise ValidationError({"decision": _("Cần quyết định điều chỉnh của cơ quan đã phê duyệt đề án.")})
            if not DecisionItem.objects.filter(decision=decision, project=project).exists():
                raise ValidationError(
                    {"decision": _("Quyết định %(number)s không có đề án này.") % {"number": decision.number}}
                )
        if not approve and not comment:
            raise ValidationError({"comment": _("Cần ghi lý do không chấp thuận.")})
        adjustment.status = AdjustmentStatus.APPROVED if approve else AdjustmentStatus.REJECTED
        adjustment.decision = decision if approve else None
        adjustment.decided_by = actor
        adjustment.decided_at = timezone.now()
        adjustment.decision_comment = comment
        adjustment.full_clean()
        adjustment.save()
        if approve:
            _apply_adjustment(actor, project, adjustment)
        events.adjustment_decided.send(sender=Adjustment, adjustment=adjustment, actor=actor)
    return adjustment


def _apply_adjustment(actor: User, project: Project, adjustment: Adjustment) -> None:
    if adjustment.kind == AdjustmentKind.STOP:
        project_transition(
            actor=actor,
            project=project,
            to=S.STOPPED,
            decision=adjustment.decision,
            comment=adjustment.reason,
        )
        return
    if not adjustment.adjusted:
        return
    for field, value in adjustment.adjusted.items():
        if field == "beneficiaries":
            project.beneficiaries.set(value)
        elif field == "unit":
            project.unit_id = value
        elif field in ("start_date", "end_date"):
            setattr(project, field, dt.date.fromisoformat(value) if value else None)
        else:
            setattr(project, field, value)
    project.version = F("version") + 1
    project._change_reason = _("Điều chỉnh: %(kind)s") % {"kind": adjustment.get_kind_display()}
    project.full_clean(exclude=["version"])
    project.save()
    project.refresh_from_db()
    _refresh_search_text(project)


# --- dossier files -----------------------------------------------------------------------------------------


def attachment_add(*, actor: User, project: Project, kind: str, title: str, file) -> Attachment:
    """Adds a dossier file after checking its type, size and first bytes; the same file twice is refused."""
    require(can_attach_file(actor, project))
    try:
        digest = validate_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages})
    if Attachment.objects.filter(project=project, sha256=digest).exists():
        raise ValidationError({"file": _("Tệp này đã có trong hồ sơ đề án.")})
    attachment = Attachment(
        project=project,
        kind=kind,
        title=nfc(title) or file.name,
        file=file,
        size=file.size,
        sha256=digest,
        uploaded_by=actor,
    )
    attachment.full_clean()
    with transaction.atomic():
        attachment.save()
    return attachment
