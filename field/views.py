from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role, has_role
from areas.labels import place_label
from core.files import file_response
from core.forms import add_service_errors
from core.history import history_entries
from core.pagination import PAGE_SIZES, paginate, querystring_without_page
from core.permissions import require
from documents.permissions import may_request
from field import permissions, selectors, services
from field.forms import (
    AcceptanceForm,
    AcceptanceScheduleForm,
    AcknowledgeForm,
    ActionFormSet,
    CouncilFormSet,
    FieldReportForm,
    InspectionForm,
    council_initial,
)
from field.funding import approved_amounts
from field.models import InspectionStatus, ReportPhoto


# --- index -------------------------------------------------------------------------------------------------------
def index(request):
    require(permissions.can_view_field(request.user))
    user = request.user
    context = {
        "projects": selectors.reportable_projects(user=user)[:50],
        # The listed đề án are reportable and in scope already: only the role decides whether the button shows.
        "can_write": permissions.can_write_report(user)[0],
        "drafts": selectors.my_drafts(user=user)[:20],
        "recent": selectors.recent_reports(user=user),
        "problems": selectors.open_problems(user=user)[:10],
        "overdue": selectors.overdue_actions(user=user)[:10],
        "awaiting": selectors.awaiting_acceptance(user=user),
        "is_officer": has_role(user, Role.AREA_OFFICER) and not has_role(user, Role.STAFF, Role.ADMIN),
    }
    return render(request, "field/index.html", context)


def project_field(request, pk: int):
    """A đề án's field page: its visit reports, inspections and acceptances."""
    require(permissions.can_view_field(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "field/project.html",
        {
            "project": project,
            "reports": selectors.reports_for_project(user=user, project=project),
            "inspections": selectors.inspections_for_project(user=user, project=project),
            "acceptances": selectors.acceptances_for_project(user=user, project=project),
            "can_write": permissions.can_write_report(user, project=project)[0],
            "can_inspect": permissions.can_manage_inspections(user, project)[0],
            "can_accept": permissions.can_record_acceptance(user, project)[0],
            "schedules": selectors.acceptance_schedules_for_project(project=project),
        },
    )


# --- field reports -----------------------------------------------------------------------------------------------
def _report_form_page(request, *, project=None, beneficiary=None, report=None):
    subject = project or beneficiary
    outputs = list(project.outputs.all()) if project is not None else []
    form = FieldReportForm(request.POST or None, request.FILES or None, instance=report, outputs=outputs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            submit = request.POST.get("intent", "submit") != "draft"
            client_id = report.client_id if report is not None else form.cleaned_data["client_id"]
            try:
                saved, changed = services.field_report_save(
                    actor=request.user,
                    client_id=client_id,
                    project=project,
                    beneficiary=beneficiary if project is None else None,
                    data=form.report_data(),
                    outputs=form.observed_outputs(),
                    photos=form.cleaned_data.get("photos") or [],
                    submit=submit,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if not changed:
                    messages.info(request, _("Báo cáo này đã được gửi trước đó; không tạo bản trùng."))
                    return redirect("field:report_detail", pk=saved.pk)
                if saved.is_draft:
                    messages.success(request, _("Đã lưu bản nháp. Có thể tiếp tục viết sau."))
                    return redirect("field:report_edit", pk=saved.pk)
                messages.success(request, _("Đã gửi báo cáo."))
                return redirect("field:report_detail", pk=saved.pk)
        status = 400
    storage_key = f"project-{project.pk}" if project is not None else f"beneficiary-{beneficiary.pk}"
    return render(
        request,
        "field/report_form.html",
        {
            "form": form,
            "subject": subject,
            "project": project,
            "beneficiary": beneficiary,
            "report": report,
            "storage_key": storage_key,
        },
        status=status,
    )


def report_create_for_project(request, pk: int):
    require(permissions.can_view_field(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    require(permissions.can_write_report(request.user, project=project))
    return _report_form_page(request, project=project)


def report_create_for_beneficiary(request, pk: int):
    require(permissions.can_view_field(request.user))
    beneficiary = selectors.beneficiary_get(user=request.user, pk=pk)
    require(permissions.can_write_report(request.user, beneficiary=beneficiary))
    return _report_form_page(request, beneficiary=beneficiary)


def report_edit(request, pk: int):
    require(permissions.can_view_field(request.user))
    report = selectors.report_get(user=request.user, pk=pk)
    if not report.is_draft:
        messages.info(request, _("Báo cáo đã gửi, không sửa được."))
        return redirect("field:report_detail", pk=pk)
    require(permissions.can_edit_report(request.user, report))
    return _report_form_page(request, project=report.project, beneficiary=report.beneficiary, report=report)


def report_detail(request, pk: int):
    require(permissions.can_view_field(request.user))
    report = selectors.report_get(user=request.user, pk=pk)
    subject_key = f"project-{report.project_id}" if report.project_id else f"beneficiary-{report.beneficiary_id}"
    return render(
        request,
        "field/report_detail.html",
        {
            "report": report,
            "subject_key": subject_key,
            "can_edit": permissions.can_edit_report(request.user, report)[0],
            "can_acknowledge": permissions.can_acknowledge_problem(request.user, report)[0],
            "can_print": not report.is_draft and may_request(request.user, "field_report"),
            "ack_form": AcknowledgeForm(),
            "history": history_entries(report),
        },
    )


@require_POST
def report_acknowledge(request, pk: int):
    require(permissions.can_view_field(request.user))
    report = selectors.report_get(user=request.user, pk=pk)
    require(permissions.can_acknowledge_problem(request.user, report))
    form = AcknowledgeForm(request.POST)
    form.is_valid()
    services.field_report_acknowledge(actor=request.user, report=report, note=form.cleaned_data.get("note", ""))
    messages.success(request, _("Đã tiếp nhận vướng mắc."))
    next_url = request.POST.get("next")
    if next_url == "problems":
        return redirect("field:problems")
    return redirect("field:report_detail", pk=pk)


def problem_list(request):
    require(permissions.can_view_field(request.user))
    qs = selectors.open_problems(user=request.user)
    page = paginate(request, qs)
    acknowledged = selectors.recently_acknowledged(user=request.user)
    can_ack = has_role(request.user, Role.ADMIN, Role.STAFF, Role.LEADER)
    return render(
        request,
        "field/problems.html",
        {
            "page": page,
            "acknowledged": acknowledged,
            "can_acknowledge": can_ack,
            "page_sizes": PAGE_SIZES,
            "querystring": querystring_without_page(request),
        },
    )


def _photo(request, pk: int) -> ReportPhoto:
    require(permissions.can_view_field(request.user))
    return selectors.photo_get(user=request.user, pk=pk)


@require_GET
def photo(request, pk: int):
    item = _photo(request, pk)
    return file_response(item.image, content_type="image/jpeg", inline=True)


@require_GET
def photo_thumbnail(request, pk: int):
    item = _photo(request, pk)
    return file_response(item.thumbnail, content_type="image/jpeg", inline=True)


@never_cache
@require_GET
@login_not_required
def service_worker(request):
    """Served from /kiem-tra/ so that its scope covers the report pages (a worker under /static/ could not)."""
    path = Path(settings.BASE_DIR) / "static" / "js" / "field-sw.js"
    if not path.exists():
        raise Http404
    response = HttpResponse(path.read_text(encoding="utf-8"), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/kiem-tra/"
    return response


# --- inspections ---------------------------------------------------------------------------------------------------
def _action_rows(formset) -> list[dict]:
    rows = []
    existing = {}
    ids = [f.cleaned_data.get("id") for f in formset.forms if f.cleaned_data.get("id")]
    if ids:
        existing = selectors.actions_by_id(ids)
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        instance = existing.get(data.get("id"))
        rows.append(
            {
                "instance": instance,
                "delete": data.get("DELETE", False),
                "description": data.get("description"),
                "owner": data.get("owner"),
                "due_date": data.get("due_date"),
            }
        )
    return rows


def _inspection_page(request, *, project, inspection=None):
    form = InspectionForm(request.POST or None, instance=inspection)
    initial = []
    if inspection is not None:
        initial = [
            {"id": a.pk, "description": a.description, "owner": a.owner_id, "due_date": a.due_date}
            for a in inspection.actions.all()
        ]
    formset = ActionFormSet(request.POST or None, initial=initial, prefix="actions")
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            actions = _action_rows(formset)
            for row in actions:
                if row["instance"] is not None:
                    require(permissions.can_change_action(request.user, inspection, row["instance"]))
            try:
                saved = services.inspection_save(
                    actor=request.user,
                    project=project,
                    inspection=inspection,
                    data=form.inspection_data(),
                    team=list(form.cleaned_data["team"]),
                    actions=actions,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu đợt kiểm tra, giám sát."))
                return redirect("field:inspection_detail", pk=saved.pk)
        status = 400
    return render(
        request,
        "field/inspection_form.html",
        {"form": form, "formset": formset, "project": project, "inspection": inspection},
        status=status,
    )


def inspection_create(request, pk: int):
    require(permissions.can_view_field(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    require(permissions.can_manage_inspections(request.user, project))
    return _inspection_page(request, project=project)


def inspection_edit(request, pk: int):
    require(permissions.can_view_field(request.user))
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    require(permissions.can_manage_inspections(request.user, inspection.project))
    return _inspection_page(request, project=inspection.project, inspection=inspection)


def inspection_detail(request, pk: int):
    require(permissions.can_view_field(request.user))
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    actions = [(a, permissions.can_complete_action(request.user, a)[0]) for a in inspection.actions.all()]
    return render(
        request,
        "field/inspection_detail.html",
        {
            "inspection": inspection,
            "actions": actions,
            "can_edit": permissions.can_manage_inspections(request.user, inspection.project)[0],
            "can_print": inspection.status == InspectionStatus.DONE and may_request(request.user, "inspection_record"),
            "history": history_entries(inspection),
        },
    )


@require_POST
def action_complete(request, pk: int):
    require(permissions.can_view_field(request.user))
    action = selectors.action_get(user=request.user, pk=pk)
    require(permissions.can_complete_action(request.user, action))
    services.action_complete(actor=request.user, action=action)
    messages.success(request, _("Đã xác nhận việc đã xong."))
    if request.POST.get("next") == "overdue":
        return redirect("field:overdue")
    return redirect("field:inspection_detail", pk=action.inspection_id)


def overdue_list(request):
    require(permissions.can_view_field(request.user))
    page = paginate(request, selectors.overdue_actions(user=request.user))
    rows = [(a, permissions.can_complete_action(request.user, a)[0]) for a in page]
    return render(
        request,
        "field/overdue.html",
        {"page": page, "rows": rows, "page_sizes": PAGE_SIZES, "querystring": querystring_without_page(request)},
    )


# --- acceptance ----------------------------------------------------------------------------------------------------
@never_cache
def acceptance_schedule(request, pk: int):
    """Staff set the date, place and council of a nghiệm thu; members with an account are told (once)."""
    require(permissions.can_view_field(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    require(permissions.can_schedule_acceptance(request.user, project))
    initial = {"place": place_label(project.place_detail, project.unit)}
    form = AcceptanceScheduleForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.acceptance_schedule(
                    actor=request.user, project=project, data=data, members=list(data["members"])
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lập lịch nghiệm thu; thành viên hội đồng có tài khoản đã được báo."))
                return redirect("field:project", pk=project.pk)
        status = 400
    return render(request, "field/acceptance_schedule.html", {"form": form, "project": project}, status=status)


def acceptance_create(request, pk: int):
    require(permissions.can_view_field(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    require(permissions.can_record_acceptance(request.user, project))
    outputs = list(project.outputs.all())
    approved = approved_amounts(project)
    initial = {
        "contract_reference": project.contract_number,
        "contract_date": project.contract_date,
        "place": place_label(project.place_detail, project.unit),
        "decision_reference": selectors.approval_decision_reference(project),
    }
    schedule = selectors.acceptance_schedule_to_hold(project=project)
    council_rows = None
    if schedule is not None:
        initial.update(held_on=schedule.planned_on, held_at_time=schedule.planned_time, place=schedule.place)
        if request.method != "POST":  # a posted formset compares with no initial: every typed row counts
            council_rows = council_initial(schedule, department_name=selectors.department_name()) or None
    form = AcceptanceForm(request.POST or None, outputs=outputs, approved=approved, initial=initial)
    council = CouncilFormSet(request.POST or None, prefix="council", initial=council_rows)
    status = 200
    if request.method == "POST":
        if form.is_valid() and council.is_valid():
            members = [f.cleaned_data for f in council.forms if f.cleaned_data]
            try:
                acceptance = services.acceptance_record(
                    actor=request.user,
                    project=project,
                    data=form.acceptance_data(),
                    council=members,
                    outputs=form.outputs_data(),
                    funds_used=form.funds_used(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if acceptance.passed:
                    messages.success(request, _("Đã ghi biên bản nghiệm thu đạt; đề án chuyển sang Đã nghiệm thu."))
                else:
                    messages.warning(request, _("Đã ghi biên bản nghiệm thu không đạt; chờ nghiệm thu lại."))
                return redirect("field:acceptance_detail", pk=acceptance.pk)
        status = 400
    return render(
        request,
        "field/acceptance_form.html",
        {"form": form, "council": council, "project": project, "schedule": schedule},
        status=status,
    )


def acceptance_detail(request, pk: int):
    require(permissions.can_view_field(request.user))
    acceptance = selectors.acceptance_get(user=request.user, pk=pk)
    funding = list(acceptance.funding.all())
    return render(
        request,
        "field/acceptance_detail.html",
        {
            "acceptance": acceptance,
            "project": acceptance.project,
            "funding": funding,
            "total_used": sum(f.used_amount for f in funding),
            "total_approved": sum(f.approved_amount or 0 for f in funding),
            "can_print": may_request(request.user, "acceptance_record"),
        },
    )
