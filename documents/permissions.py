"""can_<action>(user, obj) -> (allowed, reason): state first, then role, then area.

The area check of a document is object-level: the kind's `target` resolves the object through a scoped selector
(404 outside the user's areas), and jobs are read through `selectors.document_job_list` (scoped by the job's unit).
"""

from django.utils.translation import gettext as _

from accounts.roles import Role, user_roles
from core.permissions import Decision
from documents.models import JobStatus


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


# Who issues and who signs (docs/documents.md): the records work (văn thư: numbering, dating, keeping the file) is
# done by department staff (and admins); the leader signs. Area officers and jurors do neither.
ISSUER_ROLES = frozenset({Role.STAFF, Role.ADMIN})
SIGNER_ROLES = frozenset({Role.LEADER})
REGISTER_ROLES = frozenset({Role.ADMIN, Role.STAFF, Role.LEADER})


def can_view_register(user) -> Decision:
    if not user.is_authenticated:
        return False, _("Cần đăng nhập.")
    if user_roles(user) & REGISTER_ROLES:
        return True, ""
    return False, _("Sổ văn bản đi dành cho cán bộ cấp Sở.")


def can_issue_document(user, job) -> Decision:
    from documents.kinds import get_kind

    kind = get_kind(job.kind)
    if not kind.register_code:
        return False, _("Loại văn bản “%(kind)s” không vào sổ văn bản đi.") % {"kind": kind.title}
    if job.status != JobStatus.DONE:
        return False, _("Văn bản chưa tạo xong.")
    if not user.is_authenticated:
        return False, _("Cần đăng nhập.")
    if not user_roles(user) & ISSUER_ROLES:
        return False, _("Chỉ cán bộ văn thư của Sở (chuyên viên) cấp số, ban hành văn bản.")
    return True, ""


def can_sign_document(user, document) -> Decision:
    if document.is_replaced:
        return False, _("Văn bản đã bị thay thế, không ký được.")
    if document.signature_count:
        return False, _("Văn bản đã được ký số.")
    if not user.is_authenticated:
        return False, _("Cần đăng nhập.")
    if not user_roles(user) & SIGNER_ROLES:
        return False, _("Chỉ lãnh đạo Sở ký số văn bản.")
    if not user.signing_identities.filter(active=True, issuing_body=document.issuing_body).exists():
        return False, _("Bạn chưa được khai báo chứng thư ký số (Quản trị → Chứng thư ký số).")
    return True, ""
