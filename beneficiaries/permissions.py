"""can_<action>(user, obj) -> (allowed, reason): workflow state first, then role, then area."""

from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from accounts.scope import unit_in_scope
from beneficiaries.models import BeneficiaryStatus
from core.permissions import Decision


def can_view_beneficiaries(user) -> Decision:
    if has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER):
        return True, ""
    return False, _("Vai trò của bạn không xem được danh sách cơ sở.")


def can_create_beneficiary(user, unit=None) -> Decision:
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    if has_role(user, Role.AREA_OFFICER):
        if unit is not None and not unit_in_scope(user, unit):
            return False, _("Địa chỉ nằm ngoài địa bàn bạn phụ trách.")
        return True, ""
    return False, _("Vai trò của bạn không thêm được cơ sở.")


def can_edit_beneficiary(user, beneficiary) -> Decision:
    if beneficiary.status == BeneficiaryStatus.ARCHIVED:
        return False, _("Cơ sở đã lưu trữ, không sửa được.")
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    if has_role(user, Role.AREA_OFFICER):
        if unit_in_scope(user, beneficiary.unit):
            return True, ""
        return False, _("Cơ sở nằm ngoài địa bàn bạn phụ trách.")
    return False, _("Vai trò của bạn không sửa được cơ sở.")


def can_override_eligibility(user, beneficiary) -> Decision:
    if has_role(user, Role.LEADER):
        return True, ""
    return False, _("Chỉ lãnh đạo được điều chỉnh kết luận đối tượng hỗ trợ.")


def can_archive_beneficiary(user, beneficiary) -> Decision:
    if beneficiary.status == BeneficiaryStatus.ARCHIVED:
        return False, _("Cơ sở đã được lưu trữ.")
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    return False, _("Chỉ chuyên viên Sở hoặc quản trị được lưu trữ cơ sở.")


def can_restore_beneficiary(user, beneficiary) -> Decision:
    if beneficiary.status != BeneficiaryStatus.ARCHIVED:
        return False, _("Cơ sở không ở trạng thái lưu trữ.")
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    return False, _("Chỉ chuyên viên Sở hoặc quản trị được khôi phục cơ sở.")


def can_import_beneficiaries(user) -> Decision:
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    return False, _("Chỉ chuyên viên Sở hoặc quản trị được nhập danh sách cơ sở từ Excel.")


def can_export_beneficiaries(user) -> Decision:
    # Export is a view of the list: whoever sees the list exports it, limited to their areas by the selector.
    return can_view_beneficiaries(user)
