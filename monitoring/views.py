import hashlib
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import audit
from accounts.models import AccessAction
from accounts.roles import primary_role
from areas.selectors import placed_communes, top_level_units
from core import figures_cache
from core.pagination import paginate, querystring_without_page
from core.permissions import require
from monitoring import maps, permissions, selectors
from monitoring.forms import DashboardFilterForm, ReportForm
from monitoring.outline import bbox, current_rings
from monitoring.reports import build_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def home(request):
    """Each role lands on its own home page."""
    role = primary_role(request.user)
    context = selectors.home_context(user=request.user, role=role)
    return render(request, f"monitoring/home/{role or 'none'}.html", context)


def _filters(request, *, grouping: bool = False):
    form = DashboardFilterForm(request.GET or None, user=request.user)
    if not grouping:  # only the dashboard's area table can be grouped
        del form.fields["group"]
    return form, form.to_filters()


def _m(amount) -> float:
    return round((amount or 0) / 1_000_000, 3)


def _charts(board: dict) -> dict:
    """Chart.js inputs built from the same rows as the tables; each bar carries the URL of its list."""
    top_areas = [a for a in board["by_area"] if not a.get("others")][:15]
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
    form, filters = _filters(request, grouping=True)
    board = selectors.dashboard(user=request.user, filters=filters, area_limit=selectors.AREAS_ON_DASHBOARD)
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
    page = paginate(request, selectors.behind_schedule_qs(qs))
    return render(
        request,
        "monitoring/behind.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.schedule_rows(page.object_list),
            "querystring": querystring_without_page(request),
            "filters": filters,
            "tolerance": selectors.progress_tolerance(),
        },
    )


def _communes() -> tuple[list, str]:
    """The current communes and their version, shared between requests until a unit changes
    (core.figures_cache): reading and hashing the country's 3,300 communes was a quarter of the map's time."""

    def compute():
        communes = placed_communes()
        return communes, maps.communes_version(communes)

    return figures_cache.cached("placed_communes", ("units",), (), compute)


def _map_base():
    """The current communes and their version, the outline (if an admin uploaded one) and its box."""
    communes, version = _communes()
    outline = current_rings()
    return communes, version, outline, (bbox(outline[1]) if outline else None)


@require_GET
def project_map(request):
    """The map: đề án and establishments per current commune at the communes' real centres, field-report GPS
    points, the uploaded outline behind them (a cached image). No JavaScript."""
    require(permissions.can_view_dashboard(request.user))
    form, filters = _filters(request)
    communes, version, outline, outline_box = _map_base()
    data = selectors.map_data(user=request.user, filters=filters, communes=communes)
    if len(data["places"]) > maps.MAX_PLACES:
        provinces = {u.path: u for u in top_level_units()}
        params = {k: v for k, v in filters.link_params().items() if v not in (None, "")}
        data["places"] = maps.group_places(
            data["places"],
            provinces,
            lambda unit: f"{reverse('monitoring:map')}?{urlencode({**params, 'area': unit.pk})}",
        )
        data["grouped"] = True
    drawing = maps.build_map(data, communes, outline_box, dots=False)
    if not drawing["empty"]:
        # The grey dots of every current commune: a cached image under a URL naming their version (at national
        # scale they were 3,300 circles, most of the page's 1.5 MB, rendered into every response).
        query = urlencode({"v": version, "p": drawing["projection"].key})
        drawing["base_url"] = f"{reverse('monitoring:map_base')}?{query}"
    if outline and not drawing["empty"]:
        query = urlencode({"v": outline[0][:16], "p": drawing["projection"].key})
        drawing["outline_url"] = f"{reverse('monitoring:map_outline')}?{query}"
    return render(request, "monitoring/map.html", {"form": form, "filters": filters, "data": data, "drawing": drawing})


@require_GET
def map_base(request):
    """The map's base layer, a grey dot per current commune at its centre sized by its area, as an SVG in the
    map's projection. Its URL names the communes' version and the projection: browsers keep it for a year, and a
    repeated request answers 304 from its ETag."""
    require(permissions.can_view_dashboard(request.user))
    communes, version, outline, outline_box = _map_base()
    drawing = maps.build_map({"places": [], "gps": []}, communes, outline_box)
    if drawing["empty"]:
        raise Http404
    etag = f'"{version}-{hashlib.sha256(drawing["projection"].key.encode()).hexdigest()[:8]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        body = render_to_string("monitoring/map_base.svg", {"drawing": drawing})
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = etag
    if request.GET.get("v") == version and request.GET.get("p") == drawing["projection"].key:
        response["Cache-Control"] = "private, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def map_outline(request):
    """The uploaded outline as an SVG drawn in the map's projection. Its URL names the file's version and the
    projection, so the answer never changes for a URL: browsers keep it for a year."""
    require(permissions.can_view_dashboard(request.user))
    communes, version, outline, outline_box = _map_base()
    project = maps.projection_for(communes, outline_box)
    if outline is None or project is None:
        raise Http404
    body = render_to_string(
        "monitoring/outline.svg",
        {"paths": maps.outline_paths(outline[1], project), "width": maps.WIDTH, "height": project.height},
    )
    response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    if request.GET.get("v") == outline[0][:16] and request.GET.get("p") == project.key:
        response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


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
