"""can_<action>(user, obj) -> (allowed, reason): state first, then role, then area.

The area check of a document is object-level: the kind's `target` resolves the object through a scoped selector
(404 outside the user's areas), and jobs are read through `selectors.document_job_list` (scoped by the job's unit).
"""

from django.utils.translation import gettext as _

from accounts.roles import Role, user_roles
from documents.models import JobStatus

Decision = tuple[bool, str]


def can_view_document_list(user) -> Decision:
    """ "Văn bản của tôi" is for the office and area officers; no document kind is a juror's."""
    if user_roles(user) & {Role.ADMIN, Role.STAFF, Role.LEADER, Role.AREA_OFFICER}:
        return True, ""
    return False, _("Vai trò của bạn không có văn bản nào.")


def can_request_document(user, kind) -> Decision:
    if not user.is_authenticated:
        return False, _("Cần đăng nhập.")
    if user_roles(user) & set(kind.roles):
        return True, ""
    return False, _("Vai trò của bạn không lập được “%(kind)s”.") % {"kind": kind.title}


def can_download_document(user, job) -> Decision:
    if job.status != JobStatus.DONE or not job.file:
        return False, _("Văn bản chưa tạo xong.")
    return True, ""


def may_request(user, kind_code: str) -> bool:
    """For pages showing a request button: may this user's role ask for that kind at all? (The object-level check
    stays with the kind's `target` when the request is made.)"""
    from documents.kinds import get_kind

    return can_request_document(user, get_kind(kind_code))[0]
