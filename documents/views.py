from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import audit
from accounts.models import AccessAction
from core.files import file_response
from core.permissions import require
from documents import permissions, selectors, services
from documents.forms import BeneficiaryListRequestForm
from documents.kinds import get_kind
from documents.models import JobStatus

PAGE_SIZE = 25


def _list_page(request, *, form=None, error="", status=200):
    list_kind = get_kind("beneficiary_list")
    jobs = selectors.my_document_jobs(user=request.user)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_list = permissions.can_request_document(request.user, list_kind)[0]
    can_annual = permissions.may_request(request.user, "annual_report")
    if can_annual:
        from projects.selectors import plan_years

        annual_years = plan_years(user=request.user)
    else:
        annual_years = []
    return render(
        request,
        "documents/list.html",
        {
            "page": page,
            "can_request_list": can_list,
            "list_form": form or (BeneficiaryListRequestForm(user=request.user) if can_list else None),
            "request_error": error,
            "can_request_annual": can_annual,
            "annual_years": annual_years,
        },
        status=status,
    )


@require_GET
def document_list(request):
    """ "Văn bản của tôi": what the user asked for, newest first, and the request form for a list."""
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
        form = BeneficiaryListRequestForm(request.POST, user=request.user) if kind.code == "beneficiary_list" else None
        return _list_page(request, form=form, error=" ".join(exc.messages), status=400)
    if job.status == JobStatus.DONE:
        messages.info(request, _("Văn bản với dữ liệu này đã có sẵn, không cần tạo lại."))
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
    display = f"{job.title} (v{job.version}).pdf".replace("/", "-").replace("\\", "-").replace('"', "")
    audit.record(request, AccessAction.DOWNLOAD, display)
    return file_response(job.file, filename=display, content_type="application/pdf")
