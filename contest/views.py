from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import audit
from accounts.models import AccessAction
from beneficiaries.eligibility import compute_eligibility
from beneficiaries.selectors import beneficiary_list
from contest import documents, permissions, selectors, services
from contest.forms import (
    CertificateIssueForm,
    ConflictForm,
    ContestForm,
    EntryFilesForm,
    EntryForm,
    ImportForm,
    ProposalsForm,
    PublishForm,
    ScoreForm,
    TransitionForm,
)
from contest.models import ContestState, ProductGroup
from contest.resources import read_entries, template_workbook
from contest.services import ImportRow
from core.files import file_response
from core.forms import add_service_errors
from core.history import history_entries
from core.permissions import require
from documents import selectors as document_selectors
from documents import services as document_services
from documents.models import JobStatus


def _contest(request, pk: int):
    require(permissions.can_view_contests(request.user))
    return selectors.contest_get(user=request.user, pk=pk)


def _errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# Contests -----------------------------------------------------------------------------------------------------


def contest_list(request):
    require(permissions.can_view_contests(request.user))
    return render(
        request,
        "contest/list.html",
        {
            "contests": selectors.contest_list(user=request.user),
            "can_create": permissions.can_create_contest(request.user)[0],
        },
    )


def contest_create(request):
    require(permissions.can_create_contest(request.user))
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contest = services.contest_create(
                actor=request.user,
                data=form.model_data,
                secretaries=form.cleaned_data["secretaries"],
                jurors=form.cleaned_data["jurors"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo cuộc bình chọn."))
            return redirect("contest:detail", pk=contest.pk)
    return render(request, "contest/form.html", {"form": form, "title": _("Tạo cuộc bình chọn")})


def contest_edit(request, pk: int):
    contest = _contest(request, pk)
    require(permissions.can_edit_contest(request.user, contest))
    form = ContestForm(request.POST or None, instance=contest)
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_update(
                actor=request.user,
                contest=selectors.contest_get(user=request.user, pk=pk),
                data=form.model_data,
                secretaries=form.cleaned_data["secretaries"],
                jurors=form.cleaned_data["jurors"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("contest:detail", pk=pk)
    return render(request, "contest/form.html", {"form": form, "title": _("Sửa cuộc bình chọn"), "contest": contest})


def contest_detail(request, pk: int):
    contest = _contest(request, pk)
    user = request.user
    next_state = permissions.TRANSITIONS.get(contest.state)
    can_move = next_state is not None and permissions.can_transition(user, contest, next_state)[0]
    entries = list(selectors.entry_list(contest=contest))
    return render(
        request,
        "contest/detail.html",
        {
            "contest": contest,
            "entries": entries,
            "criteria": selectors.criteria_tree(contest.criteria_set),
            "transitions": selectors.contest_transitions(contest),
            "next_state": next_state,
            "next_state_label": ContestState(next_state).label if next_state else "",
            "can_move": can_move,
            "transition_form": PublishForm() if next_state == ContestState.PUBLISHED else TransitionForm(),
            "can_edit": permissions.can_edit_contest(user, contest)[0],
            "can_edit_entries": permissions.can_edit_entries(user, contest)[0],
            "can_view_results": permissions.can_view_results(user, contest)[0],
            "is_juror": permissions.is_contest_juror(user, contest),
            "is_secretary": permissions.is_secretary(user, contest),
            "secretaries": contest.secretaries.all(),
            "jurors": contest.jurors.all(),
            "history": history_entries(contest),
        },
    )


@require_POST
def contest_transition(request, pk: int, to_state: str):
    contest = _contest(request, pk)
    if to_state not in ContestState.values:
        raise Http404
    require(permissions.can_transition(request.user, contest, to_state))
    form = (PublishForm if to_state == ContestState.PUBLISHED else TransitionForm)(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("contest:detail", pk=pk)
    try:
        services.contest_transition(
            actor=request.user,
            contest=contest,
            to_state=to_state,
            note=form.cleaned_data.get("note", ""),
            result_decision_number=form.cleaned_data.get("result_decision_number", ""),
            result_decision_date=form.cleaned_data.get("result_decision_date"),
        )
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("Cuộc bình chọn chuyển sang: %(s)s.") % {"s": ContestState(to_state).label})
    return redirect("contest:detail", pk=pk)


# Entries ------------------------------------------------------------------------------------------------------


def _eligible_beneficiaries(user):
    return beneficiary_list(user=user)


def entry_create(request, pk: int):
    contest = _contest(request, pk)
    require(permissions.can_edit_entries(request.user, contest))
    beneficiaries = _eligible_beneficiaries(request.user)
    form = EntryForm(request.POST or None, beneficiaries=beneficiaries)
    files = EntryFilesForm(request.POST or None, request.FILES or None, require_photos=True)
    if request.method == "POST" and form.is_valid() and files.is_valid():
        try:
            entry = services.entry_create(
                actor=request.user,
                contest=contest,
                data=form.cleaned_data,
                photos=files.cleaned_data["photos"],
                documents=files.documents,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã nhận hồ sơ số %(n)03d.") % {"n": entry.number})
            return redirect("contest:entry", pk=pk, entry_pk=entry.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "contest/entry_form.html",
        {"form": form, "files": files, "contest": contest, "title": _("Nhận hồ sơ dự thi")},
        status=status,
    )


def entry_detail(request, pk: int, entry_pk: int):
    contest = _contest(request, pk)
    require(permissions.can_view_entry_details(request.user, contest))
    entry = selectors.entry_get(contest=contest, pk=entry_pk)
    sheets = list(selectors.visible_sheets(user=request.user, entry=entry))
    return render(
        request,
        "contest/entry_detail.html",
        {
            "contest": contest,
            "entry": entry,
            "eligibility": compute_eligibility(entry.beneficiary),
            "problems": services.dossier_problems(entry),
            "sheets": [(s, permissions.can_correct_sheet(request.user, s)[0]) for s in sheets],
            "can_edit_entries": permissions.can_edit_entries(request.user, contest)[0],
            "files_form": EntryFilesForm(),
            "history": history_entries(entry),
        },
    )


@require_POST
def entry_files(request, pk: int, entry_pk: int):
    contest = _contest(request, pk)
    entry = selectors.entry_get(contest=contest, pk=entry_pk)
    require(permissions.can_edit_entries(request.user, contest))
    files = EntryFilesForm(request.POST, request.FILES)
    if files.is_valid():
        services.entry_add_files(
            actor=request.user, entry=entry, photos=files.cleaned_data["photos"], documents=files.documents
        )
        messages.success(request, _("Đã thêm tệp vào hồ sơ."))
    else:
        for field_errors in files.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect("contest:entry", pk=pk, entry_pk=entry_pk)


# Excel import -------------------------------------------------------------------------------------------------

_IMPORT_KEY = "contest_import_%d"


def entry_import(request, pk: int):
    """Upload → preview with each row's problems; the checked rows wait in the session until confirmed."""
    contest = _contest(request, pk)
    require(permissions.can_edit_entries(request.user, contest))
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = read_entries(form.cleaned_data["file"], contest=contest)
        if preview.ok:
            request.session[_IMPORT_KEY % contest.pk] = [vars(r.row) for r in preview.rows]
        else:
            request.session.pop(_IMPORT_KEY % contest.pk, None)
    return render(
        request,
        "contest/import.html",
        {"contest": contest, "form": form, "preview": preview, "groups": dict(ProductGroup.choices)},
        status=400 if preview is not None and not preview.ok else 200,
    )


@require_POST
def entry_import_confirm(request, pk: int):
    contest = _contest(request, pk)
    require(permissions.can_edit_entries(request.user, contest))
    stored = request.session.get(_IMPORT_KEY % contest.pk)
    if not stored:
        messages.error(request, _("Không có dữ liệu chờ nhập: hãy tải tệp lên và xem trước."))
        return redirect("contest:import", pk=pk)
    try:
        created = services.entries_import(
            actor=request.user, contest=contest, rows=[ImportRow(**row) for row in stored]
        )
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return redirect("contest:import", pk=pk)
    request.session.pop(_IMPORT_KEY % contest.pk, None)
    messages.success(
        request, _("Đã nhập %(n)d hồ sơ. Bổ sung ảnh và phiếu đăng ký cho từng hồ sơ.") % {"n": len(created)}
    )
    return redirect("contest:detail", pk=pk)


def entry_import_template(request, pk: int):
    contest = _contest(request, pk)
    require(permissions.can_edit_entries(request.user, contest))
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mau-ho-so-binh-chon.xlsx"'
    return response


# Scoring ------------------------------------------------------------------------------------------------------


def juror_entries(request, pk: int):
    contest = _contest(request, pk)
    require(permissions.can_open_juror_pages(request.user, contest))
    rows = selectors.juror_entries(user=request.user, contest=contest)
    return render(request, "contest/juror_entries.html", {"contest": contest, "rows": rows})


def _score_context(request, contest, entry, *, values=None, errors=None, sheet=None):
    criteria = selectors.scoring_criteria(contest.criteria_set)
    sheet = sheet if sheet is not None else selectors.juror_sheet(user=request.user, entry=entry)
    saved = {s.criterion_id: s for s in sheet.scores.all()} if sheet else {}
    values = values or {}
    errors = errors or {}
    rows = []
    for c in criteria:
        key = f"c{c.pk}"
        if key in values:
            value, note = values[key], values.get(f"n{c.pk}", "")
        elif c.pk in saved:
            value = services.format_points(saved[c.pk].points)
            note = saved[c.pk].comment
        else:
            value, note = "", ""
        rows.append({"criterion": c, "value": value, "note": note, "error": errors.get(key, "")})
    order = selectors.entry_order(contest)
    index = order.index(entry.pk)
    return {
        "contest": contest,
        "entry": entry,
        "sheet": sheet,
        "rows": rows,
        "comment": values.get("comment", sheet.comment if sheet else ""),
        "max_total": selectors.max_total(contest.criteria_set),
        "position": index + 1,
        "count": len(order),
        "previous_pk": order[index - 1] if index > 0 else None,
        "next_pk": order[index + 1] if index + 1 < len(order) else None,
        "can_score": permissions.can_score(request.user, entry, sheet),
        "can_conflict": permissions.can_declare_conflict(request.user, entry)[0],
        "conflict_form": ConflictForm(),
        "general_error": errors.get("__all__", ""),
    }


def score_entry(request, pk: int, entry_pk: int):
    """One entry at a time, built for a phone: big inputs, a running total, previous and next."""
    contest = _contest(request, pk)
    require(permissions.can_open_juror_pages(request.user, contest))
    entry = selectors.entry_get(contest=contest, pk=entry_pk)
    if request.method != "POST":
        return render(request, "contest/score.html", _score_context(request, contest, entry))
    form = ScoreForm(request.POST, criteria=selectors.scoring_criteria(contest.criteria_set))
    form.is_valid()  # every box is optional text: the service checks the points
    submit = form.submitted
    try:
        services.sheet_save(
            actor=request.user,
            entry=entry,
            points=form.points(),
            notes=form.notes(),
            comment=form.cleaned_data["comment"],
            submit=submit,
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": " ".join(exc.messages)}
        errors = {k: " ".join(v) if isinstance(v, list) else v for k, v in errors.items()}
        context = _score_context(request, contest, entry, values=request.POST, errors=errors)
        return render(request, "contest/score.html", context, status=400)
    if submit:
        messages.success(request, _("Đã nộp phiếu chấm hồ sơ %(n)03d.") % {"n": entry.number})
        following = selectors.next_entry(contest, entry)
        if following is not None:
            return redirect("contest:score", pk=pk, entry_pk=following.pk)
        return redirect("contest:juror_entries", pk=pk)
    messages.success(request, _("Đã lưu nháp."))
    return redirect("contest:score", pk=pk, entry_pk=entry.pk)


@require_POST
def conflict_declare(request, pk: int, entry_pk: int):
    contest = _contest(request, pk)
    entry = selectors.entry_get(contest=contest, pk=entry_pk)
    require(permissions.can_declare_conflict(request.user, entry))
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi rõ lý do xung đột lợi ích."))
        return redirect("contest:score", pk=pk, entry_pk=entry_pk)
    services.conflict_declare(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
    messages.success(request, _("Đã ghi nhận xung đột lợi ích: bạn không chấm hồ sơ này."))
    return redirect("contest:juror_entries", pk=pk)


def sheet_correct(request, pk: int, sheet_pk: int):
    contest = _contest(request, pk)
    sheet = selectors.sheet_get(contest=contest, pk=sheet_pk)
    require(permissions.can_correct_sheet(request.user, sheet))
    criteria = selectors.scoring_criteria(contest.criteria_set)
    saved = {s.criterion_id: s for s in sheet.scores.all()}
    errors: dict = {}
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        form = ScoreForm(request.POST, criteria=criteria)
        form.is_valid()  # every box is optional text: the service checks the points and the reason
        try:
            services.sheet_correct(
                actor=request.user,
                sheet=sheet,
                points=form.points(),
                notes=form.notes(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            messages.success(request, _("Đã điều chỉnh phiếu chấm."))
            return redirect("contest:entry", pk=pk, entry_pk=sheet.entry_id)
    rows = []
    for c in criteria:
        key = f"c{c.pk}"
        value = (
            values.get(key) if key in values else services.format_points(saved[c.pk].points) if c.pk in saved else ""
        )
        note = values.get(f"n{c.pk}") if key in values else (saved[c.pk].comment if c.pk in saved else "")
        rows.append({"criterion": c, "value": value, "note": note, "error": errors.get(key, "")})
    return render(
        request,
        "contest/sheet_correct.html",
        {
            "contest": contest,
            "sheet": sheet,
            "rows": rows,
            "reason": values.get("reason", ""),
            "reason_error": errors.get("reason", ""),
        },
        status=400 if errors else 200,
    )


# Results ------------------------------------------------------------------------------------------------------


def results(request, pk: int):
    contest = _contest(request, pk)
    require(permissions.can_view_results(request.user, contest))
    return render(
        request,
        "contest/results.html",
        {
            "contest": contest,
            "results": selectors.contest_results(contest=contest),
            "can_propose": permissions.can_propose(request.user, contest)[0],
        },
    )


@require_POST
def proposals(request, pk: int):
    contest = _contest(request, pk)
    require(permissions.can_propose(request.user, contest))
    form = ProposalsForm(request.POST)
    if not form.is_valid():
        raise Http404
    ids = form.cleaned_data["entries"]
    try:
        services.proposals_set(actor=request.user, contest=contest, entry_ids=ids)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("Đã lưu danh sách đề xuất (%(n)d sản phẩm).") % {"n": len(set(ids))})
    return redirect("contest:results", pk=pk)


def summary(request, pk: int):
    contest = _contest(request, pk)
    require(permissions.can_view_results(request.user, contest))
    (jobs,) = document_selectors.latest_jobs(
        user=request.user, kind="contest_summary", params_list=[{"contest": contest.pk}]
    )
    return render(
        request,
        "contest/summary.html",
        {
            "contest": contest,
            "s": documents.summary_data(contest),
            "can_request_pdf": permissions.can_request_summary(request.user, contest)[0],
            "jobs": jobs,
        },
    )


# Certificates -------------------------------------------------------------------------------------------------


def certificates(request, pk: int):
    contest = _contest(request, pk)
    require(permissions.can_download_certificates(request.user, contest))
    can_issue = permissions.can_issue_certificates(request.user, contest)[0]
    form = CertificateIssueForm(request.POST or None, initial={"issued_on": timezone.localdate()})
    if request.method == "POST":
        require(permissions.can_issue_certificates(request.user, contest))
        if form.is_valid():
            created = services.certificates_issue(
                actor=request.user, contest=contest, issued_on=form.cleaned_data["issued_on"]
            )
            if created:
                messages.success(request, _("Đã cấp %(n)d giấy chứng nhận.") % {"n": len(created)})
            else:
                messages.info(request, _("Không có giấy chứng nhận mới: mọi sản phẩm đạt đều đã được cấp."))
            return redirect("contest:certificates", pk=pk)
    certificates = list(selectors.certificate_list(contest=contest))
    jobs = document_selectors.latest_jobs(
        user=request.user, kind="contest_certificate", params_list=[{"certificate": c.pk} for c in certificates]
    )
    rows = list(zip(certificates, jobs, strict=True))
    context = {
        "contest": contest,
        "rows": rows,
        "pending": any(j.latest is not None and not j.latest.is_final for _c, j in rows),
        "can_issue": can_issue,
        "can_request_all": permissions.can_request_certificate_pdfs(request.user, contest)[0],
        "form": form,
    }
    if request.htmx and request.method == "GET":
        # The table polls itself while PDFs are being made.
        return render(request, "contest/partials/certificate_table.html", context)
    return render(request, "contest/certificates.html", context, status=400 if form.errors else 200)


@require_POST
def certificate_pdfs_request(request, pk: int):
    """ "Tạo tất cả giấy chứng nhận": one document job per certificate; finished, unchanged ones are reused."""
    contest = _contest(request, pk)
    require(permissions.can_request_certificate_pdfs(request.user, contest))
    statuses = [
        document_services.document_request(
            actor=request.user, kind="contest_certificate", params={"certificate": certificate.pk}
        ).status
        for certificate in selectors.certificate_list(contest=contest)
    ]
    ready = statuses.count(JobStatus.DONE)
    later = statuses.count(JobStatus.QUEUED_LATER)
    messages.success(
        request,
        _("Đã yêu cầu %(n)d bản PDF giấy chứng nhận: %(ready)d bản đã sẵn sàng, %(waiting)d bản đang tạo.")
        % {"n": len(statuses), "ready": ready, "waiting": len(statuses) - ready},
    )
    if later:
        messages.warning(
            request,
            _(
                "Hệ thống xử lý văn bản tạm thời không nhận việc: %(n)d bản đã được ghi lại và sẽ được tạo tự động "
                "khi hệ thống hoạt động trở lại."
            )
            % {"n": later},
        )
    return redirect("contest:certificates", pk=pk)


# Public -------------------------------------------------------------------------------------------------------


@login_not_required
def public_index(request):
    return render(request, "contest/public_index.html", {"contests": selectors.public_contests()})


@login_not_required
def public_contest(request, pk: int):
    """Certified products of a published contest: product, establishment name and commune only."""
    contest, certs = selectors.public_certificates(contest_pk=pk)
    return render(
        request,
        "contest/public.html",
        {"contest": contest, "certificates": certs, "index_url": reverse("contest:public_index")},
    )


# --- the dossier's files: only through these views (no /media/ route), for those who may see the entry ----------


@require_GET
def entry_photo(request, pk: int, entry_pk: int, photo_pk: int):
    contest = _contest(request, pk)
    require(permissions.can_view_entry_details(request.user, contest))
    entry = selectors.entry_get(contest=contest, pk=entry_pk)
    photo = selectors.entry_photo_get(entry=entry, pk=photo_pk)
    return file_response(photo.image, inline=True)


@require_GET
def entry_document(request, pk: int, entry_pk: int, document_pk: int):
    contest = _contest(request, pk)
    require(permissions.can_view_entry_details(request.user, contest))
    entry = selectors.entry_get(contest=contest, pk=entry_pk)
    document = selectors.entry_document_get(entry=entry, pk=document_pk)
    what = f"{entry} · {document.get_kind_display()}: {document.original_name}"
    audit.record(request, AccessAction.DOWNLOAD, what)
    return file_response(document.file, filename=document.original_name)
