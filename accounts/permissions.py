from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from core.permissions import Decision


def can_view_access_log(user) -> Decision:
    if not has_role(user, Role.ADMIN):
        return False, _("Chỉ quản trị hệ thống xem được nhật ký truy cập.")
    return True, ""
