from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import audit
from accounts.models import AccessAction
from core.files import file_response
from core.forms import add_service_errors
from core.history import history_entries
from core.pagination import PAGE_SIZES, paginate, querystring_without_page
from core.permissions import require
from core.search import PAGE, query_words, results_response
from documents.permissions import may_request
from projects import hooks, permissions, resources, selectors, services
from projects.forms import (
    AdjustmentDecisionForm,
    AdjustmentForm,
    AttachmentForm,
    DecisionAddProjectsForm,
    DecisionAttachForm,
    DecisionForm,
    PlanImportForm,
    PlannedOutputFormSet,
    ProjectFilterForm,
    ProjectForm,
    TransitionForm,
    outputs_from,
)
from projects.models import DecisionKind, Level, ProjectStatus

# --- đề án -------------------------------------------------------------------------------------------------


def project_list(request):
    require(permissions.can_view_projects(request.user))
    form = ProjectFilterForm(request.GET or None, user=request.user)
    qs = selectors.project_list(user=request.user, filters=form.to_filters() if request.GET else None)
    page = paginate(request, qs)
    template = "projects/partials/table.html" if request.htmx else "projects/list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "form": form,
            "per_page": page.paginator.per_page,
            "page_sizes": PAGE_SIZES,
            "querystring": querystring_without_page(request),
            "can_create": permissions.can_create_project(request.user)[0],
            "can_import": permissions.can_import_plan(request.user)[0],
        },
    )


def _detail_context(request, project, **extra):
    user = request.user
    transitions = [
        {
            "to": to,
            "label": permissions.action_label(project.status, to),
            "danger": to in ("stopped", "suspended", "not_approved"),
        }
        for to in permissions.available_transitions(user, project)
    ]
    return {
        "p": project,
        "timeline": selectors.project_timeline(project),
        "decision_items": selectors.project_decisions(project),
        "adjustments": selectors.project_adjustments(project),
        **selectors.project_parts(project),
        "history": history_entries(project),
        "transitions": transitions,
        "can_edit": permissions.can_edit_project(user, project)[0],
        "can_attach": permissions.can_attach_file(user, project)[0],
        "can_adjust": permissions.can_request_adjustment(user, project)[0],
        "can_view_decisions": permissions.can_view_decisions(user)[0],
        "can_attach_decision": permissions.can_attach_decision(user, project)[0],
        "decision_form": extra.pop("decision_form", None) or DecisionAttachForm(),
        "next_step": permissions.next_step(user, project),
        # The contract, its closure minutes…: registered by the apps that make them (projects.hooks).
        "project_documents": hooks.project_documents(user, project),
        "attachment_form": extra.pop("attachment_form", None) or AttachmentForm(),
        "successor_choices": selectors.successor_choices(project)
        if permissions.can_choose_successor(user, project)[0]
        else [],
        **extra,
    }


def project_detail(request, pk: int):
    require(permissions.can_view_projects(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    return render(request, "projects/detail.html", _detail_context(request, project))


@require_POST
def project_choose_successor(request, pk: int):
    require(permissions.can_view_projects(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    require(permissions.can_choose_successor(request.user, project))
    raw = request.POST.get("successor", "")
    link = selectors.successor_choices(project).filter(successor_id=raw).first() if raw.isdigit() else None
    try:
        project = services.project_choose_successor(
            actor=request.user, project=project, successor=link.successor if link else None
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi nhận: đề án thuộc %(name)s.") % {"name": project.successor_unit.name})
    return redirect("projects:detail", pk=pk)


def project_create(request):
    require(permissions.can_view_projects(request.user))
    require(permissions.can_create_project(request.user))
    initial = {}
    if request.GET.get("beneficiary"):
        initial = selectors.project_initial_from_beneficiary(
            user=request.user, beneficiary_id=request.GET["beneficiary"]
        )
    form = ProjectForm(request.POST or None, user=request.user, initial=initial)
    outputs = PlannedOutputFormSet(request.POST or None, prefix="outputs")
    if request.method == "POST" and form.is_valid() and outputs.is_valid():
        try:
            project = services.project_create(
                actor=request.user, data=form.service_data(), outputs=outputs_from(outputs)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo đề án %(code)s.") % {"code": project.code})
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "outputs": outputs, "title": _("Tạo đề án")})


def project_edit(request, pk: int):
    require(permissions.can_view_projects(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    require(permissions.can_edit_project(request.user, project))
    initial_outputs = [
        {"description": o.description, "unit_of_measure": o.unit_of_measure, "planned_quantity": o.planned_quantity}
        for o in project.outputs.all()
    ]
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    outputs = PlannedOutputFormSet(request.POST or None, prefix="outputs", initial=initial_outputs)
    if request.method == "POST" and form.is_valid() and outputs.is_valid():
        try:
            services.project_update(
                actor=request.user,
                project=project,
                data=form.service_data(),
                outputs=outputs_from(outputs),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("projects:detail", pk=pk)
    return render(
        request,
        "projects/form.html",
        {"form": form, "outputs": outputs, "p": project, "title": _("Sửa đề án %(code)s") % {"code": project.code}},
    )


def project_transition(request, pk: int, to: str):
    """GET: a confirmation page with a comment box (and what the step needs); POST: fire the transition."""
    require(permissions.can_view_projects(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    if to not in ProjectStatus.values:
        raise Http404
    require(permissions.can_transition(request.user, project, to))
    form = TransitionForm(request.POST or None, project=project, to=to)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.project_transition(actor=request.user, project=project, to=to, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Đề án %(code)s: %(status)s.") % {"code": project.code, "status": ProjectStatus(to).label},
                )
                return redirect("projects:detail", pk=pk)
        status = 400
    return render(
        request,
        "projects/transition.html",
        {
            "p": project,
            "form": form,
            "to": ProjectStatus(to),
            "label": permissions.action_label(project.status, to),
        },
        status=status,
    )


@require_POST
def attachment_upload(request, pk: int):
    require(permissions.can_view_projects(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    require(permissions.can_attach_file(request.user, project))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm tài liệu vào hồ sơ."))
            return redirect("projects:detail", pk=pk)
    return render(request, "projects/detail.html", _detail_context(request, project, attachment_form=form), status=400)


def attachment_download(request, pk: int, attachment_pk: int):
    require(permissions.can_view_projects(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    attachment = selectors.attachment_get(project, attachment_pk)
    name = attachment.file.name.split("/")[-1]
    audit.record(request, AccessAction.DOWNLOAD, f"{project.code} · {name}")
    return file_response(attachment.file, filename=name)


# --- adjustments -------------------------------------------------------------------------------------------


def adjustment_create(request, pk: int):
    require(permissions.can_view_projects(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    require(permissions.can_request_adjustment(request.user, project))
    form = AdjustmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.adjustment_request(
                actor=request.user,
                project=project,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                changes=form.changes(),
                additional_amount=form.cleaned_data.get("additional_amount"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi đề nghị điều chỉnh."))
            return redirect("projects:detail", pk=pk)
    return render(request, "projects/adjustment_form.html", {"p": project, "form": form})


def adjustment_detail(request, pk: int, adjustment_pk: int):
    require(permissions.can_view_projects(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    adjustment = selectors.adjustment_get(project, adjustment_pk)
    can_decide = permissions.can_decide_adjustment(request.user, adjustment)[0]
    form = AdjustmentDecisionForm(request.POST or None, project=project)
    status = 200
    if request.method == "POST":
        require(permissions.can_decide_adjustment(request.user, adjustment))
        if form.is_valid():
            try:
                services.adjustment_decide(actor=request.user, adjustment=adjustment, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận kết quả điều chỉnh."))
                return redirect("projects:detail", pk=pk)
        status = 400
    return render(
        request,
        "projects/adjustment_detail.html",
        {
            "p": project,
            "a": adjustment,
            "rows": selectors.adjustment_rows(adjustment),
            "form": form,
            "can_decide": can_decide,
            "can_enter_decision": permissions.can_manage_decisions(request.user)[0],
            "can_view_decisions": permissions.can_view_decisions(request.user)[0],
        },
        status=status,
    )


# --- decisions ---------------------------------------------------------------------------------------------


def decision_list(request):
    require(permissions.can_view_decisions(request.user))
    page = paginate(request, selectors.decision_list(user=request.user), size=50)
    return render(
        request,
        "projects/decision_list.html",
        {"page": page, "can_create": permissions.can_manage_decisions(request.user)[0]},
    )


def decision_detail(request, pk: int):
    require(permissions.can_view_decisions(request.user))
    decision = selectors.decision_get(user=request.user, pk=pk)
    can_manage = permissions.can_manage_decisions(request.user)[0]
    form = DecisionAddProjectsForm(request.POST or None, user=request.user, decision=decision)
    status = 200
    if request.method == "POST":
        require(permissions.can_manage_decisions(request.user))
        if form.is_valid():
            try:
                added = services.decision_add_projects(
                    actor=request.user,
                    decision=decision,
                    projects=list(form.cleaned_data["projects"]),
                    approve=form.cleaned_data.get("approve", False),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã thêm %(n)s đề án vào quyết định.") % {"n": added})
                return redirect("projects:decision_detail", pk=pk)
        status = 400
    items = selectors.decision_items_visible(user=request.user, decision=decision)
    return render(
        request,
        "projects/decision_detail.html",
        {"d": decision, "items": items, "form": form if can_manage else None},
        status=status,
    )


@require_POST
def decision_attach(request, pk: int):
    """From a registered or appraised đề án's page: list it in a recorded approval decision (and approve it)."""
    require(permissions.can_view_projects(request.user))
    project = selectors.project_get(user=request.user, pk=pk)
    require(permissions.can_attach_decision(request.user, project))
    form = DecisionAttachForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            services.decision_add_projects(
                actor=request.user, decision=decision, projects=[project], approve=form.cleaned_data["approve"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã gắn đề án %(code)s vào quyết định %(number)s.")
                % {"code": project.code, "number": decision.number},
            )
            return redirect("projects:detail", pk=pk)
    return render(request, "projects/detail.html", _detail_context(request, project, decision_form=form), status=400)


@require_GET
def decision_search(request):
    """The decision picker's JSON: recorded decisions matching `q`, optionally `kind=a,b`."""
    require(permissions.can_view_decisions(request.user))
    kinds = [k for k in request.GET.get("kind", "").split(",") if k in DecisionKind.values]
    rows = selectors.decision_picker(user=request.user, words=query_words(request), kinds=kinds)
    return results_response(rows[: PAGE + 1], selectors.decision_choice_label)


def decision_pdf(request, pk: int):
    require(permissions.can_view_decisions(request.user))
    decision = selectors.decision_get(user=request.user, pk=pk)
    if not decision.pdf:
        raise Http404
    audit.record(request, AccessAction.DOWNLOAD, _("Quyết định %(decision)s (PDF)") % {"decision": decision})
    return file_response(decision.pdf, content_type="application/pdf", filename=f"QD-{decision.pk}.pdf", inline=True)


def decision_create(request):
    require(permissions.can_manage_decisions(request.user))
    initial = {}
    if request.GET.get("project"):
        initial = selectors.decision_initial_from_project(user=request.user, project_id=request.GET["project"])
    form = DecisionForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_create(
                actor=request.user,
                data=form.service_data(),
                projects=list(form.cleaned_data["projects"]),
                approve=form.cleaned_data["approve"],
                pdf=form.cleaned_data.get("pdf"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi quyết định %(number)s.") % {"number": decision.number})
            return redirect("projects:decision_detail", pk=decision.pk)
    return render(request, "projects/decision_form.html", {"form": form})


# --- annual plans and import -------------------------------------------------------------------------------


def annual_plan(request, level: str, year: int):
    require(permissions.can_view_projects(request.user))
    if level not in Level.values:
        raise Http404
    summary = selectors.annual_plan_summary(user=request.user, level=level, year=year)
    plan = selectors.annual_plan_get(level=level, year=year)
    return render(
        request,
        "projects/annual_plan.html",
        {
            "s": summary,
            "plan": plan,
            "can_print": may_request(request.user, "approval_report"),
            # The plan's documents (budgets' kinds, asked for by code): department roles, as the appendix.
            "can_print_submission": level == Level.LOCAL and may_request(request.user, "plan_submission"),
            "can_print_decision": bool(
                level == Level.LOCAL and plan and plan.decision_id and may_request(request.user, "approval_decision")
            ),
            "can_print_registration": level == Level.NATIONAL
            and may_request(request.user, "national_plan_registration"),
            "registration_deadline": selectors.national_registration_deadline(year)
            if level == Level.NATIONAL
            else None,
            "can_view_decisions": permissions.can_view_decisions(request.user)[0],
        },
    )


IMPORT_SESSION_KEY = "projects_plan_import"


def plan_import(request):
    """Upload → preview (nothing written) → confirm (one transaction). The rows wait in the session."""
    require(permissions.can_import_plan(request.user))
    form = PlanImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            raw_rows = resources.read_plan_file(form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            preview = resources.validate_plan_rows(raw_rows, user=request.user)
            request.session[IMPORT_SESSION_KEY] = raw_rows
    return render(request, "projects/import.html", {"form": form, "preview": preview})


@require_POST
def plan_import_confirm(request):
    require(permissions.can_import_plan(request.user))
    raw_rows = request.session.get(IMPORT_SESSION_KEY)
    if not raw_rows:
        messages.error(request, _("Phiên nhập đã hết hạn: hãy tải tệp lên lại."))
        return redirect("projects:import")
    try:
        created = resources.import_plan_rows(raw_rows, actor=request.user)
    except resources.ImportRefused as exc:
        return render(request, "projects/import.html", {"form": PlanImportForm(), "preview": exc.preview}, status=400)
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(request, _("Đã nhập %(n)s đề án.") % {"n": len(created)})
    return redirect("projects:list")


# --- pickers ------------------------------------------------------------------------------------------------


@require_GET
def project_search(request):
    """The đề án picker's JSON: the user's đề án matching `q`, optionally `status=a,b`."""
    require(permissions.can_view_projects(request.user))
    statuses = [s for s in request.GET.get("status", "").split(",") if s in ProjectStatus.values]
    outside = request.GET.get("not_in_decision", "")
    rows = selectors.project_picker(
        user=request.user,
        words=query_words(request),
        statuses=statuses,
        not_in_decision=int(outside) if outside.isascii() and outside.isdigit() and len(outside) < 10 else None,
    )
    return results_response(rows[: PAGE + 1], selectors.project_choice_label)


@require_GET
def organisation_search(request):
    """The organisation picker's JSON (implementing and partner units)."""
    require(permissions.can_view_projects(request.user))
    rows = selectors.organisation_picker(words=query_words(request))
    return results_response(rows[: PAGE + 1], selectors.organisation_choice_label)
