"""can_<action>(user, obj) -> (allowed, reason): state first, then role, then area.

The area check of a document is object-level: the kind's `target` resolves the object through a scoped selector
(404 outside the user's areas), and jobs are read through `selectors.document_job_list` (scoped by the job's unit).
"""

from django.utils.translation import gettext as _

from accounts.roles import user_roles
from core.permissions import Decision
from documents.models import JobStatus


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
