"""can_<action>(user, obj) -> (allowed, reason): workflow state first, then role, then area.

Who does what in the field app:
- Field reports: area officers write them on đề án and establishments of their area; staff and admins may write
  them too (a visit by the department). Leaders read. Reports are taken from the dossier stage (a survey visit)
  until acceptance. A draft is visible and editable only by its author.
- Problems flagged in reports: staff, leaders and admins acknowledge them (who/when recorded).
- Inspections and their follow-up actions: staff and admins plan and record them; leaders read; area officers read
  those of their area. An action's owner may also mark it done.
- Acceptance (nghiệm thu): staff and admins record the biên bản, only while the đề án is awaiting acceptance and has
  no passed acceptance. Leaders sign the biên bản on paper as council members but do not key it in: the đề án's
  transition to ACCEPTED is a staff action in projects.permissions.TRANSITIONS, and recording a passed acceptance
  fires it. The biên bản of a đề án accepted before this system kept it can be entered afterwards (no transition).

Reading is decided by the scoped selectors (404 outside the user's areas); these functions decide actions (403).
"""

from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from accounts.scope import unit_in_scope
from core.permissions import Decision
from field.models import AcceptanceResult, ReportStatus
from projects.models import ProjectStatus

_OFFICE = (Role.ADMIN, Role.STAFF)
_READERS = (Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER)

# Officers visit from the dossier stage (a survey before registration or appraisal) until acceptance; a closed,
# settled, refused or stopped đề án takes no more visit reports.
REPORTABLE_STATES = (
    ProjectStatus.DRAFT,
    ProjectStatus.REGISTERED,
    ProjectStatus.APPRAISED,
    ProjectStatus.APPROVED,
    ProjectStatus.CONTRACTED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.AWAITING_ACCEPTANCE,
    ProjectStatus.ACCEPTED,
    ProjectStatus.SUSPENDED,
)


def can_view_field(user) -> Decision:
    if has_role(user, *_READERS):
        return True, ""
    return False, _("Vai trò của bạn không xem được thông tin kiểm tra, nghiệm thu.")


def can_write_report(user, *, project=None, beneficiary=None) -> Decision:
    """May `user` start a report on this đề án or establishment?"""
    if project is not None and project.status not in REPORTABLE_STATES:
        return False, _("Đề án ở trạng thái “%(state)s”, chưa (hoặc không còn) ghi báo cáo thực địa.") % {
            "state": project.get_status_display()
        }
    if has_role(user, *_OFFICE):
        return True, ""
    if has_role(user, Role.AREA_OFFICER):
        subject = project or beneficiary
        if subject is not None and not unit_in_scope(user, subject.unit, subject.successor_unit):
            return False, _("Đối tượng nằm ngoài địa bàn bạn phụ trách.")
        return True, ""
    return False, _("Vai trò của bạn không ghi được báo cáo thực địa.")


def can_edit_report(user, report) -> Decision:
    if report.status != ReportStatus.DRAFT:
        return False, _("Báo cáo đã gửi, không sửa được.")
    if report.author_id != user.pk:
        return False, _("Chỉ người viết được sửa bản nháp.")
    return can_write_report(user, project=report.project, beneficiary=report.beneficiary)


def can_acknowledge_problem(user, report) -> Decision:
    if not report.has_problem or report.status != ReportStatus.SUBMITTED:
        return False, _("Báo cáo này không có vướng mắc cần tiếp nhận.")
    if report.problem_acknowledged_at is not None:
        return False, _("Vướng mắc đã được tiếp nhận.")
    if has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER):
        return True, ""
    return False, _("Chỉ chuyên viên hoặc lãnh đạo Sở tiếp nhận vướng mắc.")


def can_manage_inspections(user, project=None) -> Decision:
    if has_role(user, *_OFFICE):
        return True, ""
    return False, _("Chỉ chuyên viên Sở lập và ghi kết quả kiểm tra, giám sát.")


def can_change_action(user, inspection, action) -> Decision:
    """An inspection's form may change or remove only its own follow-up actions (`inspection` None: a new one)."""
    if action.inspection_id != getattr(inspection, "pk", None):
        return False, _("Việc không thuộc đợt kiểm tra này.")
    return True, ""


def can_complete_action(user, action) -> Decision:
    if action.done:
        return False, _("Việc này đã xong.")
    if has_role(user, *_OFFICE) or action.owner_id == user.pk:
        return True, ""
    return False, _("Chỉ người được giao hoặc chuyên viên Sở xác nhận việc đã xong.")


def can_record_acceptance(user, project) -> Decision:
    if project.status != ProjectStatus.AWAITING_ACCEPTANCE:
        return False, _("Chỉ nghiệm thu đề án đang ở trạng thái “%(state)s” (hiện tại: “%(now)s”).") % {
            "state": ProjectStatus.AWAITING_ACCEPTANCE.label,
            "now": project.get_status_display(),
        }
    if project.acceptances.filter(result=AcceptanceResult.PASSED).exists():
        return False, _("Đề án đã được nghiệm thu đạt.")
    if has_role(user, *_OFFICE):
        return True, ""
    return False, _("Chỉ chuyên viên Sở ghi biên bản nghiệm thu.")


def can_schedule_acceptance(user, project) -> Decision:
    """Setting the date, place and council of a nghiệm thu: whoever may record its biên bản, while it may be."""
    return can_record_acceptance(user, project)


ACCEPTED_OR_LATER = (ProjectStatus.ACCEPTED, ProjectStatus.CONTRACT_CLOSED, ProjectStatus.SETTLED)


def can_import_acceptance(user, project) -> Decision:
    """Entering the biên bản of a đề án accepted before it was kept here (no transition)."""
    if project.status not in ACCEPTED_OR_LATER:
        return False, _("Chỉ nhập lại biên bản cho đề án đã nghiệm thu.")
    if project.acceptances.filter(result=AcceptanceResult.PASSED).exists():
        return False, _("Đề án đã có biên bản nghiệm thu đạt.")
    if has_role(user, *_OFFICE):
        return True, ""
    return False, _("Chỉ chuyên viên Sở ghi biên bản nghiệm thu.")
