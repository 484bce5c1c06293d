"""The read-only API (/api/v1/…). Each list reads through the owning app's selector with the client's service
account, so a client scoped to an area sees exactly what an officer of that area sees on the pages."""

import time

from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.response import Response

from accounts.scope import in_scope
from api import filters, serializers
from api.authentication import ClientTokenAuthentication
from api.export import annual_results, to_xlsx
from api.models import ApiAccessLog, ApiClient
from api.pagination import SyncCursor
from api.permissions import IsApiClient
from areas.models import AdministrativeUnit
from beneficiaries.selectors import beneficiary_list
from budgets.models import FundingLine
from contest.models import Certificate
from field.models import ReportStatus
from field.selectors import acceptance_list, report_list
from projects.models import Decision, DecisionItem
from projects.selectors import project_scope


def log_call(request, response, started: float) -> None:
    client = request.auth if isinstance(getattr(request, "auth", None), ApiClient) else None
    ApiAccessLog.objects.create(
        client=client,
        method=request.method[:8],
        path=request.path[:300],
        query=request.META.get("QUERY_STRING", "")[:500],
        status=response.status_code,
        duration_ms=int((time.monotonic() - started) * 1000),
    )


class LoggedMixin:
    authentication_classes = [ClientTokenAuthentication]
    permission_classes = [IsApiClient]

    def initial(self, request, *args, **kwargs):
        request._api_started = time.monotonic()
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        log_call(request, response, getattr(request, "_api_started", time.monotonic()))
        return response


class ReadOnly(LoggedMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = SyncCursor
    filter_backends = [DjangoFilterBackend]


@extend_schema_view(
    list=extend_schema(summary="Danh sách cơ sở công nghiệp nông thôn", tags=["Cơ sở"]),
    retrieve=extend_schema(summary="Một cơ sở", tags=["Cơ sở"]),
)
class EstablishmentViewSet(ReadOnly):
    serializer_class = serializers.EstablishmentSerializer
    filterset_class = filters.EstablishmentFilter

    def get_queryset(self):
        return beneficiary_list(user=self.request.user).select_related("unit__successor")


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách đề án khuyến công",
        description="Mỗi đề án kèm nội dung hoạt động, cơ sở thụ hưởng, sản phẩm dự kiến và kinh phí theo nguồn.",
        tags=["Đề án"],
    ),
    retrieve=extend_schema(summary="Một đề án", tags=["Đề án"]),
)
class ProjectViewSet(ReadOnly):
    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilter

    def get_queryset(self):
        # The pages' scope (project_scope), read as plain rows: serializers.project_rows adds the units and the
        # nested lists of the whole page in five more queries.
        return project_scope(user=self.request.user).values(*serializers.PROJECT_ROW_FIELDS)


@extend_schema_view(
    list=extend_schema(summary="Danh sách quyết định phê duyệt, điều chỉnh", tags=["Quyết định"]),
    retrieve=extend_schema(summary="Một quyết định", tags=["Quyết định"]),
)
class DecisionViewSet(ReadOnly):
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter

    def get_queryset(self):
        # Decisions naming at least one visible đề án, each with only its visible items: both as subqueries of
        # project_scope, never a list of the client's đề án ids read into Python.
        visible = project_scope(user=self.request.user).values("pk")
        items = DecisionItem.objects.filter(project__in=visible).select_related("project").order_by("position", "id")
        return (
            Decision.objects.filter(Exists(DecisionItem.objects.filter(decision=OuterRef("pk"), project__in=visible)))
            .prefetch_related(Prefetch("items", queryset=items))
            .order_by("updated_at", "id")
        )


@extend_schema_view(
    list=extend_schema(summary="Dòng kinh phí, giải ngân và quyết toán", tags=["Kinh phí"]),
    retrieve=extend_schema(summary="Một dòng kinh phí", tags=["Kinh phí"]),
)
class FundingLineViewSet(ReadOnly):
    serializer_class = serializers.FundingLineSerializer
    filterset_class = filters.FundingLineFilter

    def get_queryset(self):
        # The đề án the client may see (project_scope, the pages' one definition), and their lines.
        return (
            FundingLine.objects.filter(project__in=project_scope(user=self.request.user).values("pk"))
            .select_related("project", "settlement")
            .prefetch_related("disbursements")
        )


@extend_schema_view(
    list=extend_schema(summary="Báo cáo kiểm tra thực địa (không kèm ảnh)", tags=["Thực địa"]),
    retrieve=extend_schema(summary="Một báo cáo thực địa", tags=["Thực địa"]),
)
class FieldReportViewSet(ReadOnly):
    serializer_class = serializers.FieldReportSerializer
    filterset_class = filters.FieldReportFilter

    def get_queryset(self):
        return report_list(user=self.request.user).filter(status=ReportStatus.SUBMITTED)


@extend_schema_view(
    list=extend_schema(summary="Kết quả nghiệm thu", tags=["Nghiệm thu"]),
    retrieve=extend_schema(summary="Một lần nghiệm thu", tags=["Nghiệm thu"]),
)
class AcceptanceViewSet(ReadOnly):
    serializer_class = serializers.AcceptanceSerializer
    filterset_class = filters.AcceptanceFilter

    def get_queryset(self):
        return acceptance_list(user=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Sản phẩm CNNT tiêu biểu được chứng nhận (kết quả bình chọn)", tags=["Bình chọn"]),
    retrieve=extend_schema(summary="Một giấy chứng nhận", tags=["Bình chọn"]),
)
class CertifiedProductViewSet(ReadOnly):
    serializer_class = serializers.CertifiedProductSerializer
    filterset_class = filters.CertificateFilter

    def get_queryset(self):
        qs = Certificate.objects.select_related("contest", "entry")
        return in_scope(qs, self.request.user, "entry__beneficiary__unit")


def _year(raw: str) -> int:
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise exceptions.ValidationError({"year": _("Năm phải là số từ 2000 đến 2100.")})
    return int(raw)


def _province() -> dict:
    root = AdministrativeUnit.objects.filter(depth=0, valid_to__isnull=True).order_by("path").first()
    return {"code": root.code, "name": root.name} if root else {"code": "00", "name": ""}


class AnnualResultsView(LoggedMixin, viewsets.ViewSet):
    @extend_schema(
        summary="Kết quả khuyến công của một năm (JSON)",
        description="Cùng nội dung với tệp xuất .xlsx; cấu trúc theo JSON Schema annual_results.schema.json.",
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH, description="Năm kế hoạch")],
        responses={200: dict},
        tags=["Kết quả năm"],
    )
    def retrieve(self, request, year=None):
        return Response(annual_results(user=request.user, year=_year(year), province=_province()))

    @extend_schema(
        summary="Kết quả khuyến công của một năm (tệp .xlsx)",
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH, description="Năm kế hoạch")],
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes},
        tags=["Kết quả năm"],
    )
    def xlsx(self, request, year=None):
        year = _year(year)
        body = to_xlsx(annual_results(user=request.user, year=year, province=_province()))
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="ket-qua-khuyen-cong-{year}.xlsx"'
        return response


@extend_schema(exclude=True)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def api_root(request):
    return Response({"schema": "/api/schema/", "docs": "/api/docs/", "v1": "/api/v1/"})
