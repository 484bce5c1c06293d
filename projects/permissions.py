"""can_<action>(user, obj) -> (allowed, reason): workflow state first, then role, then area.

TRANSITIONS is the one place that says which role may move a đề án from which state to which. The service
(projects.services.project_transition) enforces it for every caller: views, admin, import, tasks.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role, has_role
from accounts.scope import unit_in_scope
from core.permissions import Decision
from projects.models import AdjustmentStatus, Authority, ProjectStatus

S = ProjectStatus

_OFFICE = frozenset({Role.ADMIN, Role.STAFF})
_OFFICE_AND_LEADER = frozenset({Role.ADMIN, Role.STAFF, Role.LEADER})
_LEADERSHIP = frozenset({Role.ADMIN, Role.LEADER})
_WITH_OFFICERS = frozenset({Role.ADMIN, Role.STAFF, Role.AREA_OFFICER})

# States in which the đề án is approved and running: they can be suspended, stopped or adjusted.
RUNNING = (S.APPROVED, S.CONTRACTED, S.IN_PROGRESS, S.AWAITING_ACCEPTANCE)

# (from, to) → roles that may fire it. Area officers act only inside their area (checked below).
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.DRAFT, S.REGISTERED): _WITH_OFFICERS,
    (S.REGISTERED, S.DRAFT): _OFFICE,  # returned to the unit to complete the dossier
    (S.REGISTERED, S.APPRAISED): _OFFICE,
    (S.REGISTERED, S.NOT_APPROVED): _OFFICE_AND_LEADER,
    (S.APPRAISED, S.APPROVED): _OFFICE,
    (S.APPRAISED, S.NOT_APPROVED): _OFFICE_AND_LEADER,
    (S.APPROVED, S.CONTRACTED): _OFFICE,
    (S.CONTRACTED, S.IN_PROGRESS): _OFFICE,
    (S.IN_PROGRESS, S.AWAITING_ACCEPTANCE): _WITH_OFFICERS,
    (S.AWAITING_ACCEPTANCE, S.IN_PROGRESS): _OFFICE,  # not ready for the council yet
    (S.AWAITING_ACCEPTANCE, S.ACCEPTED): _OFFICE,
    (S.ACCEPTED, S.CONTRACT_CLOSED): _OFFICE,
    (S.CONTRACT_CLOSED, S.SETTLED): _OFFICE,
    **{(state, S.SUSPENDED): _LEADERSHIP for state in RUNNING},
    # Resuming goes back only to the state it was suspended from (checked in can_transition).
    **{(S.SUSPENDED, state): _LEADERSHIP for state in RUNNING},
    **{(state, S.STOPPED): _LEADERSHIP for state in (*RUNNING, S.SUSPENDED)},
}

# Before approval the dossier is still being prepared and may be edited; afterwards changes are adjustments.
EDITABLE_STATES = (S.DRAFT, S.REGISTERED, S.APPRAISED)
ADJUSTABLE_STATES = (*RUNNING, S.SUSPENDED)

# Shown on the buttons; the default is "Chuyển sang <status>".
ACTION_LABELS = {
    (S.DRAFT, S.REGISTERED): gettext_lazy("Đăng ký đề án"),
    (S.REGISTERED, S.DRAFT): gettext_lazy("Trả lại để hoàn thiện"),
    (S.REGISTERED, S.APPRAISED): gettext_lazy("Ghi kết quả thẩm định"),
    (S.APPRAISED, S.APPROVED): gettext_lazy("Ghi quyết định phê duyệt"),
    (S.APPROVED, S.CONTRACTED): gettext_lazy("Ghi hợp đồng"),
    (S.CONTRACTED, S.IN_PROGRESS): gettext_lazy("Bắt đầu thực hiện"),
    (S.IN_PROGRESS, S.AWAITING_ACCEPTANCE): gettext_lazy("Đề nghị nghiệm thu"),
    (S.AWAITING_ACCEPTANCE, S.IN_PROGRESS): gettext_lazy("Trả về đang thực hiện"),
    (S.AWAITING_ACCEPTANCE, S.ACCEPTED): gettext_lazy("Ghi nghiệm thu"),
    (S.ACCEPTED, S.CONTRACT_CLOSED): gettext_lazy("Thanh lý hợp đồng"),
    (S.CONTRACT_CLOSED, S.SETTLED): gettext_lazy("Ghi quyết toán"),
}


def action_label(from_status: str, to_status: str) -> str:
    if (from_status, to_status) in ACTION_LABELS:
        return str(ACTION_LABELS[(from_status, to_status)])
    if from_status == S.SUSPENDED:
        return _("Tiếp tục thực hiện")
    if to_status == S.SUSPENDED:
        return _("Tạm dừng")
    if to_status == S.STOPPED:
        return _("Dừng thực hiện")
    if to_status == S.NOT_APPROVED:
        return _("Không phê duyệt")
    return _("Chuyển sang %(status)s") % {"status": S(to_status).label}


def _staff_side(user) -> bool:
    return has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER)


def can_view_projects(user) -> Decision:
    if has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER):
        return True, ""
    return False, _("Vai trò của bạn không xem được danh sách đề án.")


def can_transition(user, project, to_status: str) -> Decision:
    """May `user` move `project` to `to_status` now? State first, then role, then area."""
    current = project.status
    if (current, to_status) not in TRANSITIONS:
        return False, _("Không thể chuyển đề án từ trạng thái “%(from)s” sang “%(to)s”.") % {
            "from": S(current).label,
            "to": S(to_status).label if to_status in S.values else to_status,
        }
    if current == S.SUSPENDED and to_status in RUNNING and to_status != project.status_before_suspension:
        return False, _("Đề án tạm dừng khi đang ở trạng thái “%(state)s” nên chỉ tiếp tục về trạng thái đó.") % {
            "state": S(project.status_before_suspension).label if project.status_before_suspension else "—"
        }
    roles = TRANSITIONS[(current, to_status)]
    if not has_role(user, *roles):
        return False, _("Vai trò của bạn không được chuyển đề án từ “%(from)s” sang “%(to)s”.") % {
            "from": S(current).label,
            "to": S(to_status).label,
        }
    if not _staff_side(user) and not unit_in_scope(user, project.unit, project.successor_unit):
        return False, _("Đề án nằm ngoài địa bàn bạn phụ trách.")
    return True, ""


def available_transitions(user, project) -> list[str]:
    """The target states `user` may fire from the đề án's current state, in lifecycle order."""
    order = list(S.values)
    targets = [to for (frm, to) in TRANSITIONS if frm == project.status]
    return sorted((to for to in targets if can_transition(user, project, to)[0]), key=order.index)


def can_create_project(user, unit=None) -> Decision:
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    if has_role(user, Role.AREA_OFFICER):
        if unit is not None and not unit_in_scope(user, unit):
            return False, _("Địa điểm nằm ngoài địa bàn bạn phụ trách.")
        return True, ""
    return False, _("Vai trò của bạn không tạo được đề án.")


def can_edit_project(user, project) -> Decision:
    if project.status not in EDITABLE_STATES:
        return False, _("Đề án đã phê duyệt: mọi thay đổi phải qua đề nghị điều chỉnh.")
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    if has_role(user, Role.AREA_OFFICER):
        if project.status != S.DRAFT:
            return False, _("Cán bộ địa bàn chỉ sửa được đề án đang dự thảo.")
        if unit_in_scope(user, project.unit, project.successor_unit):
            return True, ""
        return False, _("Đề án nằm ngoài địa bàn bạn phụ trách.")
    return False, _("Vai trò của bạn không sửa được đề án.")


def can_choose_successor(user, project) -> Decision:
    """Office staff — or the officer whose area holds the old commune — say, once, which new commune a đề án
    belongs to when its old commune was split between several. Any state: it changes no content of the đề án,
    only where reports count it and who covers it (like beneficiaries.permissions.can_choose_successor)."""
    unit = project.unit
    if unit.is_current or unit.successor_id is not None:
        return False, _("Địa điểm của đề án không phải xã cũ bị chia.")
    if project.successor_unit_id is not None:
        return False, _("Đã chọn xã, phường mới cho đề án này.")
    if not unit.successor_links.exists():
        return False, _("Xã cũ này không có xã, phường kế thừa trong dữ liệu.")
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    if has_role(user, Role.AREA_OFFICER):
        if unit_in_scope(user, unit):
            return True, ""
        return False, _("Đề án nằm ngoài địa bàn bạn phụ trách.")
    return False, _("Vai trò của bạn không chọn được xã, phường mới cho đề án.")


def can_attach_file(user, project) -> Decision:
    if project.status in (S.SETTLED, S.NOT_APPROVED, S.STOPPED):
        return False, _("Hồ sơ của đề án đã đóng.")
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    if has_role(user, Role.AREA_OFFICER) and unit_in_scope(user, project.unit, project.successor_unit):
        return True, ""
    return False, _("Vai trò của bạn không thêm được tài liệu.")


def can_manage_decisions(user) -> Decision:
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    return False, _("Chỉ chuyên viên Sở nhập được quyết định.")


def can_view_decisions(user) -> Decision:
    if has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER):
        return True, ""
    return False, _("Vai trò của bạn không xem được danh sách quyết định.")


def can_import_plan(user) -> Decision:
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    return False, _("Chỉ chuyên viên Sở nhập được kế hoạch từ Excel.")


def can_request_adjustment(user, project) -> Decision:
    if project.status not in ADJUSTABLE_STATES:
        return False, _("Chỉ điều chỉnh được đề án đã phê duyệt và chưa nghiệm thu.")
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    if has_role(user, Role.AREA_OFFICER):
        if unit_in_scope(user, project.unit, project.successor_unit):
            return True, ""
        return False, _("Đề án nằm ngoài địa bàn bạn phụ trách.")
    return False, _("Vai trò của bạn không đề nghị điều chỉnh được.")


def can_decide_adjustment(user, adjustment) -> Decision:
    if adjustment.status != AdjustmentStatus.REQUESTED:
        return False, _("Đề nghị điều chỉnh này đã được xử lý.")
    if adjustment.project.status not in ADJUSTABLE_STATES:
        return False, _("Đề án không còn ở trạng thái điều chỉnh được.")
    if adjustment.authority == Authority.DEPARTMENT:
        # The Sở decides itself: its leadership signs.
        if has_role(user, Role.ADMIN, Role.LEADER):
            return True, ""
        return False, _("Điều chỉnh này do lãnh đạo Sở quyết định.")
    # The approving body decided: staff or leadership record its decision.
    if has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER):
        return True, ""
    return False, _("Vai trò của bạn không ghi được quyết định điều chỉnh.")


# States in which a đề án can be listed in its approval decision: registered (the plan may list it before the
# appraisal is written in) or appraised.
DECISION_STATES = (S.REGISTERED, S.APPRAISED)


def can_attach_decision(user, project) -> Decision:
    if project.status not in DECISION_STATES:
        return False, _("Chỉ gắn quyết định phê duyệt cho đề án đã đăng ký hoặc đã thẩm định.")
    return can_manage_decisions(user)


# Who acts next in each state, as the department works (docs/workflow.md). The approval decision is signed on
# paper by the approving body (UBND thành phố for KCĐP, Bộ Công Thương for KCQG); a staff member records it.
NEXT_STEP = {
    S.DRAFT: gettext_lazy("Đơn vị, cán bộ địa bàn hoặc chuyên viên Sở hoàn thiện hồ sơ rồi đăng ký đề án."),
    S.REGISTERED: gettext_lazy(
        "Chuyên viên Sở trình hội đồng thẩm định và ghi kết quả thẩm định; lãnh đạo Sở có thể không phê duyệt."
    ),
    S.APPRAISED: gettext_lazy(
        "Lãnh đạo Sở ký tờ trình; UBND thành phố (KCĐP) hoặc Bộ Công Thương (KCQG) ký quyết định phê duyệt trên "
        "giấy; chuyên viên Sở nhập quyết định vào hệ thống. Đề án không đạt: lãnh đạo Sở kết luận không phê duyệt."
    ),
    S.APPROVED: gettext_lazy("Đơn vị thực hiện ký hợp đồng với cơ sở; chuyên viên Sở ghi hợp đồng."),
    S.CONTRACTED: gettext_lazy("Chuyên viên Sở ghi ngày bắt đầu thực hiện."),
    S.IN_PROGRESS: gettext_lazy(
        "Đơn vị thực hiện triển khai; cán bộ địa bàn kiểm tra, gửi báo cáo thực địa và đề nghị nghiệm thu khi xong."
    ),
    S.AWAITING_ACCEPTANCE: gettext_lazy("Hội đồng nghiệm thu họp; chuyên viên Sở ghi biên bản nghiệm thu."),
    S.ACCEPTED: gettext_lazy("Chuyên viên Sở ghi thanh lý hợp đồng."),
    S.CONTRACT_CLOSED: gettext_lazy("Chuyên viên Sở ghi quyết toán kinh phí."),
    S.SETTLED: gettext_lazy("Đề án đã quyết toán: không còn bước nào."),
    S.NOT_APPROVED: gettext_lazy("Đề án không được phê duyệt: không còn bước nào."),
    S.SUSPENDED: gettext_lazy("Lãnh đạo Sở quyết định tiếp tục hoặc dừng thực hiện."),
    S.STOPPED: gettext_lazy("Đề án đã dừng thực hiện: không còn bước nào."),
}


def next_step(user, project) -> dict:
    """What the đề án page says about the next step: who acts, and whether it is the viewer's turn."""
    mine = available_transitions(user, project)
    forward = [to for to in mine if to not in (S.SUSPENDED, S.STOPPED, S.NOT_APPROVED)]
    if not forward and project.status in DECISION_STATES and can_attach_decision(user, project)[0]:
        forward = ["decision"]
    return {"who": str(NEXT_STEP.get(project.status, "")), "your_turn": bool(forward)}
