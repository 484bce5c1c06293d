"""What the API shows of each record. Read-only; personal data (phones, e-mails, photos of people, who typed
what) stays out. Every field carries a Vietnamese description for the schema (the models' verbose names)."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from areas.models import AdministrativeUnit
from areas.selectors import current_commune
from beneficiaries.models import Beneficiary
from budgets.models import Disbursement, FundingLine, Settlement
from contest.models import Certificate
from field.models import Acceptance, FieldReport
from projects.models import ActivityContent, Decision, DecisionItem, PlannedOutput, Project


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name", "path", "valid_from", "valid_to"]


@extend_schema_field(UnitSerializer(allow_null=True))
class CurrentCommuneField(serializers.Field):
    """The commune in force today that the record's unit belongs to (null: an old commune split between
    several successors and nobody has yet said which one)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault(
            "help_text", "Xã/phường hiện hành (sau 1/7/2025) của địa bàn; null nếu xã cũ bị chia và chưa chọn."
        )
        super().__init__(**kwargs)

    def to_representation(self, obj):
        unit = current_commune(obj.unit, chosen=getattr(obj, "successor_unit", None)) if obj.unit_id else None
        return unit_data(unit)


def unit_data(unit) -> dict | None:
    """UnitSerializer's output, written out: it runs for every row of every list."""
    if unit is None:
        return None
    return {
        "code": unit.code,
        "name": unit.name,
        "path": unit.path,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
    }


class EstablishmentSerializer(serializers.ModelSerializer):
    unit = UnitSerializer(read_only=True, help_text="Địa bàn như khi nhập hồ sơ")
    current_commune = CurrentCommuneField()

    class Meta:
        model = Beneficiary
        fields = [
            "id",
            "name",
            "legal_form",
            "tax_code",
            "registration_number",
            "address",
            "unit",
            "current_commune",
            "sector",
            "vsic_code",
            "main_products",
            "employees",
            "founded_year",
            "women_owned",
            "ethnic_minority_owned",
            "status",
            "created_at",
            "updated_at",
        ]


class ContentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityContent
        fields = ["code", "name"]


class ProjectBeneficiarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Beneficiary
        fields = ["id", "name", "tax_code"]


class OutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedOutput
        fields = ["description", "unit_of_measure", "planned_quantity"]


class ProjectFundingSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingLine
        fields = ["id", "source", "cost_item", "description", "approved_amount", "disbursed_total", "settled_amount"]


# The columns of a đề án the list and the detail read as plain values (ProjectViewSet.get_queryset).
PROJECT_ROW_FIELDS = (
    "id",
    "code",
    "kind",
    "title",
    "level",
    "plan_year",
    "status",
    "unit_id",
    "successor_unit_id",
    "place_detail",
    "implementing_unit__name",
    "start_date",
    "end_date",
    "objectives",
    "expected_results",
    "expected_jobs",
    "expected_revenue",
    "created_at",
    "updated_at",
)
_UNIT_COLUMNS = ("id", "code", "name", "path", "valid_from", "valid_to", "successor_id")
_DATETIME = serializers.DateTimeField()


def project_rows(rows: list[dict]) -> list[dict]:
    """The API's đề án from `.values(*PROJECT_ROW_FIELDS)` rows, in five queries whatever their number: the
    units (the recorded one, its successor, the chosen one) and the four nested lists, all read as plain
    values. Building model instances and running DRF's generic fields cost ~2 ms per đề án; this is the
    same output (tests/api/test_read_api.py compares it with the generic serializer)."""
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    unit_ids = {r["unit_id"] for r in rows} | {r["successor_unit_id"] for r in rows if r["successor_unit_id"]}
    successors = AdministrativeUnit.objects.filter(pk__in=unit_ids).values("successor_id")
    units = {
        u["id"]: u
        for u in AdministrativeUnit.objects.filter(Q(pk__in=unit_ids) | Q(pk__in=successors)).values(*_UNIT_COLUMNS)
    }
    nested = {pk: {"contents": [], "beneficiaries": [], "outputs": [], "funding_lines": []} for pk in ids}
    contents = Project.contents.through.objects.filter(project_id__in=ids).order_by("activitycontent__sort_order")
    for pk, code, name in contents.values_list("project_id", "activitycontent__code", "activitycontent__name"):
        nested[pk]["contents"].append({"code": code, "name": name})
    links = Project.beneficiaries.through.objects.filter(project_id__in=ids).order_by("beneficiary__sort_name")
    for pk, bid, name, tax in links.values_list(
        "project_id", "beneficiary_id", "beneficiary__name", "beneficiary__tax_code"
    ):
        nested[pk]["beneficiaries"].append({"id": bid, "name": name, "tax_code": tax})
    outputs = PlannedOutput.objects.filter(project_id__in=ids).order_by("sort_order", "id")
    for pk, description, uom, qty in outputs.values_list(
        "project_id", "description", "unit_of_measure", "planned_quantity"
    ):
        nested[pk]["outputs"].append({"description": description, "unit_of_measure": uom, "planned_quantity": str(qty)})
    lines = FundingLine.objects.filter(project_id__in=ids).order_by("source", "cost_item", "id")
    for row in lines.values(
        "project_id", "id", "source", "cost_item", "description", "approved_amount", "disbursed_total",
        "settled_amount",
    ):  # fmt: skip
        nested[row.pop("project_id")]["funding_lines"].append(row)
    return [_project_row(r, units, nested[r["id"]]) for r in rows]


def _unit_row(unit: dict | None) -> dict | None:
    if unit is None:
        return None
    return {
        "code": unit["code"],
        "name": unit["name"],
        "path": unit["path"],
        "valid_from": unit["valid_from"].isoformat() if unit["valid_from"] else None,
        "valid_to": unit["valid_to"].isoformat() if unit["valid_to"] else None,
    }


def _current_commune_row(unit: dict, chosen: dict | None, units: dict) -> dict | None:
    # areas.selectors.current_commune, on plain rows.
    if unit["valid_from"] is not None and unit["valid_to"] is None:
        return unit
    if chosen is not None:
        return chosen
    return units.get(unit["successor_id"])


def _project_row(r: dict, units: dict, nested: dict) -> dict:
    unit = units[r["unit_id"]]
    chosen = units.get(r["successor_unit_id"])
    return {
        "id": r["id"],
        "code": r["code"],
        "kind": r["kind"],
        "title": r["title"],
        "level": r["level"],
        "plan_year": r["plan_year"],
        "status": r["status"],
        "unit": _unit_row(unit),
        "current_commune": _unit_row(_current_commune_row(unit, chosen, units)),
        "place_detail": r["place_detail"],
        "implementing_unit": r["implementing_unit__name"],
        "start_date": r["start_date"].isoformat() if r["start_date"] else None,
        "end_date": r["end_date"].isoformat() if r["end_date"] else None,
        "objectives": r["objectives"],
        "expected_results": r["expected_results"],
        "expected_jobs": r["expected_jobs"],
        "expected_revenue": r["expected_revenue"],
        **nested,
        "created_at": _DATETIME.to_representation(r["created_at"]),
        "updated_at": _DATETIME.to_representation(r["updated_at"]),
    }


class ProjectListSerializer(serializers.ListSerializer):
    """A page of đề án rows (dicts from ProjectViewSet.get_queryset) turned into the API's output at once."""

    def to_representation(self, data):
        return project_rows(list(data.all() if hasattr(data, "all") else data))


class ProjectSerializer(serializers.ModelSerializer):
    """Describes a đề án for the schema (the declared fields); the output itself is `project_rows`, from plain
    rows. `generic_representation` is DRF's own output for a model instance, kept to test that they agree."""

    unit = UnitSerializer(read_only=True, allow_null=True)
    current_commune = CurrentCommuneField()
    implementing_unit = serializers.CharField(source="implementing_unit.name", help_text="Đơn vị thực hiện")
    contents = ContentSerializer(many=True, read_only=True, help_text="Nội dung hoạt động khuyến công")
    beneficiaries = ProjectBeneficiarySerializer(many=True, read_only=True, help_text="Cơ sở thụ hưởng")
    outputs = OutputSerializer(many=True, read_only=True, help_text="Sản phẩm, kết quả dự kiến")
    funding_lines = ProjectFundingSerializer(many=True, read_only=True, help_text="Kinh phí theo nguồn (đồng)")

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "kind",
            "title",
            "level",
            "plan_year",
            "status",
            "unit",
            "current_commune",
            "place_detail",
            "implementing_unit",
            "start_date",
            "end_date",
            "objectives",
            "expected_results",
            "expected_jobs",
            "expected_revenue",
            "contents",
            "beneficiaries",
            "outputs",
            "funding_lines",
            "created_at",
            "updated_at",
        ]
        list_serializer_class = ProjectListSerializer

    def to_representation(self, row):
        return project_rows([row])[0]

    def generic_representation(self, p):
        return super().to_representation(p)


class DecisionItemSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", help_text="Mã đề án")

    class Meta:
        model = DecisionItem
        fields = ["position", "project", "note"]


class DecisionSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField(help_text="Các đề án trong quyết định (trong phạm vi được xem)")

    class Meta:
        model = Decision
        fields = ["id", "number", "signed_on", "issuing_body", "kind", "level", "summary", "items", "updated_at"]

    @extend_schema_field(DecisionItemSerializer(many=True))
    def get_items(self, decision):
        # The items were prefetched limited to the client's đề án (api.views.DecisionViewSet.get_queryset).
        return DecisionItemSerializer(decision.items.all(), many=True).data


class DisbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disbursement
        fields = ["kind", "paid_on", "amount", "document_number"]


class SettlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Settlement
        fields = ["amount", "settled_on", "document_number"]


class FundingLineSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", help_text="Mã đề án")
    disbursements = DisbursementSerializer(many=True, read_only=True, help_text="Các lần tạm ứng, thanh toán")
    settlement = serializers.SerializerMethodField(help_text="Quyết toán (null nếu chưa)")

    class Meta:
        model = FundingLine
        fields = [
            "id",
            "project",
            "source",
            "cost_item",
            "description",
            "estimated_cost",
            "approved_amount",
            "disbursed_total",
            "settled_amount",
            "disbursements",
            "settlement",
            "updated_at",
        ]

    @extend_schema_field(SettlementSerializer(allow_null=True))
    def get_settlement(self, line):
        settlement = getattr(line, "settlement", None)
        return SettlementSerializer(settlement).data if settlement is not None else None


class FieldReportSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", allow_null=True, help_text="Mã đề án")
    beneficiary = serializers.IntegerField(source="beneficiary_id", allow_null=True, help_text="Mã số cơ sở")
    unit = UnitSerializer(read_only=True)

    class Meta:
        model = FieldReport
        fields = [
            "id",
            "project",
            "beneficiary",
            "unit",
            "visit_date",
            "progress_percent",
            "observations",
            "has_problem",
            "problem",
            "recommendations",
            "submitted_at",
            "updated_at",
        ]


class AcceptanceSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", help_text="Mã đề án")

    class Meta:
        model = Acceptance
        fields = ["id", "project", "attempt", "held_on", "place", "result", "assessment", "requests", "updated_at"]


class CertifiedProductSerializer(serializers.ModelSerializer):
    contest = serializers.CharField(source="contest.name", help_text="Cuộc bình chọn")
    contest_year = serializers.IntegerField(source="contest.year", help_text="Năm bình chọn")
    contest_level = serializers.CharField(source="contest.level", help_text="Cấp bình chọn")
    beneficiary = serializers.IntegerField(source="entry.beneficiary_id", help_text="Mã số cơ sở")

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "contest",
            "contest_year",
            "contest_level",
            "product_name",
            "group",
            "beneficiary",
            "beneficiary_name",
            "commune",
            "score",
            "issued_on",
            "valid_until",
            "decision_number",
            "decision_date",
            "updated_at",
        ]
