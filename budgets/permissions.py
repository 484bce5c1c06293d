"""can_<action>(user, obj) -> (allowed, reason): workflow state first, then role, then area.

Area officers see the money of the đề án in their areas (the selectors give them nothing else: 404);
only the department's staff record money; leaders approve exceptions.
"""

from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from accounts.scope import unit_in_scope
from core.permissions import Decision
from projects.models import ProjectStatus

# Funding lines are planned from registration on and corrected until the đề án is closed.
LINES_CLOSED = {ProjectStatus.SETTLED, ProjectStatus.NOT_APPROVED, ProjectStatus.STOPPED}
# Money is paid only to an approved đề án that has not been settled or stopped.
PAYABLE = {
    ProjectStatus.APPROVED,
    ProjectStatus.CONTRACTED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.AWAITING_ACCEPTANCE,
    ProjectStatus.ACCEPTED,
    ProjectStatus.CONTRACT_CLOSED,
}
# Until the approval decision the lines hold what is proposed; from it on, the approved amounts are the decision's
# and change only through an adjustment (funding_line_adjust) that cites a decision.
APPROVAL_PENDING = {ProjectStatus.DRAFT, ProjectStatus.REGISTERED, ProjectStatus.APPRAISED}


def approved_amounts_locked(project) -> bool:
    return project.status not in APPROVAL_PENDING


SETTLEABLE = {ProjectStatus.ACCEPTED, ProjectStatus.CONTRACT_CLOSED, ProjectStatus.AWAITING_ACCEPTANCE}


def can_view_money(user, project=None) -> Decision:
    if has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER):
        return True, ""
    if has_role(user, Role.AREA_OFFICER):
        if project is not None and not unit_in_scope(user, project.unit, project.successor_unit):
            return False, _("Đề án nằm ngoài địa bàn bạn phụ trách.")
        return True, ""
    return False, _("Vai trò của bạn không xem được kinh phí.")


def _staff(user, what: str) -> Decision:
    if has_role(user, Role.STAFF):
        return True, ""
    return False, _("Chỉ chuyên viên Sở được %(what)s.") % {"what": what}


def can_edit_lines(user, project) -> Decision:
    if project.status in LINES_CLOSED:
        return False, _("Đề án ở trạng thái “%(s)s”, không sửa được kinh phí.") % {"s": project.get_status_display()}
    return _staff(user, _("nhập kinh phí"))


def can_disburse(user, project) -> Decision:
    if project.status not in PAYABLE:
        return False, _("Đề án ở trạng thái “%(s)s”, chưa hoặc không còn được giải ngân.") % {
            "s": project.get_status_display()
        }
    return _staff(user, _("ghi giải ngân"))


def can_settle(user, project) -> Decision:
    if project.status not in SETTLEABLE:
        return False, _("Chỉ quyết toán đề án đã nghiệm thu hoặc đã thanh lý hợp đồng (hiện: “%(s)s”).") % {
            "s": project.get_status_display()
        }
    return _staff(user, _("ghi quyết toán"))


def can_adjust(user, project) -> Decision:
    if project.status in LINES_CLOSED:
        return False, _("Đề án ở trạng thái “%(s)s”, không điều chỉnh được kinh phí.") % {
            "s": project.get_status_display()
        }
    return _staff(user, _("ghi điều chỉnh kinh phí"))


def can_request_exception(user, project) -> Decision:
    if project.status in LINES_CLOSED:
        return False, _("Đề án đã đóng.")
    return _staff(user, _("đề nghị ngoại lệ"))


def can_decide_exception(user, project=None) -> Decision:
    if has_role(user, Role.LEADER):
        return True, ""
    return False, _("Chỉ lãnh đạo được chấp thuận ngoại lệ.")


def can_manage_allocations(user) -> Decision:
    if has_role(user, Role.STAFF, Role.LEADER):
        return True, ""
    return False, _("Chỉ chuyên viên Sở hoặc lãnh đạo được nhập dự toán kinh phí năm.")


def can_view_summary(user) -> Decision:
    return can_view_money(user)
