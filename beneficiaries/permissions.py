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
        if unit_in_scope(user, beneficiary.unit, beneficiary.successor_unit):
            return True, ""
        return False, _("Cơ sở nằm ngoài địa bàn bạn phụ trách.")
    return False, _("Vai trò của bạn không sửa được cơ sở.")


def can_choose_successor(user, beneficiary) -> Decision:
    """Whoever may edit the establishment says, once, which new commune it belongs to when its old commune
    was split between several."""
    unit = beneficiary.unit
    if unit.is_current or unit.successor_id is not None:
        return False, _("Địa bàn của cơ sở không phải xã cũ bị chia.")
    if beneficiary.successor_unit_id is not None:
        return False, _("Đã chọn xã, phường mới cho cơ sở này.")
    if not unit.successor_links.exists():
        return False, _("Xã cũ này không có xã, phường kế thừa trong dữ liệu.")
    return can_edit_beneficiary(user, beneficiary)


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
