from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import audit
from accounts.models import AccessAction
from core.files import file_response
from core.pagination import paginate
from core.permissions import require
from documents import permissions, selectors, services
from documents.kinds import get_kind, page_kinds
from documents.models import JobStatus

PAGE_SIZE = 25


def _request_cards(request, *, rejected=None, error="") -> tuple[list[dict], str]:
    """The request cards of the kinds that offer one (kind.request_template), for what this user may request, and
    the error left over when the rejected kind has no card here (it was asked for from its object's page)."""
    cards = []
    for kind in page_kinds():
        if not permissions.can_request_document(request.user, kind)[0]:
            continue
        again = kind is rejected
        card = kind.request_context(request.user, data=request.POST if again else None)
        if card is None:
            continue
        cards.append({**card, "kind": kind, "template": kind.request_template, "error": error if again else ""})
        if again:
            error = ""  # shown in the kind's own card
    return cards, error


def _list_page(request, *, rejected=None, error="", status=200):
    jobs = selectors.my_document_jobs(user=request.user)
    page = paginate(request, jobs, size=PAGE_SIZE)
    cards, request_error = _request_cards(request, rejected=rejected, error=error)
    return render(
        request,
        "documents/list.html",
        {"page": page, "request_cards": cards, "request_error": request_error},
        status=status,
    )


@require_GET
def document_list(request):
    """ "Văn bản của tôi": what the user asked for, newest first, and the request cards of the kinds that have one."""
    require(permissions.can_view_document_list(request.user))
    return _list_page(request)


@require_POST
def document_request(request):
    kind = get_kind(request.POST.get("kind", ""))
    require(permissions.can_request_document(request.user, kind))
    params = {key: value for key, value in request.POST.items() if key not in ("kind", "csrfmiddlewaretoken")}
    try:
        job = services.document_request(actor=request.user, kind=kind.code, params=params)
    except ValidationError as exc:
        return _list_page(request, rejected=kind, error=" ".join(exc.messages), status=400)
    if job.status == JobStatus.DONE and job.was_reused:
        messages.info(request, _("Văn bản với dữ liệu này đã có sẵn, không cần tạo lại."))
    elif job.status == JobStatus.DONE:
        messages.success(request, _("Đã tạo văn bản."))
    elif job.status == JobStatus.QUEUED_LATER:
        messages.warning(
            request,
            _(
                "Hệ thống xử lý văn bản tạm thời không nhận việc. Yêu cầu đã được ghi lại và sẽ được tạo tự động "
                "khi hệ thống hoạt động trở lại; bạn có thể xem lại trong “Văn bản của tôi”."
            ),
        )
    else:
        messages.success(request, _("Đã gửi yêu cầu tạo văn bản. Trang này tự cập nhật khi văn bản xong."))
    return redirect("documents:detail", uid=job.uid)


def _detail_context(request, job):
    return {
        "job": job,
        "kind": get_kind(job.kind),
        "can_download": permissions.can_download_document(request.user, job)[0],
        "versions": selectors.document_versions(user=request.user, job=job),
        "can_issue": permissions.can_issue_document(request.user, job)[0],
        "register": selectors.issued_for_job(user=request.user, job=job),
    }


@require_GET
def document_detail(request, uid):
    job = selectors.document_job_get(user=request.user, uid=uid)
    return render(request, "documents/detail.html", _detail_context(request, job))


@require_GET
def document_status(request, uid):
    """The htmx partial polled by the detail page: scoped exactly like the page itself."""
    job = selectors.document_job_get(user=request.user, uid=uid)
    return render(request, "documents/partials/status.html", _detail_context(request, job))


@require_GET
def document_download(request, uid):
    job = selectors.document_job_get(user=request.user, uid=uid)
    allowed, reason = permissions.can_download_document(request.user, job)
    if not allowed:
        raise Http404(reason)
    kind = get_kind(job.kind)
    display = f"{job.title} (v{job.version}).{kind.file_extension}"
    display = display.replace("/", "-").replace("\\", "-").replace('"', "")
    audit.record(request, AccessAction.EXPORT if kind.is_export else AccessAction.DOWNLOAD, display)
    return file_response(job.file, filename=display, content_type=kind.content_type)


@require_POST
def document_retry(request, uid):
    """The button under a failed job's error: the same job, run again."""
    job = selectors.document_job_get(user=request.user, uid=uid)
    job = services.document_retry(actor=request.user, job=job)
    if job.was_retried and job.status == JobStatus.QUEUED_LATER:
        messages.warning(
            request,
            _(
                "Hệ thống xử lý văn bản tạm thời không nhận việc. Yêu cầu đã được ghi lại và sẽ được tạo tự động "
                "khi hệ thống hoạt động trở lại; bạn có thể xem lại trong “Văn bản của tôi”."
            ),
        )
    elif job.was_retried:
        messages.success(request, _("Đã gửi lại yêu cầu. Trang này tự cập nhật khi xong."))
    return redirect("documents:detail", uid=job.uid)
