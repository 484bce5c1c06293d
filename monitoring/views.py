from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import audit
from accounts.models import AccessAction
from accounts.roles import primary_role
from core.permissions import require
from monitoring import maps, permissions, selectors
from monitoring.forms import DashboardFilterForm, ReportForm
from monitoring.reports import build_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def home(request):
    """Each role lands on its own home page."""
    role = primary_role(request.user)
    context = selectors.home_context(user=request.user, role=role)
    return render(request, f"monitoring/home/{role or 'none'}.html", context)


def _filters(request):
    form = DashboardFilterForm(request.GET or None, user=request.user)
    return form, form.to_filters()


def _m(amount) -> float:
    return round((amount or 0) / 1_000_000, 3)


def _charts(board: dict) -> dict:
    """Chart.js inputs built from the same rows as the tables; each bar carries the URL of its list."""
    top_areas = board["by_area"][:15]
    return {
        "states": {
            "type": "bar",
            "horizontal": True,
            "labels": [str(s["label"]) for s in board["states"]],
            "datasets": [{"label": str(_("Số đề án, dự toán")), "data": [s["count"] for s in board["states"]]}],
            "urls": [s["url"] for s in board["states"]],
        },
        "sources": {
            "type": "bar",
            "money": True,
            "labels": [str(s["short"]) for s in board["sources"]],
            "datasets": [
                {"label": str(_("Phê duyệt")), "data": [_m(s["approved"]) for s in board["sources"]]},
                {"label": str(_("Giải ngân")), "data": [_m(s["disbursed"]) for s in board["sources"]]},
                {"label": str(_("Quyết toán")), "data": [_m(s["settled"]) for s in board["sources"]]},
            ],
            "urls": [s["url"] for s in board["sources"]],
        },
        "contents": {
            "type": "bar",
            "money": True,
            "labels": [c["code"] for c in board["by_content"]],
            "datasets": [
                {"label": str(_("Kinh phí phê duyệt")), "data": [_m(c["approved"]) for c in board["by_content"]]}
            ],
            "urls": [c["url"] for c in board["by_content"]],
        },
        "areas": {
            "type": "bar",
            "horizontal": True,
            "money": True,
            "labels": [a["name"] for a in top_areas],
            "datasets": [{"label": str(_("Kinh phí phê duyệt")), "data": [_m(a["approved"]) for a in top_areas]}],
            "urls": [a["url"] for a in top_areas],
        },
    }


@require_GET
def dashboard(request):
    """The programme dashboard for one year and level, counted over the user's areas."""
    require(permissions.can_view_dashboard(request.user))
    form, filters = _filters(request)
    board = selectors.dashboard(user=request.user, filters=filters)
    return render(
        request,
        "monitoring/dashboard.html",
        {"form": form, "board": board, "filters": filters, "charts": _charts(board)},
    )


@require_GET
def behind_schedule(request):
    """The đề án the dashboard counts as behind schedule, with the reason for each."""
    require(permissions.can_view_dashboard(request.user))
    form, filters = _filters(request)
    qs = selectors.dashboard_projects(user=request.user, year=filters.year, level=filters.level, area=filters.area)
    rows = selectors.behind_schedule(qs)
    return render(
        request,
        "monitoring/behind.html",
        {"form": form, "rows": rows, "filters": filters, "tolerance": selectors.progress_tolerance()},
    )


@require_GET
def project_map(request):
    """The schematic map: đề án and establishments per commune, field-report GPS points. No JavaScript."""
    require(permissions.can_view_dashboard(request.user))
    form, filters = _filters(request)
    data = selectors.map_data(user=request.user, filters=filters)
    drawing = maps.build_map(data)
    return render(request, "monitoring/map.html", {"form": form, "filters": filters, "data": data, "drawing": drawing})


@require_GET
def report(request):
    """The periodic (6-month / annual) report: a form, and the workbook when the form is submitted."""
    require(permissions.can_export_report(request.user))
    form = ReportForm(request.GET or None, user=request.user)
    if request.GET and form.is_valid():
        req = form.to_request(user=request.user)
        content, _totals = build_workbook(user=request.user, req=req)
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{req.filename}"'
        audit.record(request, AccessAction.EXPORT, req.filename)
        return response
    return render(request, "monitoring/report.html", {"form": form})
