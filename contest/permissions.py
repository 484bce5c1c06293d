"""can_<action>(user, obj) -> (allowed, reason): workflow state first, then role, then assignment.

Contests are not area-scoped: the department runs them city-wide. Jurors see only the contests they sit on
(others are a 404 through the selectors); secretaries are the staff members named on the contest.
"""

from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from contest.models import Contest, ContestState, Entry, ScoreSheet, SheetState
from core.permissions import Decision

# The only moves a contest can make, in order.
TRANSITIONS = {
    ContestState.OPEN: ContestState.SCORING,
    ContestState.SCORING: ContestState.CLOSED,
    ContestState.CLOSED: ContestState.PUBLISHED,
}

_OFFICE = (Role.ADMIN, Role.STAFF, Role.LEADER)


def is_secretary(user, contest: Contest) -> bool:
    if has_role(user, Role.ADMIN):
        return True
    if not has_role(user, Role.STAFF):
        return False
    cache = getattr(contest, "_secretary_ids", None)
    if cache is None:
        cache = set(contest.secretaries.values_list("pk", flat=True))
        contest._secretary_ids = cache
    return user.pk in cache


def is_contest_juror(user, contest: Contest) -> bool:
    if not has_role(user, Role.JUROR):
        return False
    cache = getattr(contest, "_juror_ids", None)
    if cache is None:
        cache = set(contest.jurors.values_list("pk", flat=True))
        contest._juror_ids = cache
    return user.pk in cache


def can_view_contests(user) -> Decision:
    if has_role(user, *_OFFICE, Role.JUROR):
        return True, ""
    return False, _("Vai trò của bạn không xem được các cuộc bình chọn.")


def can_create_contest(user) -> Decision:
    if has_role(user, Role.ADMIN, Role.STAFF):
        return True, ""
    return False, _("Chỉ chuyên viên Sở hoặc quản trị tạo được cuộc bình chọn.")


def can_edit_contest(user, contest: Contest) -> Decision:
    if contest.state == ContestState.PUBLISHED:
        return False, _("Kết quả đã công bố, không sửa được thông tin cuộc bình chọn.")
    if is_secretary(user, contest):
        return True, ""
    return False, _("Chỉ thư ký hội đồng sửa được cuộc bình chọn này.")


def can_transition(user, contest: Contest, to_state: str) -> Decision:
    if TRANSITIONS.get(contest.state) != to_state:
        return False, _("Không chuyển được từ “%(a)s” sang “%(b)s”.") % {
            "a": contest.get_state_display(),
            "b": ContestState(to_state).label if to_state in ContestState.values else to_state,
        }
    if is_secretary(user, contest):
        return True, ""
    return False, _("Chỉ thư ký hội đồng chuyển được trạng thái cuộc bình chọn.")


def can_edit_entries(user, contest: Contest) -> Decision:
    if contest.state != ContestState.OPEN:
        return False, _("Cuộc bình chọn đã hết hạn nhận hồ sơ.")
    if is_secretary(user, contest):
        return True, ""
    return False, _("Chỉ thư ký hội đồng nhận được hồ sơ dự thi.")


def can_view_entry_details(user, contest: Contest) -> Decision:
    """Dossiers (documents) are for the office and the contest's jurors."""
    if has_role(user, *_OFFICE) or is_contest_juror(user, contest):
        return True, ""
    return False, _("Bạn không tham gia cuộc bình chọn này.")


def can_open_juror_pages(user, contest: Contest) -> Decision:
    """The juror's list of entries and the scoring page: for the contest's jurors only."""
    if is_contest_juror(user, contest):
        return True, ""
    return False, _("Bạn không phải giám khảo của cuộc bình chọn này.")


def can_score(user, entry: Entry, sheet: ScoreSheet | None = None) -> Decision:
    contest = entry.contest
    if contest.state != ContestState.SCORING:
        return False, _("Cuộc bình chọn không ở giai đoạn chấm điểm.")
    if not is_contest_juror(user, contest):
        return False, _("Bạn không phải giám khảo của cuộc bình chọn này.")
    if any(c.juror_id == user.pk for c in entry.conflicts.all()):
        return False, _("Bạn đã khai báo xung đột lợi ích với hồ sơ này nên không chấm.")
    if sheet is not None and sheet.state == SheetState.SUBMITTED:
        return False, _("Phiếu đã nộp; chỉ thư ký hội đồng sửa được, kèm lý do.")
    return True, ""


def can_declare_conflict(user, entry: Entry) -> Decision:
    if entry.contest.state not in (ContestState.OPEN, ContestState.SCORING):
        return False, _("Cuộc bình chọn đã kết thúc chấm.")
    if not is_contest_juror(user, entry.contest):
        return False, _("Bạn không phải giám khảo của cuộc bình chọn này.")
    if any(c.juror_id == user.pk for c in entry.conflicts.all()):
        return False, _("Bạn đã khai báo xung đột lợi ích với hồ sơ này.")
    return True, ""


def can_view_sheet(user, sheet: ScoreSheet) -> Decision:
    """A juror sees their own sheets; the others' only once scoring is closed. The office sees all."""
    if sheet.juror_id == user.pk:
        return True, ""
    contest = sheet.entry.contest
    if has_role(user, *_OFFICE):
        return True, ""
    if is_contest_juror(user, contest) and contest.is_results_visible_to_all_jurors:
        return True, ""
    return False, _("Chỉ xem được phiếu của giám khảo khác sau khi kết thúc chấm.")


def can_correct_sheet(user, sheet: ScoreSheet) -> Decision:
    contest = sheet.entry.contest
    if contest.state not in (ContestState.SCORING, ContestState.CLOSED):
        return False, _("Chỉ điều chỉnh phiếu trước khi công bố kết quả.")
    if sheet.state != SheetState.SUBMITTED:
        return False, _("Phiếu chưa nộp: giám khảo tự sửa.")
    if is_secretary(user, contest):
        return True, ""
    return False, _("Chỉ thư ký hội đồng điều chỉnh được phiếu đã nộp.")


def can_view_results(user, contest: Contest) -> Decision:
    if contest.state == ContestState.OPEN:
        return False, _("Chưa bắt đầu chấm điểm.")
    if has_role(user, *_OFFICE):
        return True, ""
    if is_contest_juror(user, contest) and contest.is_results_visible_to_all_jurors:
        return True, ""
    return False, _("Giám khảo xem kết quả sau khi kết thúc chấm.")


def can_propose(user, contest: Contest) -> Decision:
    if contest.state != ContestState.CLOSED:
        return False, _("Chỉ chọn sản phẩm đề xuất sau khi kết thúc chấm và trước khi công bố.")
    if is_secretary(user, contest):
        return True, ""
    return False, _("Chỉ thư ký hội đồng chọn được sản phẩm đề xuất.")


def can_issue_certificates(user, contest: Contest) -> Decision:
    if contest.state != ContestState.PUBLISHED:
        return False, _("Chỉ cấp giấy chứng nhận sau khi công bố kết quả.")
    if is_secretary(user, contest):
        return True, ""
    return False, _("Chỉ thư ký hội đồng cấp được giấy chứng nhận.")


def can_download_certificates(user, contest: Contest) -> Decision:
    """The contest's certificate list (and its PDFs) is for the office; area officers get a certificate's PDF from
    the establishment's page, for establishments in their areas only (contest.document_kinds)."""
    if has_role(user, *_OFFICE):
        return True, ""
    return False, _("Vai trò của bạn không tải được giấy chứng nhận.")


def can_request_certificate_pdfs(user, contest: Contest) -> Decision:
    """ "Tạo tất cả giấy chứng nhận": one document job per certificate, for the council's secretaries."""
    if not contest.certificates.exists():
        return False, _("Chưa cấp giấy chứng nhận nào.")
    if is_secretary(user, contest):
        return True, ""
    return False, _("Chỉ thư ký hội đồng tạo được bản PDF của mọi giấy chứng nhận cùng lúc.")


def can_request_summary(user, contest: Contest) -> Decision:
    """The scoring summary PDF (for the council's minutes): once scoring has started, by its secretaries."""
    if contest.state == ContestState.OPEN:
        return False, _("Chưa bắt đầu chấm điểm.")
    if is_secretary(user, contest):
        return True, ""
    return False, _("Chỉ thư ký hội đồng lập được bảng tổng hợp kết quả chấm điểm.")
