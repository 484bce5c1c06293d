from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.models import AccessAction
from budgets import permissions, selectors, services
from budgets.document_kinds import LEVEL_SHORT
from budgets.excel import summary_workbook
from budgets.filters import summary_filters
from budgets.forms import (
    AdjustmentForm,
    AllocationForm,
    DisbursementForm,
    ExceptionDecisionForm,
    ExceptionForm,
    FundingHeaderForm,
    LineFormSet,
    SettlementForm,
)
from budgets.models import ExceptionKind
from budgets.rules import AmbiguousCeiling, CeilingCheck, check_ceiling, rule_date
from core.forms import add_service_errors
from core.history import history_entries
from core.pagination import PAGE_SIZES, paginate, querystring_without_page
from core.permissions import require
from documents.permissions import may_request


def _project(request, pk: int):
    """The đề án, 404 outside the user's areas, 403 for a role that sees no money."""
    require(permissions.can_view_money(request.user))
    return selectors.project_get(user=request.user, pk=pk)


def _money_context(request, project, **extra):
    funding = selectors.funding_get(project)
    money = selectors.project_money(project)
    try:
        check = check_ceiling(project, funding, money["lines"])
        ambiguous = ""
    except AmbiguousCeiling as exc:
        check, ambiguous = None, str(exc)
    user = request.user
    context = {
        "project": project,
        "funding": funding,
        "check": check,
        "ambiguous": ambiguous,
        "history": history_entries(funding) if funding.pk else [],
        "can_edit": permissions.can_edit_lines(user, project)[0],
        "can_disburse": permissions.can_disburse(user, project)[0] and bool(money["lines"]),
        "can_settle": permissions.can_settle(user, project)[0],
        "can_adjust": permissions.can_adjust(user, project)[0],
        "can_request": permissions.can_request_exception(user, project)[0],
        "can_decide": permissions.can_decide_exception(user, project)[0],
        "exception_form": ExceptionForm(),
        **money,
    }
    context.update(extra)
    return context


def project_money(request, pk: int):
    project = _project(request, pk)
    return render(request, "budgets/project.html", _money_context(request, project))


def _line_inputs(formset) -> list[services.LineInput]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or (not data.get("id") and not form.has_changed()):
            continue
        if data.get("DELETE") and not data.get("id"):
            continue  # a new row ticked "Xóa": nothing to save or remove
        rows.append(
            services.LineInput(
                id=data.get("id"),
                source=data["source"],
                cost_item=data["cost_item"],
                description=data.get("description", ""),
                estimated_cost=data.get("estimated_cost") or 0,
                approved_amount=data.get("approved_amount") or 0,
                delete=bool(data.get("DELETE")),
            )
        )
    return rows


def project_lines_edit(request, pk: int):
    project = _project(request, pk)
    require(permissions.can_edit_lines(request.user, project))
    funding = selectors.funding_get(project)
    ceilings = selectors.ceiling_choices(project, rule_date(project))
    lines = selectors.project_lines(project)
    initial = [
        {
            "id": line.pk,
            "source": line.source,
            "cost_item": line.cost_item,
            "description": line.description,
            "estimated_cost": line.estimated_cost,
            "approved_amount": line.approved_amount,
        }
        for line in lines
    ]
    chosen = str(funding.ceiling_id) if funding.ceiling_id else ("none" if funding.ceiling_not_applicable else "")
    header_initial = {"ceiling": chosen, "ceiling_units": funding.ceiling_units, "version": funding.version}
    line_kwargs = {"lock_approved": permissions.approved_amounts_locked(project)}
    if request.method == "POST":
        header = FundingHeaderForm(request.POST, ceilings=ceilings, initial=header_initial)
        formset = LineFormSet(request.POST, initial=initial, prefix="lines", form_kwargs=line_kwargs)
    else:
        header = FundingHeaderForm(ceilings=ceilings, initial=header_initial)
        formset = LineFormSet(initial=initial, prefix="lines", form_kwargs=line_kwargs)
    breach = None
    status = 200
    if request.method == "POST":
        if header.is_valid() and formset.is_valid():
            try:
                check = services.funding_lines_save(
                    actor=request.user,
                    project=project,
                    lines=_line_inputs(formset),
                    ceiling=header.chosen_ceiling,
                    ceiling_not_applicable=header.not_applicable,
                    ceiling_units=header.cleaned_data["ceiling_units"],
                    version=header.cleaned_data["version"],
                )
            except services.CeilingBreach as exc:
                breach = exc.check
                header.add_error(None, exc)
            except services.AllocationBreach as exc:
                breach = exc
                header.add_error(None, exc)
            except ValidationError as exc:
                header.add_error(None, exc.messages)
            else:
                messages.success(request, _("Đã lưu kinh phí của đề án."))
                if check.exception is not None:
                    messages.warning(
                        request,
                        _("Vượt mức hỗ trợ tối đa, áp dụng ngoại lệ do %(who)s chấp thuận: %(why)s")
                        % {"who": check.exception.decided_by, "why": check.exception.reason},
                    )
                return redirect("budgets:project", pk=project.pk)
        status = 400
    exception_form = None
    if breach is not None and permissions.can_request_exception(request.user, project)[0]:
        is_ceiling = isinstance(breach, CeilingCheck)
        kind = ExceptionKind.CEILING if is_ceiling else ExceptionKind.ALLOCATION
        amount = breach.support if is_ceiling else breach.amount
        exception_form = ExceptionForm(initial={"kind": kind, "amount": amount})
    return render(
        request,
        "budgets/lines_form.html",
        {
            "project": project,
            "header": header,
            "formset": formset,
            "exception_form": exception_form,
            "breach": breach,
            "pending_states": permissions.APPROVAL_PENDING,
        },
        status=status,
    )


def disbursement_create(request, pk: int):
    project = _project(request, pk)
    require(permissions.can_disburse(request.user, project))
    lines = selectors.disbursable_lines(project)
    form = DisbursementForm(request.POST or None, lines=lines, initial={"paid_on": timezone.localdate()})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.disbursement_create(
                    actor=request.user,
                    line=data["line"],
                    kind=data["kind"],
                    paid_on=data["paid_on"],
                    amount=data["amount"],
                    document_number=data["document_number"],
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi khoản giải ngân."))
                return redirect("budgets:project", pk=project.pk)
        return render(request, "budgets/form.html", _form_page(project, form, _("Ghi giải ngân")), status=400)
    return render(request, "budgets/form.html", _form_page(project, form, _("Ghi giải ngân")))


def _form_page(project, form, title, **extra):
    return {"project": project, "form": form, "title": title, **extra}


def settlement_record(request, pk: int):
    require(permissions.can_view_money(request.user))
    line = selectors.line_get(user=request.user, pk=pk)
    project = line.project
    require(permissions.can_settle(request.user, project))
    existing = getattr(line, "settlement", None)
    initial = (
        {
            "amount": existing.amount,
            "settled_on": existing.settled_on,
            "document_number": existing.document_number,
            "note": existing.note,
        }
        if existing
        else {"amount": line.disbursed_total, "settled_on": timezone.localdate()}
    )
    form = SettlementForm(request.POST or None, initial=initial)
    title = _("Quyết toán: %(line)s") % {"line": line}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.settlement_record(actor=request.user, line=line, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi quyết toán."))
                return redirect("budgets:project", pk=project.pk)
        return render(request, "budgets/form.html", _form_page(project, form, title, line=line), status=400)
    return render(request, "budgets/form.html", _form_page(project, form, title, line=line))


def line_adjust(request, pk: int):
    require(permissions.can_view_money(request.user))
    line = selectors.line_get(user=request.user, pk=pk)
    project = line.project
    require(permissions.can_adjust(request.user, project))
    decisions = selectors.adjustment_decisions()
    form = AdjustmentForm(request.POST or None, decisions=decisions, initial={"adjusted_amount": line.approved_amount})
    title = _("Điều chỉnh kinh phí: %(line)s") % {"line": line}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.funding_line_adjust(actor=request.user, line=line, **form.cleaned_data)
            except (services.CeilingBreach, services.AllocationBreach) as exc:
                form.add_error(None, exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi điều chỉnh kinh phí."))
                return redirect("budgets:project", pk=project.pk)
        return render(request, "budgets/form.html", _form_page(project, form, title, line=line), status=400)
    return render(request, "budgets/form.html", _form_page(project, form, title, line=line))


@require_POST
def exception_create(request, pk: int):
    """Staff ask for an exception; a leader records one directly."""
    project = _project(request, pk)
    leader = permissions.can_decide_exception(request.user, project)[0]
    if not leader:
        require(permissions.can_request_exception(request.user, project))
    form = ExceptionForm(request.POST)
    if form.is_valid():
        service = services.exception_record if leader else services.exception_request
        try:
            service(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã ghi ngoại lệ được chấp thuận.") if leader else _("Đã gửi đề nghị ngoại lệ tới lãnh đạo."),
            )
            return redirect("budgets:project", pk=project.pk)
    return render(request, "budgets/project.html", _money_context(request, project, exception_form=form), status=400)


def exception_list(request):
    require(permissions.can_view_money(request.user))
    pending, decided = selectors.exception_lists(user=request.user)
    return render(
        request,
        "budgets/exceptions.html",
        {
            "pending": pending,
            "decided": decided,
            "can_decide": permissions.can_decide_exception(request.user)[0],
            "decision_form": ExceptionDecisionForm(),
        },
    )


@require_POST
def exception_decide(request, pk: int):
    require(permissions.can_view_money(request.user))
    exception = selectors.exception_get(user=request.user, pk=pk)
    require(permissions.can_decide_exception(request.user, exception.project))
    form = ExceptionDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.exception_decide(
                actor=request.user,
                exception=exception,
                approve=form.cleaned_data["approve"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi ý kiến của lãnh đạo."))
        return redirect("budgets:exceptions")
    pending, decided = selectors.exception_lists(user=request.user)
    return render(
        request,
        "budgets/exceptions.html",
        {
            "pending": pending,
            "decided": decided,
            "can_decide": True,
            "decision_form": form,
            "failed_pk": exception.pk,
        },
        status=400,
    )


def allocation_list(request):
    require(permissions.can_view_money(request.user))
    return render(
        request,
        "budgets/allocations.html",
        {
            "allocations": selectors.allocation_list(),
            "can_manage": permissions.can_manage_allocations(request.user)[0],
        },
    )


def allocation_edit(request, pk: int | None = None):
    require(permissions.can_manage_allocations(request.user))
    allocation = selectors.allocation_get(pk) if pk else None
    form = AllocationForm(request.POST or None, instance=allocation)
    title = _("Sửa dự toán kinh phí năm") if allocation else _("Nhập dự toán kinh phí năm")
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.allocation_save(
                    actor=request.user,
                    data=data,
                    allocation=selectors.allocation_get(pk) if pk else None,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu dự toán kinh phí năm."))
                return redirect("budgets:allocations")
        return render(request, "budgets/form.html", {"form": form, "title": title}, status=400)
    return render(request, "budgets/form.html", {"form": form, "title": title})


def ceiling_list(request):
    require(permissions.can_view_money(request.user))
    return render(request, "budgets/ceilings.html", {"ceilings": selectors.ceiling_list()})


def _summary_filters(request):
    return summary_filters(request.GET, user=request.user)


def summary(request):
    require(permissions.can_view_summary(request.user))
    form, filters = _summary_filters(request)
    context = {"form": form, "page_sizes": PAGE_SIZES}
    if filters is None:
        return render(request, "budgets/summary.html", context, status=400)
    summary = selectors.budget_summary(user=request.user, filters=filters, area_limit=selectors.AREAS_ON_SUMMARY)
    # The drill-down lists exactly the đề án the summary counted: reuse that count instead of a COUNT query.
    page = paginate(
        request, selectors.summary_projects(user=request.user, filters=filters), count=summary.total.projects
    )
    context.update(
        {
            "summary": summary,
            "page": page,
            "per_page": page.paginator.per_page,
            "query": querystring_without_page(request),
            "filters": filters,
            "can_print_approval": may_request(request.user, "approval_report"),
            "can_print_submission": may_request(request.user, "plan_submission"),
            "can_print_registration": may_request(request.user, "national_plan_registration"),
            # One appendix per level that has đề án this year (the summary's own level rows).
            "approval_levels": [
                {"code": row.key, "short": LEVEL_SHORT.get(row.key, row.key)}
                for row in summary.by_level
                if row.projects
            ],
            "can_print_annual": may_request(request.user, "annual_report"),
        }
    )
    template = "budgets/partials/summary_body.html" if request.htmx else "budgets/summary.html"
    return render(request, template, context)


def summary_export(request):
    require(permissions.can_view_summary(request.user))
    form, filters = _summary_filters(request)
    if filters is None:
        return HttpResponse(_("Bộ lọc không hợp lệ."), status=400, content_type="text/plain; charset=utf-8")
    rows = selectors.summary_projects(user=request.user, filters=filters).count()
    if rows > settings.EXPORT_SYNC_MAX_ROWS:
        # Thousands of đề án (a department-wide year at national scale) are written by a worker.
        query = request.GET.urlencode()
        return render(
            request,
            "documents/export_offer.html",
            {
                "title": _("Xuất Excel tổng hợp kinh phí"),
                "kind": "budget_summary_export",
                "rows": rows,
                "limit": settings.EXPORT_SYNC_MAX_ROWS,
                "query": query,
                "back_url": reverse("budgets:summary") + (f"?{query}" if query else ""),
                "back_label": _("Tổng hợp kinh phí"),
            },
        )
    workbook = summary_workbook(
        selectors.budget_summary(user=request.user, filters=filters),
        selectors.summary_projects(user=request.user, filters=filters),
    )
    response = HttpResponse(workbook, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="tong-hop-kinh-phi-{filters.year}.xlsx"'
    audit.record(request, AccessAction.EXPORT, _("Tổng hợp kinh phí %(query)s") % {"query": request.GET.urlencode()})
    return response
