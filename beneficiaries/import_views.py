"""The Excel import pages: upload → preview → confirm, and the job page the browser polls."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beneficiaries import permissions, selectors, services
from beneficiaries.exporting import XLSX_CONTENT_TYPE, import_template
from beneficiaries.forms import ImportConfirmForm, ImportUploadForm


def _require_import(user):
    allowed, reason = permissions.can_import_beneficiaries(user)
    if not allowed:
        raise PermissionDenied(reason)


def import_start(request):
    _require_import(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_batch_start(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.message_dict.get("file", exc.messages):
                form.add_error("file", message)
        else:
            return redirect("beneficiaries:import_batch", pk=batch.pk)
    batches = selectors.import_batches(user=request.user)[:20]
    return render(
        request,
        "beneficiaries/import_start.html",
        {"form": form, "batches": batches},
        status=400 if form.errors else 200,
    )


def _batch_context(request, batch):
    return {"batch": batch, "report": batch.report or {}, "confirm_form": ImportConfirmForm()}


def import_batch(request, pk: int):
    _require_import(request.user)
    batch = get_object_or_404(selectors.import_batches(user=request.user), pk=pk)
    return render(request, "beneficiaries/import_batch.html", _batch_context(request, batch))


def import_batch_status(request, pk: int):
    """The htmx poll: the status block, which stops polling once the job is no longer running."""
    _require_import(request.user)
    batch = get_object_or_404(selectors.import_batches(user=request.user), pk=pk)
    if not batch.is_running and request.htmx:
        # The preview (or the result) replaces the whole page once the worker is done.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "beneficiaries/partials/import_status.html", _batch_context(request, batch))


@require_POST
def import_confirm(request, pk: int):
    _require_import(request.user)
    batch = get_object_or_404(selectors.import_batches(user=request.user), pk=pk)
    form = ImportConfirmForm(request.POST)
    form.is_valid()
    try:
        batch = services.import_batch_confirm(
            actor=request.user, batch=batch, valid_only=form.cleaned_data.get("valid_only", False)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if batch.status == "done":
            messages.success(
                request,
                _("Đã nhập: %(created)s cơ sở mới, %(updated)s cập nhật, %(unchanged)s không đổi.")
                % {"created": batch.created_count, "updated": batch.updated_count, "unchanged": batch.unchanged_count},
            )
        elif batch.status == "failed":
            messages.error(request, batch.message)
    return redirect("beneficiaries:import_batch", pk=batch.pk)


@require_POST
def import_cancel(request, pk: int):
    _require_import(request.user)
    batch = get_object_or_404(selectors.import_batches(user=request.user), pk=pk)
    try:
        services.import_batch_cancel(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, _("Đã hủy lô nhập; không có gì được ghi."))
    return redirect("beneficiaries:import")


def import_template_download(request):
    _require_import(request.user)
    response = HttpResponse(import_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-co-so-cnnt.xlsx"'
    return response
