"""Pages of the outgoing-document register (sổ văn bản đi): issuing, signing, the register, verification."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit
from accounts.models import AccessAction
from core.files import file_response
from core.permissions import require
from documents import permissions, selectors, services
from documents.models import DocumentType
from documents.register_forms import VerifyUploadForm
from documents.signing import SigningError
from documents.verification import verify_pdf, verify_stored_file

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_POST
def document_issue(request, uid):
    job = selectors.document_job_get(user=request.user, uid=uid)
    require(permissions.can_issue_document(request.user, job))
    replaces = None
    if request.POST.get("replaces"):
        replaces = selectors.issued_document_get(user=request.user, uid=request.POST["replaces"])
    try:
        document = services.document_issue(
            actor=request.user, job=job, replaces=replaces, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("documents:detail", uid=job.uid)
    messages.success(request, _("Đã cấp số %(symbol)s và ban hành văn bản.") % {"symbol": document.symbol})
    return redirect("documents:issued", uid=document.uid)


@require_GET
def issued_detail(request, uid):
    require(permissions.can_view_register(request.user))
    document = selectors.issued_document_get(user=request.user, uid=uid)
    return render(
        request,
        "documents/issued_detail.html",
        {
            "document": document,
            "type_label": _type_label(document.doc_type),
            "can_sign": permissions.can_sign_document(request.user, document)[0],
            "verification": verify_stored_file(document.signed_file) if document.signed_file else None,
        },
    )


@require_POST
def issued_sign(request, uid):
    require(permissions.can_view_register(request.user))
    document = selectors.issued_document_get(user=request.user, uid=uid)
    require(permissions.can_sign_document(request.user, document))
    try:
        services.document_sign(actor=request.user, document=document)
    except (ValidationError, SigningError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("documents:issued", uid=document.uid)
    messages.success(
        request, _("Đã ký số văn bản %(symbol)s (chữ ký lãnh đạo và của cơ quan).") % {"symbol": document.symbol}
    )
    return redirect("documents:issued", uid=document.uid)


@require_GET
def issued_download(request, uid):
    require(permissions.can_view_register(request.user))
    document = selectors.issued_document_get(user=request.user, uid=uid)
    original = request.GET.get("ban") == "goc"
    file = document.file if original or not document.signed_file else document.signed_file
    if not file:
        raise Http404(_("Không có tệp."))
    suffix = "" if file == document.file else " (đã ký số)"
    display = f"{document.symbol} {document.summary}{suffix}.pdf".replace("/", "-").replace("\\", "-").replace('"', "")
    audit.record(request, AccessAction.DOWNLOAD, display)
    return file_response(file, filename=display, content_type="application/pdf")


def _type_label(code: str) -> str:
    try:
        return str(DocumentType(code).label)
    except ValueError:
        return code


@require_GET
def register(request):
    require(permissions.can_view_register(request.user))
    year = _year(request)
    entries = list(selectors.register_entries(user=request.user, year=year))
    for entry in entries:
        entry.type_label = _type_label(entry.doc_type)
    return render(
        request,
        "documents/register.html",
        {"year": year, "years": selectors.register_years(user=request.user), "entries": entries},
    )


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text Excel would run as a formula ("=HYPERLINK(…)") is written with a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


REGISTER_COLUMNS = [
    # header, width — the usual columns of a sổ đăng ký văn bản đi (Nghị định 30/2020, Phụ lục IV)
    ("Số, ký hiệu văn bản", 16),
    ("Ngày tháng văn bản", 12),
    ("Tên loại và trích yếu nội dung văn bản", 60),
    ("Người ký", 24),
    ("Nơi nhận văn bản", 36),
    ("Đề án, cuộc bình chọn", 36),
    ("Đơn vị, người nhận bản lưu", 18),
    ("Số lượng bản", 8),
    ("Ghi chú", 30),
]


@require_GET
def register_export(request):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    require(permissions.can_view_register(request.user))
    year = _year(request)
    book = Workbook()
    sheet = book.active
    sheet.title = f"So van ban di {year}"
    sheet.append([f"SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {year}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([header for header, _width in REGISTER_COLUMNS])
    for index, (_header, width) in enumerate(REGISTER_COLUMNS, start=1):
        sheet.cell(row=2, column=index).font = Font(bold=True)
        sheet.cell(row=2, column=index).alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[chr(64 + index)].width = width
    for entry in selectors.register_entries(user=request.user, year=year):
        notes = []
        if entry.replaces_id:
            notes.append(f"Thay thế {entry.replaces.symbol}: {entry.correction_reason}")
        if entry.is_replaced:
            notes.append(f"Bị thay thế bởi {entry.replaced_by.symbol}")
        if entry.signature_count:
            notes.append("Đã ký số")
        row = [
            entry.symbol,
            entry.issued_on,
            f"{_type_label(entry.doc_type)}: {entry.summary}",
            entry.signer_name,
            entry.recipients.replace("\n", "; "),
            entry.subject,
            entry.issuing_body.archive_units,
            1,
            "; ".join(notes),
        ]
        sheet.append([neutralise(value) for value in row])
        sheet.cell(row=sheet.max_row, column=2).number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="so-van-ban-di-{year}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def verify(request):
    """Upload any PDF and see its signatures. Nothing is stored."""
    result = None
    status = 200
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            result = verify_pdf(form.cleaned_data["file"].read())
        else:
            status = 400
    return render(request, "documents/verify.html", {"form": form, "result": result}, status=status)
