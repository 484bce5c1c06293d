"""can_<action>(user) -> (allowed, reason). The monitoring pages only read: who may read them, and what they
then see, is decided by role here and by area in the scoped selectors."""

from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from core.permissions import Decision


def can_view_dashboard(user) -> Decision:
    """Department roles see the whole programme; area officers the same pages counted over their area only."""
    if has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER):
        return True, ""
    return False, _("Vai trò của bạn không xem được số liệu theo dõi chương trình.")


def can_export_report(user) -> Decision:
    """The periodic report the department sends upward; an area officer gets the same report for their area."""
    if has_role(user, Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER):
        return True, ""
    return False, _("Vai trò của bạn không xuất được báo cáo định kỳ.")
